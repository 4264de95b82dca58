/**
 * Validation of every message crossing the webview boundary, on both sides. A message is untrusted input
 * (another extension's webview, a stale webview after an update, a bug): anything that does not match
 * protocol.ts exactly is rejected with `undefined`, never thrown, so a receiver can drop it and go on.
 * Pure (no DOM): the host imports parseWebviewMessage, the webview parseHostMessage.
 */
import {
  PROTOCOL_VERSION,
  VIEW_TABS,
  type CacheProgressView,
  type CacheResultView,
  type CacheSummaryView,
  type CacheTurnView,
  type AttentionLayerView,
  type EmbeddingView,
  type ModelStatusView,
  type ModelTokensView,
  type PrefixView,
  type NumberRange,
  type ProviderChoice,
  type HostMessage,
  type ModelChoice,
  type PromptView,
  type SegmentView,
  type PartialToken,
  type TokenColumn,
  type WebviewMessage,
} from '../index';
import { isRecord } from '../../text';

/** The side-by-side view shows at most this many tokenizers. */
export const MAX_COLUMNS = 4;
/** A PNG of a large view stays far below this; anything bigger is not a view we drew. */
const MAX_PNG_DATA_URL = 64 * 1024 * 1024;
const PNG_DATA_URL = /^data:image\/png;base64,[A-Za-z0-9+/]*={0,2}$/;
/**
 * Tokens of one column: far above any prompt a view can show (a 200k-token context window), low enough that a
 * malformed message cannot make the view allocate its layout for hundreds of millions of tokens.
 */
export const MAX_COLUMN_TOKENS = 8_000_000;
/** A partial-character token's bytes; real ones are a few bytes, byte-fallback runs a few dozen at most. */
const MAX_PARTIAL_BYTES = 1024;

/** Turns of one cache timeline: far above a real conversation or log the view is meant for (it is virtualised). */
export const MAX_CACHE_TURNS = 100_000;
/** A pasted conversation; the host reads it whole, so a runaway paste is refused rather than parsed. */
export const MAX_PASTED_CONVERSATION = 16 * 1024 * 1024;
/** Provider names are short words (`openai`, `anthropic-breakpoints`). */
const MAX_PROVIDER_NAME = 64;

type Fields = Record<string, unknown>;

