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

/** The views of the visualizer, one tab each; the host computes only for the one on screen. */
export const VIEW_TABS = ['tokens', 'cache', 'attention', 'embedding', 'prefix'] as const;
export type ViewTab = (typeof VIEW_TABS)[number];

/** A closed range of token counts or dollars; `min === max` where the provider's rule is deterministic. */
export interface NumberRange {
  min: number;
  max: number;
}

/** One turn of the cache timeline: a request of the conversation and what the provider's cache does with it. */
export interface CacheTurnView {
  turn: number;
  /** 1-based line (or entry) of the log, when read from one. */
  line?: number;
  model: string;
  inputTokens: number;
  /** Tokens shared with the earlier request `reusedFrom` (a turn number). */
  reusedPrefix: number;
  reusedFrom?: number;
  cached: NumberRange;
  written: NumberRange;
  uncached: NumberRange;
  /** `exact`: deterministic rule; `eligible`: up to this many, routing permitting; `probabilistic`: no guarantee. */
  certainty: 'exact' | 'eligible' | 'probabilistic';
  /** The first token that differs from the reused request, and where it is in each request body. */
  divergence?: { tokenIndex: number; where?: string; previousWhere?: string; before: string; after: string };
  causes: Array<{ kind: string; message: string; tokensLost: number }>;
  /** USD: with caching from the most to the least cached outcome; undefined without a price. */
  cost: { withCache?: NumberRange; withoutCache?: number };
  /** What the log's usage says happened; `cachedTokens` undefined when the usage has no cached field. */
  actual?: { inputTokens?: number; cachedTokens?: number; writtenTokens?: number; source: string };
  /** Actual cached minus the nearest end of the predicted range (0 inside it). */
  error?: number;
  notes: string[];
}

export interface CacheSummaryView {
  turns: number;
  inputTokens: number;
  cached: NumberRange;
  /** Share of input tokens served from cache, 0..1. */
  cachedShare: NumberRange;
  cost: { withCache?: NumberRange; withoutCache?: number };
  saved?: NumberRange;
  topCauses: Array<{ kind: string; turns: number; tokensLost: number }>;
  actual?: { turns: number; cachedTokens: number; meanAbsoluteError: number };
}

/** Where the conversation came from: a log or messages file, simulated calls of a prompt in code, or pasted text. */
export interface CacheSourceView {
  kind: 'log' | 'code' | 'pasted';
  /** e.g. `requests.jsonl` or `system prompt · support_bot.py:10`: a display name, never a path. */
  title: string;
  /** One line on how the turns were made, e.g. `5 simulated calls; first dynamic part ${user.name} at token 212`. */
  detail: string;
}

export interface CacheResultView {
  source: CacheSourceView;
  profile: { id: string; label: string; notes: string[] };
  turns: CacheTurnView[];
  summary: CacheSummaryView;
  /** Lines of the log that were skipped or read with a caveat, as sentences. */
  notices: string[];
}

/**
 * A log being predicted (in a worker thread on the host): `done` of its `total` requests rendered; total 0
 * while it is still being read. Once all are rendered, the prefixes of every turn are matched.
 */
export interface CacheProgressView {
  done: number;
  total: number;
}

export interface ProviderChoice {
  /** A name `profileForProvider` accepts. */
  value: string;
  label: string;
}

/** The local model's state, shown by the three model tabs (attention, embedding, prefix). */
export interface ModelStatusView {
  state: 'idle' | 'loading' | 'ready' | 'error' | 'disabled';
  /** e.g. `prompt-lens-tiny (bundled) · 4 layers × 4 heads` or the folder's display name; never a path. */
  label: string;
  /** A sentence: what is happening, or what went wrong and what to do (e.g. how to export attentions). */
  message: string;
  /** 0..1 while loading or downloading, when known. */
  progress?: number;
}

/** The tokens the model saw: the analysed window of the prompt, with offsets into PromptView.text. */
export interface ModelTokensView {
  promptId: string;
  texts: string[];
  starts: Uint32Array;
  ends: Uint32Array;
  /** 1 where the token overlaps a dynamic segment, else 0. */
  dynamic: Uint8Array;
  /** Window into the prompt's model tokens: the first analysed token and how many the whole prompt has. */
  windowStart: number;
  totalTokens: number;
  layers: number;
  heads: number;
}

/** One layer's attention for the analysed tokens: [heads, n, n] row-major, rows after softmax, future keys 0. */
export interface AttentionLayerView {
  promptId: string;
  layer: number;
  heads: number;
  n: number;
  weights: Float32Array;
}

