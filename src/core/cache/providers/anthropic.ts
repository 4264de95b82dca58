/** Anthropic's Messages API: caching only at `cache_control` breakpoints, block or top level [ANT-doc; ANT-skill]. */
import type { CacheProfile, Ttl } from './profile';
import { exactly, HOUR, lookup, MINUTE } from './rules';
import type { TokenRange } from '../types';

/** Anthropic minimum cacheable prefix per model, 2026 table [ANT-skill]; conflicts become ranges (reference §5). Bedrock's Claude models share it. */
export const ANTHROPIC_MINIMUMS: Array<[RegExp, TokenRange]> = [
  [/(opus|fable|mythos)-5/, exactly(512)],
  // Sonnet 4.6: 1,024 [ANT-skill] vs 2,048 [https://docs.orq.ai/docs/proxy/prompt-caching; anthropics/anthropic-sdk-python#1194].
  [/sonnet-4-6/, { min: 1024, max: 2048 }],
  [/opus-4-8|sonnet-5|sonnet-4-5|opus-4-1|opus-4(?!-\d(?:\D|$))|opus-4-0|sonnet-4(?!-\d(?:\D|$))|sonnet-4-0|3-7-sonnet|sonnet-3-7/, exactly(1024)],
  [/opus-4-7|mythos-preview|3-5-haiku|haiku-3-5/, exactly(2048)],
  [/opus-4-6|opus-4-5|haiku-4-5/, exactly(4096)],
  // Haiku 3: 2,048 in the late-2025 table [ANT-doc].
  [/3-haiku|haiku-3(?!-\d(?:\D|$))/, exactly(2048)],
];

export const anthropicTtl = (breakpointTtl?: string): Ttl =>
  // 5 min refreshed free on use, or 1 h via ttl: "1h"; counted from the start of the request [ANT-doc; ANT-skill].
  breakpointTtl === '1h'
    ? { minMs: HOUR, maxMs: HOUR, refreshOnHit: true, label: '1 h' }
    : { minMs: 5 * MINUTE, maxMs: 5 * MINUTE, refreshOnHit: true, label: '5 min' };

/** The cause text of a Messages request with no marker at all. */
export const NO_CACHE_CONTROL = 'no cache_control (block or top level): nothing is cached or read';

export const anthropicBreakpoints: CacheProfile = {
  id: 'anthropic-breakpoints',
  label: 'Anthropic cache_control breakpoints',
  shortName: 'Anthropic',
  providerNames: ['anthropic', 'claude'],
  fallbackTokenizer: 'hf:claude',
  requestApi: 'anthropic-messages',
  matching: 'breakpoints',
  certainty: 'exact',
  // Unknown model: anywhere between the smallest and largest published minimum.
  minimum: (model) => lookup(ANTHROPIC_MINIMUMS, model, { min: 512, max: 4096 }),
  hit: (lcp) => exactly(lcp),
  ttl: ({ breakpointTtl }) => anthropicTtl(breakpointTtl),
  breakpoints: {
    max: 4, // [ANT-doc]
    overLimit: 'reject',
    lookback: 20, // 20-block lookback per breakpoint [ANT-doc late-2025; "approximately 20" mid-2025]
    minimumPerCheckpoint: false,
    unmarked: NO_CACHE_CONTROL,
  },
  multipliers: { read: 0.1, write5m: 1.25, write1h: 2 }, // [ANT-doc]
  usage: 'excludes',
  keyScoped: false,
  notes: ['Which items count as a lookback "block" (tool definitions, system blocks) is unspecified; each content block, tool and system block counts as one here [ANT-doc; reference §17.3].'],
};
