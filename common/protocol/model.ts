/**
 * The messages and views of the three model tabs (Attention, Embedding, Prefix): the local model's state,
 * the tokens it saw, and what each tab asks of it.
 */
import type { PROTOCOL_VERSION } from './envelope';

/**
 * Tokens the model views take in one window: above the 1,024 × 1,024 heatmap the views are built for and any
 * n_positions a small local model has, low enough that a malformed message cannot make the view allocate
 * a matrix of billions of cells.
 */
export const MAX_MODEL_TOKENS = 8192;
/** Layers and heads of a model the views draw (GPT-2 XL has 48 × 25; anything local is smaller). */
export const MAX_MODEL_LAYERS = 256;
export const MAX_MODEL_HEADS = 256;
/** One layer's attention: 64M floats (256 MB), far above 16 heads × 1,024² = 16.8M. */
export const MAX_ATTENTION_VALUES = 64 * 1024 * 1024;
/** A value typed into the prefix view for a dynamic part: the model reads at most a window of tokens anyway. */
export const MAX_PREFIX_VALUE = 100_000;

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

export type ModelHostMessage =
  /** Host → webview, whenever the local model's state changes (loading, ready, failed, disabled): every model tab shows it. */
  | { type: 'modelStatus'; version: typeof PROTOCOL_VERSION; status: ModelStatusView }
  /** Host → webview, once a model tab is shown and the model ran on the prompt: the tokens it saw, which every model tab draws on. */
  | { type: 'modelTokens'; version: typeof PROTOCOL_VERSION; tokens: ModelTokensView }
  /** Host → webview, answering requestAttention: all heads of one layer. */
  | { type: 'attentionLayer'; version: typeof PROTOCOL_VERSION; attention: AttentionLayerView }
  /** Host → webview, answering requestEmbedding: the projected hidden states of one layer. */
  | { type: 'embedding'; version: typeof PROTOCOL_VERSION; embedding: EmbeddingView }
  /** Host → webview, answering requestPrefix: the comparison of the two fillings, or why there is none. */
  | { type: 'prefix'; version: typeof PROTOCOL_VERSION; prefix?: PrefixView; reason?: string };

export type ModelWebviewMessage =
  /** Webview → host, from the Attention tab: the layer whose heads to send (all heads of one layer travel together). */
  | { type: 'requestAttention'; version: typeof PROTOCOL_VERSION; promptId: string; layer: number }
  /** Webview → host, from the Embedding tab: layer (0 = input embeddings), 2D or 3D, and the selected token (-1: none). */
  | { type: 'requestEmbedding'; version: typeof PROTOCOL_VERSION; promptId: string; layer: number; dimensions: 2 | 3; selected: number }
  /** Webview → host, from the Prefix tab: the dynamic segment to vary and its two values (null: generated ones). */
  | { type: 'requestPrefix'; version: typeof PROTOCOL_VERSION; promptId: string; segment: number; values: [string, string] | null }
  /** Webview → host, when the user moves the analysed window: start token and at most `count` tokens (the setting caps it). */
  | { type: 'setModelWindow'; version: typeof PROTOCOL_VERSION; promptId: string; start: number; count: number }
  /** Webview → host, from Export CSV / Export JSON: save matrices; the host asks where and writes the file. */
  | { type: 'exportModelData'; version: typeof PROTOCOL_VERSION; promptId: string; export: ModelExport };
