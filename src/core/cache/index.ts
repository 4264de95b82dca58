/**
 * Predicted prompt-cache hits across the turns of a conversation, and the cache lint of prompts in
 * code: profiles per provider regime (providers/), rendering of request bodies to tokens (render/),
 * the predictor (predict/), the log reader (log/) and the lint rules (lint/). Pure: no I/O, no
 * `vscode`; the caller loads tokenizers and reads files. This file only re-exports.
 */
export * from './types';
export { CACHE_PROFILE_IDS, PROVIDER_NAMES, cacheProfile, profileForProvider, type CacheProfileId } from './providers';
export type { CacheProfile } from './providers/profile';
export { isOpenAiBreakpointModel, openAiIncrements } from './providers/openai';
export { fullBlocks } from './providers/vllm';
export { renderRequest, renderOpenAiChat, renderOpenAiResponses, renderAnthropic, partAt, memoEncoder, RenderMemo } from './render/requestBody';
export { predictConversation, type CachePrediction, type ConversationRequest } from './predict/predict';
export { parseLog, readUsage } from './log/parseLog';
export { predictLog } from './log/predictLog';
export { commonPrefixLength } from './predict/prefixIndex';
export { analyzePromptCache, generatedValue, profileForModel, DEFAULT_CALLS_PER_DAY, type PromptCacheOptions, type PromptCacheReport } from './predict/promptCache';
export { findCacheWarnings } from './lint/findWarnings';
export type { CacheLintOptions, CacheWarning } from './lint/rule';
export type { CacheFix } from './lint/fix';
export { classifyExpression } from './volatility';
export { chatTemplateFromConfig, renderChatTemplate, renderForEngine, memoChunkEncoder, type ChatTemplate, type ChatTemplateRender } from './render/chatTemplate';
