/**
 * Predicted prompt-cache hits across the turns of a conversation (issue 4): profiles per provider
 * regime, rendering of request bodies to tokens, the predictor and the log reader. Pure: no I/O,
 * no `vscode`; the caller loads tokenizers and reads files.
 */
import type { ModelInfo } from '../catalog';
import type { Tokenizer } from '../tokenize';
import type { Notice } from '../prompt/types';
import type { ParsedLog } from './log/parseLog';
import { predictConversation, type CachePrediction, type ConversationRequest } from './predict/predict';
import type { CacheProfile, EngineOptions } from './providers/profile';
import { memoEncoder, renderRequest, RenderMemo } from './render/requestBody';
import { memoChunkEncoder, renderForEngine, type ChatTemplateLoad, type ChunkEncoder } from './render/chatTemplate';

export * from './types';
export { CACHE_PROFILE_IDS, PROVIDER_NAMES, cacheProfile, profileForProvider, type CacheProfileId } from './providers';
export type { CacheProfile, EngineOptions } from './providers/profile';
export { isOpenAiBreakpointModel, openAiIncrements } from './providers/openai';
export { fullBlocks } from './providers/vllm';
export { renderRequest, renderOpenAiChat, renderOpenAiResponses, renderAnthropic, detectApi, partAt, spanAt, memoEncoder, RenderMemo, OPENAI_OVERHEAD } from './render/requestBody';
export { predictConversation, type CachePrediction, type CacheSummary, type ConversationRequest, type PredictOptions } from './predict/predict';
export { parseLog, readUsage, type LoggedRequest, type ParsedLog } from './log/parseLog';
export { PrefixTrie, commonPrefixLength, prefixHashes } from './predict/prefixIndex';
export { analyzePromptCache, cacheableAt, generatedValue, profileForModel, roleOf, DEFAULT_CALLS_PER_DAY, DEFAULT_SIMULATED_CALLS, type PromptCacheOptions, type PromptCacheReport } from './predict/promptCache';
export { findCacheWarnings } from './lint/findWarnings';
export { DEFAULT_MIN_STATIC_TOKENS, type CacheLintOptions, type CacheWarning } from './lint/rule';
export type { CacheWarningKind } from './lint/rules';
export type { CacheFix } from './lint/fix';
export { classifyExpression, VOLATILITY_PATTERNS, type ChangeRate, type Volatility, type VolatilityKind } from './volatility';
export { chatTemplateFromConfig, renderChatTemplate, renderForEngine, memoChunkEncoder, type ChatTemplate, type ChatTemplateLoad, type ChatTemplateEngine, type ChatTemplateRender, type ChunkEncoder } from './render/chatTemplate';

export interface LogPredictionOptions {
  profile: CacheProfile;
  /** Overrides every request's model (prices, tokenizer, minimums): "this log, on model M". */
  model?: string;
  /** The model to use when a request names none (and no override is given). */
  defaultModel: string;
  findModel: (id: string) => ModelInfo | undefined;
  /** The tokenizer to render a model's requests with; loaded by the caller. */
  tokenizerFor: (model: string) => Tokenizer;
  engine?: EngineOptions;
  /** The model's chat template, loaded by the caller: engine profiles (vllm, sglang, llama.cpp) render Chat Completions bodies with it. */
  chatTemplateFor?: (model: string) => ChatTemplateLoad | undefined;
  /** Called after each request is rendered (`done` of `total`); the predictor runs once the last one is. */
  onProgress?: (done: number, total: number) => void;
}

/** Renders each logged request with its model's tokenizer and predicts the conversation. */
export function predictLog(log: ParsedLog, options: LogPredictionOptions): CachePrediction & { notices: Notice[] } {
  const notices: Notice[] = [...log.notices];
  // One memo per model: a growing conversation resends its messages, each rendered once (RenderMemo).
  const memos = new Map<string, RenderMemo>();
  const chunkEncoders = new Map<string, ChunkEncoder>();
  const chunkEncoder = (model: string): ChunkEncoder => {
    let encode = chunkEncoders.get(model);
    if (!encode) chunkEncoders.set(model, (encode = memoChunkEncoder(options.tokenizerFor(model))));
    return encode;
  };
  const conversation: ConversationRequest[] = [];
  log.requests.forEach((request, index) => {
    const model = options.model ?? (typeof request.body.model === 'string' && request.body.model !== '' ? request.body.model : options.defaultModel);
    let memo = memos.get(model);
    if (!memo) {
      memo = new RenderMemo(memoEncoder(options.tokenizerFor(model)));
      memos.set(model, memo);
    }
    try {
      const body = { ...request.body, model };
      const engine = options.profile.chatTemplateEngine;
      const rendered =
        request.api === 'openai-chat' && engine
          ? renderForEngine(body, engine, options.chatTemplateFor?.(model), chunkEncoder(model), () => renderRequest(request.api, body, memo!.encode, memo))
          : renderRequest(request.api, body, memo.encode, memo);
      conversation.push({ rendered, timestamp: request.timestamp, promptCacheKey: request.promptCacheKey, line: request.line, actual: request.actual });
    } catch (error) {
      notices.push({ severity: 'warning', line: request.line - 1, message: `line ${request.line} could not be rendered (${(error as Error).message}); skipped` });
    }
    options.onProgress?.(index + 1, log.requests.length);
  });
  const prediction = predictConversation(conversation, {
    profile: options.profile,
    engine: options.engine,
    findModel: options.findModel,
    decode: (ids, model) => options.tokenizerFor(model).decode(ids),
  });
  return { ...prediction, notices };
}
