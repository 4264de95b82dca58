/**
 * The envelope of the messages between the extension host and the visualizer webview: the protocol version
 * every message carries, the messages of the app as a whole, and the two unions of every tab's messages.
 * Each tab's own messages, view types and limits live in its file (tokens.ts, cache.ts, model.ts).
 * Both sides import this folder and validate every message on receipt (validate/), because a webview
 * message is untrusted input like any other. The webview never receives file system paths: only a display
 * name of the file.
 */
import type { CacheHostMessage, CacheWebviewMessage } from './cache';
import type { ModelHostMessage, ModelWebviewMessage } from './model';
import type { TokensHostMessage, TokensWebviewMessage } from './tokens';

/** 2: token columns travel as parallel typed arrays (ids, starts, ends) instead of one object per token. */
export const PROTOCOL_VERSION = 2;

/** The views of the visualizer, one tab each; the host computes only for the one on screen. */
export const VIEW_TABS = ['tokens', 'cache', 'attention', 'embedding', 'prefix'] as const;
export type ViewTab = (typeof VIEW_TABS)[number];

/** A PNG of a large view stays far below this; anything bigger is not a view we drew. */
export const MAX_PNG_DATA_URL = 64 * 1024 * 1024;

/** Host → webview messages that concern every tab. */
export type AppHostMessage =
  /** Host → webview, when the editor shows no prompt to follow: every tab clears and shows the reason. */
  | { type: 'empty'; version: typeof PROTOCOL_VERSION; reason: string }
  /** Host → webview, when showing a prompt failed: the sentence is shown as an alert. */
  | { type: 'error'; version: typeof PROTOCOL_VERSION; message: string };

/** Webview → host messages that concern every tab. */
export type AppWebviewMessage =
  /** Webview → host, once a page has loaded: the host sends the model choices and what to show from scratch. */
  | { type: 'ready'; version: typeof PROTOCOL_VERSION }
  /** Webview → host, when the user switches tabs: the host computes only for the tab on screen (the cache prediction only while `cache` is shown). */
  | { type: 'setTab'; version: typeof PROTOCOL_VERSION; tab: ViewTab }
  /** Webview → host, from any tab's Save PNG: the rendered view as a `data:image/png;base64,...` URL; the host asks where to save it. */
  | { type: 'savePng'; version: typeof PROTOCOL_VERSION; dataUrl: string };

/** Extension host → webview. */
export type HostMessage = AppHostMessage | TokensHostMessage | CacheHostMessage | ModelHostMessage;

type WithoutVersion<T> = T extends unknown ? Omit<T, 'version'> : never;

/** A host message with the protocol version stamped on. */
export function hostMessage(body: WithoutVersion<HostMessage>): HostMessage {
  return { ...body, version: PROTOCOL_VERSION } as HostMessage;
}

/** Webview → extension host. */
export type WebviewMessage = AppWebviewMessage | TokensWebviewMessage | CacheWebviewMessage | ModelWebviewMessage;
