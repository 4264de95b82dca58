/**
 * Data shapes of the local model runtime: what the attention heatmap, the embedding projection and the
 * "why only prefixes cache" views consume. Every matrix is a flat row-major Float32Array with its shape
 * written next to it, so the host can post it to a webview or export it as CSV/JSON without copying.
 */

/** Why a model operation gave no result. `cancelled` is expected (the prompt under the cursor changed). */
type ModelErrorCode =
  | 'cancelled'
  | 'missing-files'
  | 'invalid-config'
  | 'no-attention-outputs'
  | 'unsupported-platform'
  | 'load-failed'
  | 'run-failed'
  | 'empty-prompt'
  | 'network-disabled'
  | 'invalid-model-id'
  | 'download-failed';

export interface ModelError {
  code: ModelErrorCode;
  /** A sentence for the user, saying what to do where there is something to do. */
  message: string;
}

/** Public functions never throw: they return a value or the reason there is none. */
export type ModelResult<T> = { ok: true; value: T } | { ok: false; error: ModelError };

/** Dimensions read from the folder's config.json (GPT-2 names: n_layer, n_head, n_embd, n_positions). */
export interface ModelShape {
  modelType: string;
  layers: number;
  heads: number;
  hiddenSize: number;
  headDim: number;
  vocabSize: number;
  /** Longest sequence the position embeddings cover. */
  maxPositions: number;
}

/** One token of the analysed prompt; offsets are UTF-16 code units into the prompt text. */
export interface ModelToken {
  id: number;
  text: string;
  start: number;
  end: number;
}

/** The output groups of a pass; a view asks only for what it shows, as each group costs memory (the logits of 512 tokens are 16 MB). */
export type OutputGroup = 'logits' | 'attentions' | 'hiddenStates' | 'kv';

/** What one forward pass of the ONNX graph returns (batch 1), as flat row-major arrays; groups not asked for are absent. */
export interface ForwardOutputs {
  /** Tokens fed in this pass. */
  length: number;
  /** Tokens already in the KV cache that this pass attended to. */
  pastLength: number;
  /** [length, vocab] */
  logits?: Float32Array;
  /** Per layer: [heads, length, pastLength + length], rows after softmax; masked (future) keys exactly 0. */
  attentions?: Float32Array[];
  /** Per layer 0..layers: [length, hiddenSize]; 0 = embedding output, last = after the final layer norm. */
  hiddenStates?: Float32Array[];
  /** Per layer: [heads, pastLength + length, headDim] — what a prompt cache stores. */
  keys?: Float32Array[];
  values?: Float32Array[];
}

/** The KV cache of a token prefix, ready to be fed back as past_key_values. */
export interface KvCache {
  length: number;
  keys: Float32Array[];
  values: Float32Array[];
}

/** The result of inspecting one prompt: the data of the attention and embedding views. */
export interface Inspection {
  shape: ModelShape;
  /** The analysed tokens (the window), with offsets into the whole prompt text. */
  tokens: ModelToken[];
  /** Tokens in the whole prompt; more than tokens.length when the window truncated it. */
  totalTokens: number;
  /** Index in the whole prompt's tokens of tokens[0]. */
  windowStart: number;
  /** Per layer: [heads, n, n] with n = tokens.length; row q sums to 1, entries with k > q are 0. */
  attentions: Float32Array[];
  /** Per layer 0..layers: [n, hiddenSize]. */
  hiddenStates: Float32Array[];
  /** Per layer: [heads, n, headDim]. */
  keys: Float32Array[];
  values: Float32Array[];
  /** Milliseconds of the forward pass (not counting tokenization). */
  forwardMs: number;
}

export interface ProgressReport {
  /** 'files': reading the folder; 'session': building the ONNX Runtime session; 'ready': loaded. */
  phase: 'files' | 'session' | 'ready';
  /** 0..1 where known. */
  fraction?: number;
  message: string;
}