/** Hidden states at one layer (0 = input embeddings) projected with PCA, plus each token's path across layers. */
export interface EmbeddingView {
  promptId: string;
  layer: number;
  dimensions: 2 | 3;
  /** [n, dimensions] coordinates of every token at `layer`. */
  points: Float32Array;
  /** Share of variance each component explains. */
  explained: number[];
  /** For the selected token (or -1): its [layers + 1, dimensions] path across layers in one common basis, and its nearest neighbours at `layer` (cosine). */
  selected: number;
  path?: Float32Array;
  neighbours?: Array<{ token: number; similarity: number }>;
}

/** "Why only prefixes cache": the prompt run with two values of a dynamic segment. */
export interface PrefixView {
  promptId: string;
  segment: number;
  values: [string, string];
  /** Token texts of filling A; `common` = shared token prefix of the two fillings. */
  texts: string[];
  common: number;
  /** Per layer 0..layers: [positions] L2 change of the hidden state between the fillings (positions = min length). */
  hiddenChange: Float32Array[];
  /** Per layer: [positions] L2 change of K and V concatenated over heads. */
  kvChange: Float32Array[];
  /** Measured prefill of filling B: from scratch, and reusing the common prefix's KV from filling A (median ms). */
  prefill: { fullMs: number; reusedMs: number; reusedTokens: number; totalTokens: number; maxLogitDifference: number };
}

/** What an export writes: the matrix on screen as CSV, or the whole data as JSON. */
export type ModelExport = { view: 'attention'; layer: number; head: number | 'mean' | 'max'; format: 'csv' | 'json' } | { view: 'embedding'; layer: number; format: 'csv' | 'json' } | { view: 'prefix'; format: 'csv' | 'json' };

/** Extension host → webview. */
export type HostMessage =
  | { type: 'models'; version: typeof PROTOCOL_VERSION; models: ModelChoice[]; selected: string[] }
  | { type: 'prompt'; version: typeof PROTOCOL_VERSION; prompt: PromptView; columns: TokenColumn[] }
  | { type: 'empty'; version: typeof PROTOCOL_VERSION; reason: string }
  /** The editor cursor moved: highlight the tokens at this offset of PromptView.text (-1: outside the prompt). */
  | { type: 'cursor'; version: typeof PROTOCOL_VERSION; promptId: string; offset: number }
  | { type: 'error'; version: typeof PROTOCOL_VERSION; message: string }
  /** The cache view: the providers to pick from, the one in effect, and the prediction, why there is none, or how far it is. */
  | { type: 'cache'; version: typeof PROTOCOL_VERSION; providers: ProviderChoice[]; provider: string; result?: CacheResultView; reason?: string; progress?: CacheProgressView; pasted: boolean }
  | { type: 'modelStatus'; version: typeof PROTOCOL_VERSION; status: ModelStatusView }
  | { type: 'modelTokens'; version: typeof PROTOCOL_VERSION; tokens: ModelTokensView }
  | { type: 'attentionLayer'; version: typeof PROTOCOL_VERSION; attention: AttentionLayerView }
  | { type: 'embedding'; version: typeof PROTOCOL_VERSION; embedding: EmbeddingView }
  | { type: 'prefix'; version: typeof PROTOCOL_VERSION; prefix?: PrefixView; reason?: string };

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
  | { type: 'savePng'; version: typeof PROTOCOL_VERSION; dataUrl: string }
  /** The tab on screen; the host computes the cache prediction only while `cache` is shown. */
  | { type: 'setTab'; version: typeof PROTOCOL_VERSION; tab: ViewTab }
  /** The provider whose caching rules the cache view applies (a ProviderChoice value). */
  | { type: 'setCacheProvider'; version: typeof PROTOCOL_VERSION; provider: string }
  /** A conversation pasted into the cache view (a log or a messages array), or null to follow the editor again. */
  | { type: 'setCacheInput'; version: typeof PROTOCOL_VERSION; text: string | null }
  /** Attention tab: the layer whose heads to send (all heads of one layer travel together). */
  | { type: 'requestAttention'; version: typeof PROTOCOL_VERSION; promptId: string; layer: number }
  /** Embedding tab: layer (0 = input embeddings), 2D or 3D, and the selected token (-1: none). */
  | { type: 'requestEmbedding'; version: typeof PROTOCOL_VERSION; promptId: string; layer: number; dimensions: 2 | 3; selected: number }
  /** Prefix tab: the dynamic segment to vary and its two values (null: generated ones). */
  | { type: 'requestPrefix'; version: typeof PROTOCOL_VERSION; promptId: string; segment: number; values: [string, string] | null }
  /** The window of the prompt's model tokens to analyse (start token, at most `count`; the setting caps it). */
  | { type: 'setModelWindow'; version: typeof PROTOCOL_VERSION; promptId: string; start: number; count: number }
  /** Save matrices: the host asks where and writes the file. */
  | { type: 'exportModelData'; version: typeof PROTOCOL_VERSION; promptId: string; export: ModelExport };
