/** Parsers of the model tabs' messages: the model's state, tokens, attention, embedding and prefix comparison, and their requests. */
import {
  MAX_ATTENTION_VALUES,
  MAX_MODEL_HEADS,
  MAX_MODEL_LAYERS,
  MAX_MODEL_TOKENS,
  MAX_PREFIX_VALUE,
  type AttentionLayerView,
  type EmbeddingView,
  type ModelExport,
  type ModelHostMessage,
  type ModelStatusView,
  type ModelTokensView,
  type ModelWebviewMessage,
  type PrefixView,
} from '../model';
import { MAX_COLUMN_TOKENS } from '../tokens';
import { isRecord } from '../../text';
import {
  accept,
  allFinite,
  allWithin,
  isBoundedCount,
  isCount,
  isFiniteNumber,
  isFloat32Array,
  isInteger,
  isList,
  isOptional,
  isString,
  isStringList,
  isUint32Array,
  type Parsers,
} from './primitives';

/** Softmax rows are within rounding of [0, 1]; anything beyond this is not attention. */
const WEIGHT_TOLERANCE = 1e-3;

const MODEL_STATES: readonly unknown[] = ['idle', 'loading', 'ready', 'error', 'disabled'];

function isModelStatus(value: unknown): value is ModelStatusView {
  if (!isRecord(value) || !MODEL_STATES.includes(value.state) || !isString(value.label) || !isString(value.message)) return false;
  return value.progress === undefined || (isFiniteNumber(value.progress) && value.progress >= 0 && value.progress <= 1);
}

function isModelTokens(value: unknown): value is ModelTokensView {
  if (!isRecord(value) || !isString(value.promptId) || !isStringList(value.texts, 0, MAX_MODEL_TOKENS)) return false;
  const count = value.texts.length;
  const { starts, ends, dynamic } = value;
  if (!isUint32Array(starts) || !isUint32Array(ends) || starts.length !== count || ends.length !== count) return false;
  if (!(dynamic instanceof Uint8Array) || dynamic.length !== count) return false;
  let previousStart = 0;
  for (let k = 0; k < count; k++) {
    if (starts[k] < previousStart || ends[k] < starts[k] || dynamic[k] > 1) return false;
    previousStart = starts[k];
  }
  if (!isCount(value.windowStart) || !isCount(value.totalTokens) || value.windowStart + count > value.totalTokens) return false;
  return isBoundedCount(value.layers, MAX_MODEL_LAYERS) && value.layers > 0 && isBoundedCount(value.heads, MAX_MODEL_HEADS) && value.heads > 0;
}

function isAttentionLayer(value: unknown): value is AttentionLayerView {
  if (!isRecord(value) || !isString(value.promptId) || !isBoundedCount(value.layer, MAX_MODEL_LAYERS)) return false;
  const { heads, n, weights } = value;
  if (!isBoundedCount(heads, MAX_MODEL_HEADS) || heads === 0 || !isBoundedCount(n, MAX_MODEL_TOKENS) || !isFloat32Array(weights)) return false;
  return heads * n * n <= MAX_ATTENTION_VALUES && weights.length === heads * n * n && allWithin(weights, 0, 1 + WEIGHT_TOLERANCE);
}

function isNeighbour(count: number): (value: unknown) => value is { token: number; similarity: number } {
  return (value): value is { token: number; similarity: number } =>
    isRecord(value) && isCount(value.token) && value.token < count && isFiniteNumber(value.similarity) && Math.abs(value.similarity) <= 1 + WEIGHT_TOLERANCE;
}

function isEmbedding(value: unknown): value is EmbeddingView {
  if (!isRecord(value) || !isString(value.promptId) || !isBoundedCount(value.layer, MAX_MODEL_LAYERS)) return false;
  const { dimensions, points, explained, selected, path, neighbours } = value;
  if ((dimensions !== 2 && dimensions !== 3) || !isFloat32Array(points) || points.length % dimensions !== 0 || !allFinite(points)) return false;
  const count = points.length / dimensions;
  if (count > MAX_MODEL_TOKENS) return false;
  if (!Array.isArray(explained) || explained.length !== dimensions || !explained.every((share) => isFiniteNumber(share) && share >= 0 && share <= 1 + WEIGHT_TOLERANCE)) return false;
  if (!isInteger(selected) || selected < -1 || selected >= count) return false;
  if (path !== undefined && (!isFloat32Array(path) || path.length === 0 || path.length % dimensions !== 0 || path.length / dimensions > MAX_MODEL_LAYERS + 1 || !allFinite(path))) return false;
  return neighbours === undefined || isList(neighbours, isNeighbour(count), MAX_MODEL_TOKENS);
}

