/**
 * Which caching rules apply to a prompt, and whether it could be cached at all: what the code lens and the
 * cache warnings decide before any prediction. Pure, so it is unit-tested without VS Code.
 */
import { profileForModel, profileForProvider, type CacheProfile, type TokenRange } from '../core/cache';
import type { ModelInfo } from '../core/catalog';
import type { Prompt } from '../core/prompt/types';

/**
 * The rules predictions follow. `auto` takes the core's choice for the active model (its catalogue entry's rules,
 * e.g. vLLM for open models, else its provider's, else OpenAI's with a note); a provider name or profile id in the
 * setting overrides it (`fromSetting`). An unknown name falls back to `auto`, with a problem to show once.
 */
export function resolveCacheProfile(setting: string, model: ModelInfo): { profile: CacheProfile; fromSetting: boolean; problem?: string } {
  const chosen = setting.trim() === '' || setting === 'auto' ? undefined : profileForProvider(setting, model.id);
  if (chosen) return { profile: chosen, fromSetting: true };
  const problem = setting.trim() === '' || setting === 'auto' ? undefined : `Prompt Lens: unknown provider "${setting}" in promptLens.cache.provider; using the rules of ${model.id}.`;
  return { profile: profileForModel(model).profile, fromSetting: false, problem };
}

/**
 * Role and message framing around one prompt in a rendered request: 3 tokens per message, the role, 3 for reply
 * priming on OpenAI (OPENAI_OVERHEAD, src/core/cache/render/requestBody.ts), less on Anthropic; rounded up generously.
 */
const FRAMING_TOKENS = 16;

/**
 * Whether any call of this prompt could be served from cache: its static text plus the request's framing must
 * reach the provider's smallest possible minimum. UTF-8 bytes bound the token count from above (every token of a
 * byte-level tokenizer covers at least one byte), so a prompt this test rejects never caches, and no tokenizer is
 * needed to say so.
 */
export function mayCache(prompt: Prompt, minimum: TokenRange): boolean {
  let bytes = 0;
  for (const segment of prompt.segments) if (segment.kind === 'static') bytes += Buffer.byteLength(segment.text, 'utf8');
  return bytes > 0 && bytes + FRAMING_TOKENS >= minimum.min;
}
