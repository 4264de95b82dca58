/**
 * Predicted prompt-cache hits across the turns of a conversation, and the cache lint of prompts in
 * code: profiles per provider regime (providers/), rendering of request bodies to tokens (render/),
 * the predictor (predict/), the log reader (log/) and the lint rules (lint/). Pure: no I/O, no
 * `vscode`; the caller loads tokenizers and reads files. This file only re-exports.
 */
export * from './types';
export { CACHE_PROFILE_IDS, PROVIDER_NAMES, cacheProfile, profileForProvider, type CacheProfileId } from './providers';
export type { CacheProfile, EngineOptions } from './providers/profile';
export { isOpenAiBreakpointModel, openAiIncrements } from './providers/openai';
export { fullBlocks } from './providers/vllm';
export { renderRequest, renderOpenAiChat, renderOpenAiResponses, renderAnthropic, detectApi, partAt, spanAt, memoEncoder, RenderMemo, OPENAI_OVERHEAD } from './render/requestBody';
export { predictConversation, type CachePrediction, type CacheSummary, type ConversationRequest, type PredictOptions } from './predict/predict';
export { parseLog, readUsage, type LoggedRequest, type ParsedLog } from './log/parseLog';
export { predictLog, type LogPredictionOptions } from './log/predictLog';
export { PrefixTrie, commonPrefixLength, prefixHashes } from './predict/prefixIndex';
export { analyzePromptCache, cacheableAt, generatedValue, profileForModel, roleOf, DEFAULT_CALLS_PER_DAY, DEFAULT_SIMULATED_CALLS, type PromptCacheOptions, type PromptCacheReport } from './predict/promptCache';
export { findCacheWarnings } from './lint/findWarnings';
export { DEFAULT_MIN_STATIC_TOKENS, type CacheLintOptions, type CacheWarning } from './lint/rule';
export type { CacheWarningKind } from './lint/rules';
export type { CacheFix } from './lint/fix';
export { classifyExpression, VOLATILITY_PATTERNS, type ChangeRate, type Volatility, type VolatilityKind } from './volatility';
export { chatTemplateFromConfig, renderChatTemplate, renderForEngine, memoChunkEncoder, type ChatTemplate, type ChatTemplateLoad, type ChatTemplateEngine, type ChatTemplateRender, type ChunkEncoder } from './render/chatTemplate';
