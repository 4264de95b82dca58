/**
 * The one definition of the messages between the extension host and the visualizer webview.
 * Both sides import this file; every message carries PROTOCOL_VERSION and is validated on receipt
 * (see validate.ts), because a webview message is untrusted input like any other.
 * The webview never receives file system paths: only a display name of the file.
 */

/** 2: token columns travel as parallel typed arrays (ids, starts, ends) instead of one object per token. */
export const PROTOCOL_VERSION = 2;

/** A token that holds only part of a UTF-8 character (an emoji split over two tokens): drawn as its bytes, `<0xF0><0x9F>`. */
export interface PartialToken {
  /** Index of the token in its column. */
  index: number;
  /** The token's UTF-8 bytes. */
  bytes: number[];
}

/**
 * The tokenization of the prompt by one model's tokenizer, with the numbers of the stats strip.
 *
 * Tokens are columns rather than one object per token: `ids[k]`, `starts[k]`, `ends[k]` describe token k, and
 * its text is `PromptView.text.slice(starts[k], ends[k])` (UTF-16 offsets; tokens that split one character
 * share its span). Typed arrays because VS Code (engines >= 1.57) carries their buffers through
 * `webview.postMessage` as binary, where a 50,000-object array costs over a second to serialise and
 * deserialise (see bench/webview.ts). Each array owns its whole buffer: VS Code sends a view's entire buffer.
 */
export interface TokenColumn {
  modelId: string;
  modelLabel: string;
  tokenizer: string;
  approximate: boolean;
  /** Why the count is approximate, when it is. */
  approximation?: string;
  ids: Uint32Array;
  starts: Uint32Array;
  ends: Uint32Array;
  /** The few tokens that are partial characters, by ascending index. */
  partial: PartialToken[];
  /** Indexes of special or chat-template tokens (e.g. <|im_start|>), ascending; drawn marked. */
  special: number[];
  characters: number;
  contextWindow: number;
  /** USD for one call with this prompt as the whole input (undefined: no price). */
  cost?: number;
  /** USD when the whole prompt is read from the provider's prompt cache (undefined: no cached price). */
  cachedCost?: number;
}

export interface SegmentView {
  kind: 'static' | 'dynamic';
  /** Static: the prompt text. Dynamic: the placeholder as written, e.g. `${user.name}`. */
  source: string;
  /** Dynamic only: the expression inside the placeholder, e.g. `user.name`. */
  expression?: string;
  /** Where this segment's text starts and ends in PromptView.text (after dynamic values are filled in). */
  start: number;
  end: number;
}

export interface PromptView {
  /** Stable id of the prompt within its document version. */
  id: string;
  /** e.g. `system prompt · support_bot.py:10` — a display name, never a path. */
  title: string;
  /** The prompt text as tokenized: static text, and each dynamic part's typed value or its placeholder. */
  text: string;
  segments: SegmentView[];
  /** Values the user typed for dynamic parts, by segment index. */
  dynamicValues: Record<number, string>;
  pinned: boolean;
}

export interface ModelChoice {
  id: string;
  label: string;
  tokenizer: string;
  approximate: boolean;
}

/** Extension host → webview. */
export type HostMessage =
  | { type: 'models'; version: typeof PROTOCOL_VERSION; models: ModelChoice[]; selected: string[] }
  | { type: 'prompt'; version: typeof PROTOCOL_VERSION; prompt: PromptView; columns: TokenColumn[] }
  | { type: 'empty'; version: typeof PROTOCOL_VERSION; reason: string }
  /** The editor cursor moved: highlight the tokens at this offset of PromptView.text (-1: outside the prompt). */
  | { type: 'cursor'; version: typeof PROTOCOL_VERSION; promptId: string; offset: number }
  | { type: 'error'; version: typeof PROTOCOL_VERSION; message: string };

/** Webview → extension host. */
export type WebviewMessage =
  | { type: 'ready'; version: typeof PROTOCOL_VERSION }
  /** 1 to 4 model ids to tokenize with, side by side. */
  | { type: 'setModels'; version: typeof PROTOCOL_VERSION; models: string[] }
  | { type: 'setDynamicValue'; version: typeof PROTOCOL_VERSION; promptId: string; segment: number; value: string | null }
  | { type: 'pin'; version: typeof PROTOCOL_VERSION; pinned: boolean }
  /** Select the source of PromptView.text[start, end) in the editor (a clicked token). */
  | { type: 'revealRange'; version: typeof PROTOCOL_VERSION; promptId: string; start: number; end: number }
  | { type: 'copyText'; version: typeof PROTOCOL_VERSION; text: string; what: string }
  /** Save the rendered view: a `data:image/png;base64,...` URL; the host asks where. */
  | { type: 'savePng'; version: typeof PROTOCOL_VERSION; dataUrl: string };
