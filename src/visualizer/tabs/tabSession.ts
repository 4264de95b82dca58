/**
 * What a tab's host session is: the answers to its tab's messages, what it posts when its tab is on screen,
 * and what it does when the page, the tab on screen or the settings change. The controller drives every
 * session of a webview through this interface; the sessions are listed in registry.ts.
 */
import type { HostMessage, PromptView } from '../../../common/protocol';
import type { Prompt } from '../../core/prompt/types';
import type { VisualizerDeps } from '../deps';
import type { PromptFollower } from '../promptFollower';

/** One handler per message type: a message type without its handler does not compile. */
export type MessageHandlers<M extends { type: string }> = { [K in M['type']]: (message: Extract<M, { type: K }>) => void | Promise<void> };

/** Hands `message` to its handler. */
export function dispatch<M extends { type: string }>(handlers: MessageHandlers<M>, message: M): void | Promise<void> {
  // Each handler takes its own member of M; indexing by the message's type pairs them, which TypeScript cannot follow.
  return (handlers[message.type as M['type']] as (message: M) => void | Promise<void>)(message);
}

/** The prompt the token view shows: its source segments, and the text as shown (dynamic values filled in). */
export interface ShownPrompt {
  prompt: Prompt;
  view: PromptView;
}

/** One refresh of the tab on screen. A newer one (a cursor move, another tab, the view hidden) makes it stale: its work is dropped. */
export interface Refresh {
  isCurrent(): boolean;
  /**
   * Posts the prompt the token view would show, without its token columns, for the tabs that show that prompt
   * their own way; where there is none, calls `onNone` and then posts why. Resolves to the prompt shown, else undefined.
   */
  showPrompt(onNone: () => void): Promise<ShownPrompt | undefined>;
}

/** What the controller gives the sessions that need the editor (tokens, cache). */
export interface TabContext {
  readonly deps: VisualizerDeps;
  readonly follower: PromptFollower;
  post(message: HostMessage): void;
  /** What the tab on screen shows changed: refresh it now. */
  refresh(): void;
  /** A document it shows was edited: refresh it once typing settles. */
  refreshSoon(): void;
  /** The title of the side-bar view or the editor panel: the prompt shown, or none. */
  setTitle(title: string | undefined): void;
}

export interface TabSession {
  /** One of the session's tabs is on screen: post what it shows (only what changed since it last did). */
  refresh(run: Refresh): Promise<void>;
  /** A new page loaded (`ready`): it knows nothing yet. */
  pageLoaded?(): void;
  /** The view was hidden: its page is gone. */
  pageHidden?(): void;
  /** The webview switched tabs, to one of this session's (`mine`) or another's. */
  tabChanged?(mine: boolean): void;
  /** Models or prices changed. */
  settingsChanged?(): void;
  dispose?(): void;
}
