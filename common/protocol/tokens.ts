/**
 * The Tokens tab's messages and views: the prompt, its tokenization by each model's tokenizer side by side,
 * and the header's model picker, pin, dynamic values and exports.
 */
import type { PROTOCOL_VERSION } from './envelope';

/** The side-by-side view shows at most this many tokenizers. */
export const MAX_COLUMNS = 4;
/**
 * Tokens of one column: far above any prompt a view can show (a 200k-token context window), low enough that a
 * malformed message cannot make the view allocate its layout for hundreds of millions of tokens.
 */
export const MAX_COLUMN_TOKENS = 8_000_000;
/** A partial-character token's bytes; real ones are a few bytes, byte-fallback runs a few dozen at most. */
export const MAX_PARTIAL_BYTES = 1024;

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

export type TokensHostMessage =
  /** Host → webview, on ready and when the selection changes: the models to pick from and the 1 to 4 columns in effect. */
  | { type: 'models'; version: typeof PROTOCOL_VERSION; models: ModelChoice[]; selected: string[] }
  /** Host → webview, when the followed prompt, its values or the selected models change: the prompt and one tokenization per column. */
  | { type: 'prompt'; version: typeof PROTOCOL_VERSION; prompt: PromptView; columns: TokenColumn[] }
  /** Host → webview, when the editor cursor moves: highlight the tokens at this offset of PromptView.text (-1: outside the prompt). */
  | { type: 'cursor'; version: typeof PROTOCOL_VERSION; promptId: string; offset: number };

export type TokensWebviewMessage =
  /** Webview → host, from the model picker: 1 to 4 model ids to tokenize with, side by side. */
  | { type: 'setModels'; version: typeof PROTOCOL_VERSION; models: string[] }
  /** Webview → host, after typing in a dynamic part's input: the value to count in (null: the placeholder again). */
  | { type: 'setDynamicValue'; version: typeof PROTOCOL_VERSION; promptId: string; segment: number; value: string | null }
  /** Webview → host, from the Pin button: keep showing this prompt when the cursor moves elsewhere, or follow it again. */
  | { type: 'pin'; version: typeof PROTOCOL_VERSION; pinned: boolean }
  /** Webview → host, on a clicked token (or Enter): select the source of PromptView.text[start, end) in the editor. */
  | { type: 'revealRange'; version: typeof PROTOCOL_VERSION; promptId: string; start: number; end: number }
  /** Webview → host, from Copy JSON: the host puts `text` on the clipboard and says it copied `what`. */
  | { type: 'copyText'; version: typeof PROTOCOL_VERSION; text: string; what: string };
