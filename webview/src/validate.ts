/**
 * Validation of every message crossing the webview boundary, on both sides. A message is untrusted input
 * (another extension's webview, a stale webview after an update, a bug): anything that does not match
 * protocol.ts exactly is rejected with `undefined`, never thrown, so a receiver can drop it and go on.
 * Pure (no DOM): the host imports parseWebviewMessage, the webview parseHostMessage.
 */
import {
  PROTOCOL_VERSION,
  VIEW_TABS,
  type CacheResultView,
  type CacheSummaryView,
  type CacheTurnView,
  type NumberRange,
  type ProviderChoice,
  type HostMessage,
  type ModelChoice,
  type PromptView,
  type SegmentView,
  type PartialToken,
  type TokenColumn,
  type WebviewMessage,
} from './protocol';

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

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

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
      // Exactly one of a prediction and the reason there is none.
      if ((message.result === undefined) === (message.reason === undefined)) return undefined;
      if (!isList(message.providers, isProviderChoice) || !isString(message.provider) || !isBoolean(message.pasted)) return undefined;
      if (!isOptional(message.reason, isString) || !isOptional(message.result, isCacheResult)) return undefined;
      return message as HostMessage;
    }
    default:
      return undefined;
  }
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
    default:
      return undefined;
  }
}
