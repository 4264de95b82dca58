/**
 * Google Gemini: implicit caching (the default for `gemini`/`google`) and explicit CachedContent. Both
 * regimes live here because they share the minimum table, the tokenizer and the provider name.
 */
import type { CacheProfile } from './profile';
import { exactly, HOUR, lookup } from './rules';
import type { TokenRange } from '../types';

/** Gemini minimums: 2025, early-2026 and mid/late-2026 texts disagree, so each model gets the span [GEM-doc; reference §6]. */
const GEMINI_MINIMUMS: Array<[RegExp, TokenRange]> = [
  [/gemini-3\.[5-8]-flash/, exactly(4096)],
  [/gemini-3(\.\d)?-pro/, exactly(4096)],
  [/gemini-3(\.\d)?-flash/, { min: 1024, max: 4096 }],
  [/gemini-2\.5-flash/, { min: 1024, max: 2048 }],
  [/gemini-2\.5-pro/, { min: 2048, max: 4096 }],
];

const geminiMinimum = (model: string) => lookup(GEMINI_MINIMUMS, model, { min: 1024, max: 4096 });

export const geminiImplicit: CacheProfile = {
  id: 'gemini-implicit',
  label: 'Gemini implicit caching',
  shortName: 'Gemini',
  providerNames: ['gemini', 'google'],
  fallbackTokenizer: 'hf:gemma3',
  requestApi: 'openai-chat',
  matching: 'prefix',
  // "no cost saving guarantee"; granularity and TTL undocumented; dead zones observed [GEM-doc; googleapis/python-genai#2064].
  certainty: 'probabilistic',
  minimum: geminiMinimum,
  // No documented granularity: anything from nothing to the whole shared prefix (the predictor applies the minimum).
  hit: (lcp, n) => ({ min: 0, max: Math.min(lcp, n) }),
  // Undocumented; observed gone after ~15 min [googleapis/python-genai#2064]; Vertex says 24 h (secondary).
  ttl: () => ({ minMs: 0, maxMs: 24 * HOUR, refreshOnHit: true, label: 'undocumented (observed ~15 min)' }),
  multipliers: { read: 0.1 }, // ~0.1× on 2.5+ [reference §2]
  usage: 'subset',
  keyScoped: false,
  notes: ['Gemini implicit caching has no guarantee: below ~2K never, 2–5K inconsistent, a 9K–17K dead zone on some models [BerriAI/litellm#10667; googleapis/python-genai#2064].'],
};

export const geminiExplicit: CacheProfile = {
  id: 'gemini-explicit',
  label: 'Gemini explicit CachedContent',
  shortName: 'Gemini',
  providerNames: [], // chosen by its id: `gemini` means implicit caching
  fallbackTokenizer: 'hf:gemma3',
  requestApi: 'openai-chat',
  matching: 'prefix',
  certainty: 'exact',
  minimum: geminiMinimum,
  // The whole cached object is a prefix of the prompt [GEM-doc]: token granularity.
  hit: (lcp, n) => exactly(Math.min(lcp, n)),
  ttl: () => ({ minMs: HOUR, maxMs: HOUR, refreshOnHit: false, label: '1 h default (set by the cache)' }), // [GEM-doc]
  multipliers: { read: 0.1 }, // 90% on 2.5, 75% on 2.0 [VTX-doc]; storage per hour is not in this estimate
  usage: 'subset',
  keyScoped: false,
  notes: ['Explicit caches also bill storage per hour, which this estimate leaves out [GEM-doc].'],
};
