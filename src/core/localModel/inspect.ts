import { CANCELLED, fail, type LoadedModel } from './runtime';
import type { Inspection, ModelResult, ModelToken } from './types';

/** The attention heatmap's default window: 512 tokens keep one layer × head under 1 MB. */
export const DEFAULT_WINDOW_TOKENS = 512;

export interface InspectOptions {
  /** First token of the window in the prompt's tokens (default 0). The window runs as its own sequence. */
  windowStart?: number;
  /** Tokens in the window (default 512, at most the model's positions). */
  maxTokens?: number;
  signal?: AbortSignal;
}

/** Tokenizes `text` with the model's tokenizer: ids with their text and UTF-16 offsets into `text`. */
export function modelTokens(model: LoadedModel, text: string): ModelToken[] {
  return model.tokenizer.tokens(text).map(({ id, text: tokenText, start, end }) => ({ id, text: tokenText, start, end }));
}

/**
 * Runs the model on a window of the prompt's tokens and returns what the attention and embedding views
 * show. Cancelled (result `cancelled`) when `signal` aborts before the pass finishes.
 */
export async function inspectPrompt(model: LoadedModel, text: string, options: InspectOptions = {}): Promise<ModelResult<Inspection>> {
  if (options.signal?.aborted) return { ok: false, error: CANCELLED };
  const all = modelTokens(model, text);
  if (all.length === 0) return fail('empty-prompt', 'The prompt is empty: there is nothing to run the model on.');
  const size = Math.max(1, Math.min(options.maxTokens ?? DEFAULT_WINDOW_TOKENS, model.shape.maxPositions));
  const windowStart = Math.max(0, Math.min(options.windowStart ?? 0, all.length - 1));
  const tokens = all.slice(windowStart, windowStart + size);
  const started = performance.now();
  const result = await model.forward(
    tokens.map((token) => token.id),
    { signal: options.signal, outputs: ['attentions', 'hiddenStates', 'kv'] },
  );
  if (!result.ok) return result;
  const { attentions, hiddenStates, keys, values } = result.value;
  return {
    ok: true,
    value: {
      shape: model.shape,
      tokens,
      totalTokens: all.length,
      windowStart,
      attentions: attentions!,
      hiddenStates: hiddenStates!,
      keys: keys!,
      values: values!,
      forwardMs: performance.now() - started,
    },
  };
}
