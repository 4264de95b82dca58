/** xAI (Grok) automatic prefix caching, per server [XAI-doc]. */
import type { CacheProfile } from './profile';
import { exactly, floorTo } from './rules';

export const xai: CacheProfile = {
  id: 'xai',
  label: 'xAI (Grok) automatic caching',
  shortName: 'xAI',
  providerNames: ['xai', 'grok'],
  fallbackTokenizer: 'o200k_base',
  requestApi: 'openai-chat',
  matching: 'prefix',
  // Docs: leading messages that match exactly [XAI-doc]; measured: 128-token blocks (secondary). The
  // predictor takes the smaller of the two as the low end and the larger as the high end.
  certainty: 'eligible',
  // Routed per server [XAI-doc]; OpenAI's published route and overflow rate [OAI-guide] are assumed.
  prefixRouting: { hashedTokens: 256, overflowPerMinute: 15 },
  minimum: () => exactly(0), // not documented
  hit: (lcp, n) => ({ min: floorTo(Math.min(lcp, n), 128), max: Math.min(lcp, n) }),
  // Evictable at any time, per server [XAI-doc].
  ttl: () => ({ minMs: 0, maxMs: Infinity, refreshOnHit: true, label: 'evictable any time' }),
  multipliers: { read: 0.25 }, // measured on grok-4.6 [https://docs.apiyi.com/en/api-capabilities/grok/prompt-caching.md] (secondary)
  usage: 'subset',
  keyScoped: true,
  notes: ['Route a conversation to one server with x-grok-conv-id or prompt_cache_key, or hits may not happen [XAI-doc].'],
};