/** Per-layer series of one length each; relative changes are ≥ 0 (and finite). */
function isSeriesList(value: unknown, positions: number): value is Float32Array[] {
  return isList(value, isFloat32Array, MAX_MODEL_LAYERS + 1) && value.every((series) => series.length === positions && allWithin(series, 0, Number.MAX_VALUE));
}

function isPrefix(value: unknown): value is PrefixView {
  if (!isRecord(value) || !isString(value.promptId) || !isCount(value.segment)) return false;
  const { values, texts, common, hiddenChange, kvChange, prefill } = value;
  if (!Array.isArray(values) || values.length !== 2 || !values.every(isString)) return false;
  if (!isStringList(texts, 0, MAX_MODEL_TOKENS) || !isCount(common) || common > texts.length) return false;
  const positions = Array.isArray(hiddenChange) && isFloat32Array(hiddenChange[0]) ? hiddenChange[0].length : 0;
  if (positions > texts.length || !isSeriesList(hiddenChange, positions) || hiddenChange.length === 0 || !isSeriesList(kvChange, positions)) return false;
  if (!isRecord(prefill)) return false;
  const { fullMs, reusedMs, reusedTokens, totalTokens, maxLogitDifference } = prefill;
  const isDuration = (ms: unknown) => isFiniteNumber(ms) && ms >= 0;
  return isDuration(fullMs) && isDuration(reusedMs) && isCount(reusedTokens) && isCount(totalTokens) && reusedTokens <= totalTokens && isDuration(maxLogitDifference);
}

function isAttentionHead(value: unknown): boolean {
  return value === 'mean' || value === 'max' || isBoundedCount(value, MAX_MODEL_HEADS - 1);
}

/** Each export view and the fields it needs; an unknown view is rejected. */
const EXPORT_VIEWS: Record<ModelExport['view'], (value: Record<string, unknown>) => boolean> = {
  attention: (value) => isBoundedCount(value.layer, MAX_MODEL_LAYERS - 1) && isAttentionHead(value.head),
  embedding: (value) => isBoundedCount(value.layer, MAX_MODEL_LAYERS),
  prefix: () => true,
};

function isModelExport(value: unknown): boolean {
  if (!isRecord(value) || (value.format !== 'csv' && value.format !== 'json')) return false;
  return typeof value.view === 'string' && Object.hasOwn(EXPORT_VIEWS, value.view) && EXPORT_VIEWS[value.view as ModelExport['view']](value);
}

function isPrefixValues(value: unknown): boolean {
  return value === null || (Array.isArray(value) && value.length === 2 && value.every((text) => isString(text) && text.length <= MAX_PREFIX_VALUE));
}

export const modelHostParsers: Parsers<ModelHostMessage> = {
  modelStatus: (message) => accept(message, isModelStatus(message.status)),
  modelTokens: (message) => accept(message, isModelTokens(message.tokens)),
  attentionLayer: (message) => accept(message, isAttentionLayer(message.attention)),
  embedding: (message) => accept(message, isEmbedding(message.embedding)),
  // Exactly one of the comparison and the reason there is none.
  prefix: (message) => accept(message, (message.prefix === undefined) !== (message.reason === undefined) && isOptional(message.reason, isString) && isOptional(message.prefix, isPrefix)),
};

// Layers index attentions (0..layers-1) or hidden states (0..layers, 0 = input embeddings).
export const modelWebviewParsers: Parsers<ModelWebviewMessage> = {
  requestAttention: (message) => accept(message, isString(message.promptId) && isBoundedCount(message.layer, MAX_MODEL_LAYERS - 1)),
  requestEmbedding: (message) => {
    const { selected } = message;
    const isSelected = isInteger(selected) && selected >= -1 && selected < MAX_MODEL_TOKENS;
    return accept(message, isString(message.promptId) && isBoundedCount(message.layer, MAX_MODEL_LAYERS) && (message.dimensions === 2 || message.dimensions === 3) && isSelected);
  },
  requestPrefix: (message) => accept(message, isString(message.promptId) && isCount(message.segment) && isPrefixValues(message.values)),
  setModelWindow: (message) => accept(message, isString(message.promptId) && isBoundedCount(message.start, MAX_COLUMN_TOKENS) && isBoundedCount(message.count, MAX_MODEL_TOKENS) && message.count > 0),
  exportModelData: (message) => accept(message, isString(message.promptId) && isModelExport(message.export)),
};
