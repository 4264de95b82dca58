/** Parsers of the Cache tab's messages: the prediction of a conversation, and the provider and paste requests. */
import {
  MAX_CACHE_TURNS,
  MAX_PASTED_CONVERSATION,
  MAX_PROVIDER_NAME,
  type CacheHostMessage,
  type CacheProgressView,
  type CacheResultView,
  type CacheSummaryView,
  type CacheTurnView,
  type CacheWebviewMessage,
  type NumberRange,
  type ProviderChoice,
} from '../cache';
import { isRecord } from '../../text';
import { accept, isBoolean, isCount, isFiniteNumber, isInteger, isList, isOptional, isString, type Parsers } from './primitives';

/** `check` holds for both ends, and min ≤ max. */
function isRange(value: unknown, check: (value: unknown) => value is number): value is NumberRange {
  return isRecord(value) && check(value.min) && check(value.max) && (value.min as number) <= (value.max as number);
}

const isTokenRange = (value: unknown): value is NumberRange => isRange(value, isCount);
const isMoneyRange = (value: unknown): value is NumberRange => isRange(value, isFiniteNumber);

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

export const cacheHostParsers: Parsers<CacheHostMessage> = {
  cache: (message) => {
    // Exactly one of a prediction, the reason there is none and the progress of one being made.
    if ([message.result, message.reason, message.progress].filter((part) => part !== undefined).length !== 1) return undefined;
    if (!isList(message.providers, isProviderChoice) || !isString(message.provider) || !isBoolean(message.pasted)) return undefined;
    return accept(message, isOptional(message.reason, isString) && isOptional(message.result, isCacheResult) && isOptional(message.progress, isCacheProgress));
  },
};

export const cacheWebviewParsers: Parsers<CacheWebviewMessage> = {
  setCacheProvider: (message) => accept(message, isProviderName(message.provider)),
  setCacheInput: (message) => accept(message, message.text === null || (isString(message.text) && message.text.length <= MAX_PASTED_CONVERSATION)),
};
