/** DeepSeek context caching on disk: 64-token units (V2/V3), persisted prefix units (V4) [DS-doc]. */
import type { CacheProfile } from './profile';
import { exactly, floorTo, HOUR } from './rules';

export const deepseek: CacheProfile = {
  id: 'deepseek',
  label: 'DeepSeek context caching',
  shortName: 'DeepSeek',
  providerNames: ['deepseek'],
  fallbackTokenizer: 'hf:deepseek_v3',
  requestApi: 'openai-chat',
  matching: 'prefix',
  // V4 persists prefix units at unpublished intervals [DS-doc]: the 64-token rule of V2/V3 is the lower
  // bound, the full shared prefix the upper bound (reference §7, §17.5).
  certainty: 'eligible',
  minimum: () => exactly(64), // <64 tokens not cached (V2/V3) [DS-doc older text]
  hit: (lcp, n, model) => (/v4/i.test(model) ? { min: floorTo(Math.min(lcp, n), 64), max: Math.min(lcp, n) } : exactly(floorTo(Math.min(lcp, n), 64))),
  // Cleared "within a few hours to a few days", best effort [DS-doc].
  ttl: () => ({ minMs: HOUR, maxMs: 72 * HOUR, refreshOnHit: true, label: 'hours to days (best effort)' }),
  multipliers: { read: 0.1 }, // hit ≈ 1/10 of miss before 2026-04-26 [reference §7]
  usage: 'partition',
  keyScoped: false,
  notes: ['DeepSeek builds the cache within seconds; requests sent closer together may miss [DS-doc].'],
};
