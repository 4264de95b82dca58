/**
 * OpenAI (and Azure OpenAI): automatic prefix caching up to gpt-5.5, breakpoints from GPT-5.6 on
 * [OAI-guide]. Both regimes live here because the model picks between them under the one provider
 * name, and they share the minimum, the tokenizer and the request API.
 */
import type { CacheProfile } from './profile';
import { exactly, floorTo, HOUR, MINUTE } from './rules';
import type { TokenRange } from '../types';

/** Both regimes answer to these names; the model picks one (`forModels`). */
const OPENAI_NAMES = ['openai', 'azure'];

/** GPT-5.6 and later use the breakpoint regime [OAI-guide]; `gpt-5.6`, `gpt-5.7`, `gpt-6`, … */
export function isOpenAiBreakpointModel(model: string): boolean {
  const match = /gpt-(\d+)(?:\.(\d+))?/.exec(model.toLowerCase());
  if (!match) return false;
  const major = Number(match[1]);
  const minor = Number(match[2] ?? 0);
  return major > 5 || (major === 5 && minor >= 6);
}

/** Models whose default retention is 24h (gpt-5.5, gpt-5.5-pro "and all future models") [OAI-guide]. */
function defaultsTo24h(model: string): boolean {
  const match = /gpt-(\d+)(?:\.(\d+))?/.exec(model.toLowerCase());
  return match !== null && (Number(match[1]) > 5 || (Number(match[1]) === 5 && Number(match[2] ?? 0) >= 5));
}

/**
 * OpenAI ≤ gpt-5.5: 0 below 1,024, then 1,024 + 128·k [OAI-guide 2024 text; OAI-cookbook]. The doc's
 * repeated 2,006-token prompt reports 1,920. Whether an identical resend of a multiple of 128 keeps its
 * last increment is not documented (the example only shows cached < prompt_tokens), so the n−1 cap
 * lowers the minimum of the range, not the maximum.
 */
export function openAiIncrements(lcp: number, n: number): TokenRange {
  const round = (length: number) => (length < 1024 ? 0 : 1024 + floorTo(length - 1024, 128));
  return { min: round(Math.min(lcp, n - 1)), max: round(Math.min(lcp, n)) };
}

export const openAiAutomatic: CacheProfile = {
  id: 'openai-automatic',
  label: 'OpenAI automatic caching (≤ gpt-5.5)',
  shortName: 'OpenAI',
  providerNames: OPENAI_NAMES,
  fallbackTokenizer: 'o200k_base',
  requestApi: 'openai-chat',
  matching: 'prefix',
  // Routing by a hash of the first ~256 tokens + prompt_cache_key, overflow above ~15 RPM [OAI-guide]:
  // a prediction is what the request is eligible for, not a guarantee (reference §17.1).
  certainty: 'eligible',
  prefixRouting: { hashedTokens: 256, overflowPerMinute: 15 },
  minimum: () => exactly(1024), // [OAI-guide]
  hit: (lcp, n) => openAiIncrements(lcp, n),
  // in_memory: "usually 5–10 minutes" idle, at most 1 h; 24h: at most 24 h [OAI-guide].
  ttl: ({ retention, model }) =>
    retention === '24h' || (retention === undefined && defaultsTo24h(model))
      ? { minMs: 5 * MINUTE, maxMs: 24 * HOUR, refreshOnHit: true, label: '24 h (extended)' }
      : { minMs: 5 * MINUTE, maxMs: HOUR, refreshOnHit: true, label: '5–10 min idle, ≤ 1 h' },
  multipliers: {}, // no write fee; read discount differs per model (0.5×–0.1×) [OAI-cookbook]: catalogue prices only
  usage: 'subset',
  keyScoped: true,
  notes: ['OpenAI routes by the first ~256 tokens and prompt_cache_key; above ~15 requests/min per prefix a request may land on a cold machine [OAI-guide].'],
};

export const openAiBreakpoints: CacheProfile = {
  id: 'openai-breakpoints',
  label: 'OpenAI breakpoints (GPT-5.6+)',
  shortName: 'OpenAI',
  providerNames: OPENAI_NAMES,
  forModels: isOpenAiBreakpointModel,
  fallbackTokenizer: 'o200k_base',
  requestApi: 'openai-chat',
  matching: 'breakpoints',
  certainty: 'exact',
  minimum: () => exactly(1024), // 1,024 rendered tokens before a breakpoint [OAI-guide; OAI-diag]
  hit: (lcp) => exactly(lcp), // unused: breakpoint matching; exact match at a breakpoint, no rounding
  // prompt_cache_options.ttl = "30m", a minimum [OAI-guide].
  ttl: () => ({ minMs: 30 * MINUTE, maxMs: 30 * MINUTE, refreshOnHit: true, label: '≥ 30 min' }),
  breakpoints: {
    max: 4, // ≤ 4 new writes per request; beyond that the latest ones win [OAI-guide]
    overLimit: 'keep-latest',
    // No block lookback: a read looks at every block of the request. The latest 50 breakpoints a read
    // scans [OAI-guide] (80 in the API reference via docs.rs async-openai) are not modelled.
    lookback: 'whole-request',
    minimumPerCheckpoint: false,
    unmarked: 'prompt_cache_options.mode is explicit and no block has prompt_cache_breakpoint: nothing is cached',
  },
  multipliers: { read: 0.1, write5m: 1.25, write1h: 1.25 }, // writes 1.25×, reads ~0.1× [OAI-guide]
  usage: 'subset',
  keyScoped: true,
  notes: ['Without prompt_cache_key hits still happen but matching is less reliable [OAI-guide].'],
};
