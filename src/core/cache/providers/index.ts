/**
 * The registry of cache profiles: one provider regime each, defined in the files beside this one
 * (./profile.ts says what a profile holds). Adding a provider: its file, its id in CacheProfileId and
 * its line in PROFILES; the compiler checks that every id has a profile.
 */
import { anthropicBreakpoints } from './anthropic';
import { bedrock } from './bedrock';
import { deepseek } from './deepseek';
import { geminiExplicit, geminiImplicit } from './gemini';
import { llamaCpp } from './llamaCpp';
import { openAiAutomatic, openAiBreakpoints } from './openai';
import type { CacheProfile } from './profile';
import { sglang } from './sglang';
import { vllm } from './vllm';
import { xai } from './xai';

export type { CacheProfile } from './profile';

export type CacheProfileId =
  | 'openai-automatic'
  | 'openai-breakpoints'
  | 'anthropic-breakpoints'
  | 'gemini-implicit'
  | 'gemini-explicit'
  | 'deepseek'
  | 'xai'
  | 'bedrock'
  | 'vllm'
  | 'sglang'
  | 'llama.cpp';

/** In the order PROVIDER_NAMES lists the providers. */
const PROFILES: Record<CacheProfileId, CacheProfile> = {
  'openai-automatic': openAiAutomatic,
  'openai-breakpoints': openAiBreakpoints,
  'anthropic-breakpoints': anthropicBreakpoints,
  'gemini-implicit': geminiImplicit,
  'gemini-explicit': geminiExplicit,
  deepseek,
  xai,
  bedrock,
  vllm,
  sglang,
  'llama.cpp': llamaCpp,
};

export const CACHE_PROFILE_IDS = Object.keys(PROFILES) as CacheProfileId[];

export function cacheProfile(id: CacheProfileId): CacheProfile {
  return PROFILES[id];
}

/** Provider names a user types (`--provider`), mapped to a profile; where a name has several regimes, the model picks one. */
export function profileForProvider(provider: string, model = ''): CacheProfile | undefined {
  const name = provider.trim().toLowerCase();
  if (name in PROFILES) return PROFILES[name as CacheProfileId];
  const named = Object.values(PROFILES).filter((profile) => profile.providerNames.includes(name));
  return named.find((profile) => profile.forModels?.(model)) ?? named.find((profile) => !profile.forModels);
}

const FIRST_NAMES = [...new Set(Object.values(PROFILES).flatMap((profile) => profile.providerNames.slice(0, 1)))];

/** Each provider's name, then the ids of the regimes no provider name stands for alone. */
export const PROVIDER_NAMES = [...FIRST_NAMES, ...CACHE_PROFILE_IDS.filter((id) => !FIRST_NAMES.includes(id))];
