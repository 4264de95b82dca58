/** Parsers of the Tokens tab's messages: the prompt, its token columns, and the header's requests. */
import { MAX_COLUMN_TOKENS, MAX_COLUMNS, MAX_PARTIAL_BYTES, type ModelChoice, type PartialToken, type PromptView, type SegmentView, type TokenColumn, type TokensHostMessage, type TokensWebviewMessage } from '../tokens';
import { isRecord } from '../../text';
import { accept, isBoolean, isByteArray, isCount, isOptional, isFiniteNumber, isString, isStringList, isUint32Array, type Parsers } from './primitives';

function isModelChoice(value: unknown): value is ModelChoice {
  return isRecord(value) && isString(value.id) && isString(value.label) && isString(value.tokenizer) && isBoolean(value.approximate);
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
  if (!isCount(value.characters) || !isCount(value.contextWindow)) return false;
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
    isCount(start) &&
    isCount(end) &&
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

export const tokensHostParsers: Parsers<TokensHostMessage> = {
  models: (message) => accept(message, Array.isArray(message.models) && message.models.every(isModelChoice) && isStringList(message.selected, 0, MAX_COLUMNS)),
  prompt: (message) => {
    if (!isPrompt(message.prompt) || !Array.isArray(message.columns) || message.columns.length > MAX_COLUMNS) return undefined;
    const textLength = message.prompt.text.length;
    return accept(message, message.columns.every((column) => isColumn(column, textLength)));
  },
  cursor: (message) => accept(message, isString(message.promptId) && Number.isInteger(message.offset) && (message.offset as number) >= -1),
};

export const tokensWebviewParsers: Parsers<TokensWebviewMessage> = {
  setModels: (message) => {
    const models = message.models;
    return accept(message, isStringList(models, 1, MAX_COLUMNS) && new Set(models).size === models.length);
  },
  setDynamicValue: (message) => accept(message, isString(message.promptId) && isCount(message.segment) && (message.value === null || isString(message.value))),
  pin: (message) => accept(message, isBoolean(message.pinned)),
  revealRange: (message) => accept(message, isString(message.promptId) && isCount(message.start) && isCount(message.end) && message.start <= message.end),
  copyText: (message) => accept(message, isString(message.text) && isString(message.what)),
};