function isOffset(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isOptional<T>(value: unknown, check: (value: unknown) => value is T): boolean {
  return value === undefined || check(value);
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function isBoolean(value: unknown): value is boolean {
  return typeof value === 'boolean';
}

function isByteArray(value: unknown): value is number[] {
  if (!Array.isArray(value)) return false;
  for (const byte of value) if (!Number.isInteger(byte) || byte < 0 || byte > 255) return false;
  return true;
}

function isStringList(value: unknown, min: number, max: number): value is string[] {
  return Array.isArray(value) && value.length >= min && value.length <= max && value.every(isString);
}

/** The header every message carries: an object of a known type at this protocol version. */
function envelope(data: unknown): Fields | undefined {
  if (!isRecord(data) || data.version !== PROTOCOL_VERSION || typeof data.type !== 'string') return undefined;
  return data;
}

function isModelChoice(value: unknown): value is ModelChoice {
  return isRecord(value) && isString(value.id) && isString(value.label) && isString(value.tokenizer) && isBoolean(value.approximate);
}

function isUint32Array(value: unknown): value is Uint32Array {
  return value instanceof Uint32Array;
}

/** Strictly ascending token indexes below `count`. */
function isIndexList(value: unknown, count: number): value is number[] {
  if (!Array.isArray(value) || value.length > count) return false;
  let previous = -1;
  for (const index of value) {
    if (!Number.isInteger(index) || index <= previous || index >= count) return false;
    previous = index;
  }
  return true;
}

function isPartialList(value: unknown, count: number): value is PartialToken[] {
  if (!Array.isArray(value) || value.length > count) return false;
  let previous = -1;
  for (const partial of value) {
    if (!isRecord(partial) || !Number.isInteger(partial.index)) return false;
    const index = partial.index as number;
    if (index <= previous || index >= count) return false;
    if (!isByteArray(partial.bytes) || partial.bytes.length === 0 || partial.bytes.length > MAX_PARTIAL_BYTES) return false;
    previous = index;
  }
  return true;
}

/**
 * Parallel token arrays of one length, in text order (starts never decrease), every span inside the text.
 * Written as one loop over typed arrays: a column can hold 100k tokens.
 */
function areTokens(ids: unknown, starts: unknown, ends: unknown, textLength: number): boolean {
  if (!isUint32Array(ids) || !isUint32Array(starts) || !isUint32Array(ends)) return false;
  const count = ids.length;
  if (starts.length !== count || ends.length !== count || count > MAX_COLUMN_TOKENS) return false;
  let previousStart = 0;
  for (let k = 0; k < count; k++) {
    const start = starts[k];
    const end = ends[k];
    if (start < previousStart || end < start || end > textLength) return false;
    previousStart = start;
  }
  return true;
}

function isColumn(value: unknown, textLength: number): value is TokenColumn {
  if (!isRecord(value)) return false;
  if (!isString(value.modelId) || !isString(value.modelLabel) || !isString(value.tokenizer)) return false;
  if (!isBoolean(value.approximate) || !isOptional(value.approximation, isString)) return false;
  if (!isOffset(value.characters) || !isOffset(value.contextWindow)) return false;
  if (!isOptional(value.cost, isFiniteNumber) || !isOptional(value.cachedCost, isFiniteNumber)) return false;
  if (!areTokens(value.ids, value.starts, value.ends, textLength)) return false;
  const count = (value.ids as Uint32Array).length;
  return isPartialList(value.partial, count) && isIndexList(value.special, count);
}

function isSegment(value: unknown, textLength: number): value is SegmentView {
  if (!isRecord(value)) return false;
  const { kind, source, expression, start, end } = value;
  return (
    (kind === 'static' || kind === 'dynamic') &&
    isString(source) &&
    isOptional(expression, isString) &&
    isOffset(start) &&
    isOffset(end) &&
    start <= end &&
    end <= textLength
  );
}

function isDynamicValues(value: unknown, segmentCount: number): value is Record<number, string> {
  if (!isRecord(value)) return false;
  for (const [key, text] of Object.entries(value)) {
    const index = Number(key);
    if (!Number.isInteger(index) || index < 0 || index >= segmentCount || String(index) !== key || !isString(text)) return false;
  }
  return true;
}

function isPrompt(value: unknown): value is PromptView {
  if (!isRecord(value) || !isString(value.id) || !isString(value.title) || !isString(value.text) || !isBoolean(value.pinned)) return false;
  const textLength = value.text.length;
  if (!Array.isArray(value.segments) || !value.segments.every((segment) => isSegment(segment, textLength))) return false;
  return isDynamicValues(value.dynamicValues, value.segments.length);
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** `check` holds for both ends, and min ≤ max. */
function isRange(value: unknown, check: (value: unknown) => value is number): value is NumberRange {
  return isRecord(value) && check(value.min) && check(value.max) && (value.min as number) <= (value.max as number);
}

const isTokenRange = (value: unknown): value is NumberRange => isRange(value, isCount);
const isMoneyRange = (value: unknown): value is NumberRange => isRange(value, isFiniteNumber);

function isList<T>(value: unknown, check: (item: unknown) => item is T, max = Number.POSITIVE_INFINITY): value is T[] {
  return Array.isArray(value) && value.length <= max && value.every(check);
}

function isCost(value: unknown): boolean {
  return isRecord(value) && isOptional(value.withCache, isMoneyRange) && isOptional(value.withoutCache, isFiniteNumber);
}

function isCause(value: unknown): value is CacheTurnView['causes'][number] {
  return isRecord(value) && isString(value.kind) && isString(value.message) && isCount(value.tokensLost);
}

function isDivergence(value: unknown): value is NonNullable<CacheTurnView['divergence']> {
  return (
    isRecord(value) &&
    isCount(value.tokenIndex) &&
    isOptional(value.where, isString) &&
    isOptional(value.previousWhere, isString) &&
    isString(value.before) &&
    isString(value.after)
  );
}

function isActual(value: unknown): value is NonNullable<CacheTurnView['actual']> {
  return (
    isRecord(value) &&
    isOptional(value.inputTokens, isCount) &&
    isOptional(value.cachedTokens, isCount) &&
    isOptional(value.writtenTokens, isCount) &&
    isString(value.source)
  );
}

function isCacheTurn(value: unknown): value is CacheTurnView {
  if (!isRecord(value)) return false;
  return (
    isCount(value.turn) &&
    isOptional(value.line, isCount) &&
    isString(value.model) &&
    isCount(value.inputTokens) &&
    isCount(value.reusedPrefix) &&
    isOptional(value.reusedFrom, isCount) &&
    isTokenRange(value.cached) &&
    isTokenRange(value.written) &&
    isTokenRange(value.uncached) &&
    (value.certainty === 'exact' || value.certainty === 'eligible' || value.certainty === 'probabilistic') &&
    isOptional(value.divergence, isDivergence) &&
    isList(value.causes, isCause) &&
    isCost(value.cost) &&
    isOptional(value.actual, isActual) &&
    isOptional(value.error, isInteger) &&
    isList(value.notes, isString)
  );
}

function isTopCause(value: unknown): value is CacheSummaryView['topCauses'][number] {
  return isRecord(value) && isString(value.kind) && isCount(value.turns) && isCount(value.tokensLost);
}

function isSummaryActual(value: unknown): value is NonNullable<CacheSummaryView['actual']> {
  return isRecord(value) && isCount(value.turns) && isCount(value.cachedTokens) && isFiniteNumber(value.meanAbsoluteError) && value.meanAbsoluteError >= 0;
}

function isSummary(value: unknown): value is CacheSummaryView {
  if (!isRecord(value)) return false;
  const share = value.cachedShare;
  return (
    isCount(value.turns) &&
    isCount(value.inputTokens) &&
    isTokenRange(value.cached) &&
    isMoneyRange(share) &&
    share.min >= 0 &&
    share.max <= 1 &&
    isCost(value.cost) &&
    isOptional(value.saved, isMoneyRange) &&
    isList(value.topCauses, isTopCause) &&
    isOptional(value.actual, isSummaryActual)
  );
}

function isCacheProgress(value: unknown): value is CacheProgressView {
  return isRecord(value) && isCount(value.done) && isCount(value.total) && value.done <= value.total;
}

function isCacheResult(value: unknown): value is CacheResultView {
  if (!isRecord(value)) return false;
  const { source, profile } = value;
  if (!isRecord(source) || !(source.kind === 'log' || source.kind === 'code' || source.kind === 'pasted') || !isString(source.title) || !isString(source.detail)) return false;
  if (!isRecord(profile) || !isString(profile.id) || !isString(profile.label) || !isList(profile.notes, isString)) return false;
  return isList(value.turns, isCacheTurn, MAX_CACHE_TURNS) && isSummary(value.summary) && isList(value.notices, isString);
}

function isProviderChoice(value: unknown): value is ProviderChoice {
  return isRecord(value) && isString(value.value) && isString(value.label);
}

function isProviderName(value: unknown): value is string {
  return isString(value) && value.length > 0 && value.length <= MAX_PROVIDER_NAME;
}

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
/** Softmax rows are within rounding of [0, 1]; anything beyond this is not attention. */
const WEIGHT_TOLERANCE = 1e-3;

function isBoundedCount(value: unknown, max: number): value is number {
  return isCount(value) && value <= max;
}

function isFloat32Array(value: unknown): value is Float32Array {
  return value instanceof Float32Array;
}

/** Every value finite and within [min, max]; one loop, as a layer of attention holds millions of them. */
function allWithin(values: Float32Array, min: number, max: number): boolean {
  for (let k = 0; k < values.length; k++) {
    const value = values[k];
    if (!(value >= min && value <= max)) return false;
  }
  return true;
}

function allFinite(values: Float32Array): boolean {
  return allWithin(values, -Number.MAX_VALUE, Number.MAX_VALUE);
}

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

/** A host → webview message, or undefined when `data` is not exactly one of protocol.ts's HostMessage shapes. */
export function parseHostMessage(data: unknown): HostMessage | undefined {
  const message = envelope(data);
  if (!message) return undefined;
  switch (message.type) {
    case 'models': {
      if (!Array.isArray(message.models) || !message.models.every(isModelChoice)) return undefined;
      if (!isStringList(message.selected, 0, MAX_COLUMNS)) return undefined;
      return message as HostMessage;
    }
    case 'prompt': {
      if (!isPrompt(message.prompt) || !Array.isArray(message.columns) || message.columns.length > MAX_COLUMNS) return undefined;
      const textLength = message.prompt.text.length;
      return message.columns.every((column) => isColumn(column, textLength)) ? (message as HostMessage) : undefined;
    }
    case 'empty':
      return isString(message.reason) ? (message as HostMessage) : undefined;
    case 'cursor':
      return isString(message.promptId) && Number.isInteger(message.offset) && (message.offset as number) >= -1 ? (message as HostMessage) : undefined;
    case 'error':
      return isString(message.message) ? (message as HostMessage) : undefined;
    case 'cache': {
      // Exactly one of a prediction, the reason there is none and the progress of one being made.
      if ([message.result, message.reason, message.progress].filter((part) => part !== undefined).length !== 1) return undefined;
      if (!isList(message.providers, isProviderChoice) || !isString(message.provider) || !isBoolean(message.pasted)) return undefined;
      if (!isOptional(message.reason, isString) || !isOptional(message.result, isCacheResult) || !isOptional(message.progress, isCacheProgress)) return undefined;
      return message as HostMessage;
    }
    case 'modelStatus':
      return isModelStatus(message.status) ? (message as HostMessage) : undefined;
    case 'modelTokens':
      return isModelTokens(message.tokens) ? (message as HostMessage) : undefined;
    case 'attentionLayer':
      return isAttentionLayer(message.attention) ? (message as HostMessage) : undefined;
    case 'embedding':
      return isEmbedding(message.embedding) ? (message as HostMessage) : undefined;
    case 'prefix':
      // Exactly one of the comparison and the reason there is none.
      if ((message.prefix === undefined) === (message.reason === undefined)) return undefined;
      return isOptional(message.reason, isString) && isOptional(message.prefix, isPrefix) ? (message as HostMessage) : undefined;
    default:
      return undefined;
  }
}

/** A value typed into the prefix view for a dynamic part: the model reads at most a window of tokens anyway. */
export const MAX_PREFIX_VALUE = 100_000;

function isAttentionHead(value: unknown): boolean {
  return value === 'mean' || value === 'max' || isBoundedCount(value, MAX_MODEL_HEADS - 1);
}

function isModelExport(value: unknown): boolean {
  if (!isRecord(value) || (value.format !== 'csv' && value.format !== 'json')) return false;
  switch (value.view) {
    case 'attention':
      return isBoundedCount(value.layer, MAX_MODEL_LAYERS - 1) && isAttentionHead(value.head);
    case 'embedding':
      return isBoundedCount(value.layer, MAX_MODEL_LAYERS);
    case 'prefix':
      return true;
    default:
      return false;
  }
}

function isPrefixValues(value: unknown): boolean {
  return value === null || (Array.isArray(value) && value.length === 2 && value.every((text) => isString(text) && text.length <= MAX_PREFIX_VALUE));
}

/** A webview → host message, or undefined when `data` is not exactly one of protocol.ts's WebviewMessage shapes. */
export function parseWebviewMessage(data: unknown): WebviewMessage | undefined {
  const message = envelope(data);
  if (!message) return undefined;
  switch (message.type) {
    case 'ready':
      return message as WebviewMessage;
    case 'setModels': {
      const models = message.models;
      if (!isStringList(models, 1, MAX_COLUMNS) || new Set(models).size !== models.length) return undefined;
      return message as WebviewMessage;
    }
    case 'setDynamicValue':
      return isString(message.promptId) && isOffset(message.segment) && (message.value === null || isString(message.value))
        ? (message as WebviewMessage)
        : undefined;
    case 'pin':
      return isBoolean(message.pinned) ? (message as WebviewMessage) : undefined;
    case 'revealRange':
      return isString(message.promptId) && isOffset(message.start) && isOffset(message.end) && message.start <= message.end
        ? (message as WebviewMessage)
        : undefined;
    case 'copyText':
      return isString(message.text) && isString(message.what) ? (message as WebviewMessage) : undefined;
    case 'savePng': {
      const dataUrl = message.dataUrl;
      return isString(dataUrl) && dataUrl.length <= MAX_PNG_DATA_URL && PNG_DATA_URL.test(dataUrl) ? (message as WebviewMessage) : undefined;
    }
    case 'setTab':
      return (VIEW_TABS as readonly unknown[]).includes(message.tab) ? (message as WebviewMessage) : undefined;
    case 'setCacheProvider':
      return isProviderName(message.provider) ? (message as WebviewMessage) : undefined;
    case 'setCacheInput':
      return message.text === null || (isString(message.text) && message.text.length <= MAX_PASTED_CONVERSATION) ? (message as WebviewMessage) : undefined;
    // Model tabs: layers index attentions (0..layers-1) or hidden states (0..layers, 0 = input embeddings).
    case 'requestAttention':
      return isString(message.promptId) && isBoundedCount(message.layer, MAX_MODEL_LAYERS - 1) ? (message as WebviewMessage) : undefined;
    case 'requestEmbedding': {
      const { selected } = message;
      const isSelected = isInteger(selected) && selected >= -1 && selected < MAX_MODEL_TOKENS;
      return isString(message.promptId) && isBoundedCount(message.layer, MAX_MODEL_LAYERS) && (message.dimensions === 2 || message.dimensions === 3) && isSelected
        ? (message as WebviewMessage)
        : undefined;
    }
    case 'requestPrefix':
      return isString(message.promptId) && isOffset(message.segment) && isPrefixValues(message.values) ? (message as WebviewMessage) : undefined;
    case 'setModelWindow':
      return isString(message.promptId) && isBoundedCount(message.start, MAX_COLUMN_TOKENS) && isBoundedCount(message.count, MAX_MODEL_TOKENS) && message.count > 0
        ? (message as WebviewMessage)
        : undefined;
    case 'exportModelData':
      return isString(message.promptId) && isModelExport(message.export) ? (message as WebviewMessage) : undefined;
    default:
      return undefined;
  }
}
