/** A request log predicted: each logged request rendered with its model's tokenizer, then the conversation predicted. */
import type { ModelInfo } from '../../catalog';
import type { Tokenizer } from '../../tokenize';
import type { Notice } from '../../prompt/types';
import type { ParsedLog } from './parseLog';
import { predictConversation, type CachePrediction, type ConversationRequest } from '../predict/predict';
import type { CacheProfile, EngineOptions } from '../providers/profile';
import { memoEncoder, renderRequest, RenderMemo } from '../render/requestBody';
import { memoChunkEncoder, renderForEngine, type ChatTemplateLoad, type ChunkEncoder } from '../render/chatTemplate';

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
