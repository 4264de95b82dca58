/**
 * One profile per provider regime, as data plus small functions. Every number cites its source key
 * from shared/reference/prompt-caching-rules.md (the key table at its top lists the URLs):
 *   OAI-guide    https://developers.openai.com/api/docs/guides/prompt-caching
 *   OAI-cookbook openai/openai-cookbook examples/Prompt_Caching_201.ipynb
 *   ANT-doc      https://platform.claude.com/docs/en/build-with-claude/prompt-caching
 *   ANT-skill    anthropics/skills skills/claude-api/shared/prompt-caching.md
 *   GEM-doc      https://ai.google.dev/gemini-api/docs/caching
 *   DS-doc       https://api-docs.deepseek.com/guides/kv_cache
 *   XAI-doc      https://docs.x.ai/developers/advanced-api-usage/prompt-caching/how-it-works
 *   BR-doc       https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-caching.html
 *   LCPP-README  ggml-org/llama.cpp tools/server/README.md
 * Rules the sources disagree on, or leave unpublished, are ranges, never a single number.
 */
import type { TokenRange } from '../types';

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

/** How a profile finds the reusable prefix. */
export type Matching =
  | 'prefix' // longest common token prefix with any live earlier request, then rounded (OpenAI ≤5.5, Gemini, xAI, DeepSeek V3, vLLM, SGLang)
  | 'breakpoints' // only at positions an earlier request wrote (Anthropic, Bedrock, OpenAI 5.6+)
  | 'units' // DeepSeek V4 persisted prefix units
  | 'slot'; // llama.cpp: LCP with one server slot

export interface Ttl {
  /** Idle time the entry certainly survives. */
  minMs: number;
  /** Idle time after which it is certainly gone (Infinity: evicted only under memory pressure). */
  maxMs: number;
  /** A read restarts the clock. */
  refreshOnHit: boolean;
  label: string;
}

/** Options a user can set per engine (server flags). */
export interface EngineOptions {
  /** vLLM `--block-size` (default 16); SGLang `--page-size` (default 1). */
  blockSize?: number;
  /** llama.cpp `--parallel` slots (default 1). */
  slots?: number;
  /** llama.cpp `--slot-prompt-similarity` (default 0.10). */
  slotSimilarity?: number;
}

/** How the usage block relates cached tokens to the input total (reference §3). */
export type UsageConvention = 'subset' | 'excludes' | 'partition';

export interface CacheProfile {
  id: CacheProfileId;
  label: string;
  matching: Matching;
  certainty: 'exact' | 'eligible' | 'probabilistic';
  /** Smallest cacheable prefix for a model, as a range where sources disagree or the model is unknown. */
  minimum(model: string): TokenRange;
  /** Tokens served from cache for a live shared prefix of `lcp` tokens of an `n`-token prompt (prefix/slot
   *  matching), before the minimum, which the predictor applies with `aboveMinimum`. */
  hit(lcp: number, n: number, model: string, options: EngineOptions): TokenRange;
  /** How long an entry lives; undefined for engines that evict by LRU only. */
  ttl(request: { retention?: 'in_memory' | '24h'; breakpointTtl?: '5m' | '1h' | '30m'; model: string }): Ttl | undefined;
  /** Breakpoint regimes: most breakpoints (writes) per request, blocks looked back from each, breakpoints read. */
  maxBreakpoints?: number;
  lookbackBlocks?: number;
  /** Price multipliers of the base input price, used when the catalogue has no cache prices for the model. */
  multipliers: { read?: number; write5m?: number; write1h?: number };
  usage: UsageConvention;
  /** Each request's cache is scoped by `prompt_cache_key` as well as the model. */
  keyScoped: boolean;
  notes: string[];
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const exactly = (value: number): TokenRange => ({ min: value, max: value });

/** Rounds down to a multiple of `unit`, never below 0. */
const floorTo = (value: number, unit: number) => Math.max(0, Math.floor(value / unit) * unit);

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

/** vLLM: full blocks only, capped at n−1 (the last token is recomputed for its logits) [vllm-project/vllm vllm/v1/core/kv_cache_manager.py]. */
export function fullBlocks(lcp: number, n: number, blockSize: number): number {
  return floorTo(Math.min(lcp, n - 1), blockSize);
}

/** Anthropic minimum cacheable prefix per model, 2026 table [ANT-skill]; conflicts become ranges (reference §5). */
const ANTHROPIC_MINIMUMS: Array<[RegExp, TokenRange, string?]> = [
  [/(opus|fable|mythos)-5/, exactly(512)],
  // Sonnet 4.6: 1,024 [ANT-skill] vs 2,048 [https://docs.orq.ai/docs/proxy/prompt-caching; anthropics/anthropic-sdk-python#1194].
  [/sonnet-4-6/, { min: 1024, max: 2048 }],
  [/opus-4-8|sonnet-5|sonnet-4-5|opus-4-1|opus-4(?!-\d(?:\D|$))|opus-4-0|sonnet-4(?!-\d(?:\D|$))|sonnet-4-0|3-7-sonnet|sonnet-3-7/, exactly(1024)],
  [/opus-4-7|mythos-preview|3-5-haiku|haiku-3-5/, exactly(2048)],
  [/opus-4-6|opus-4-5|haiku-4-5/, exactly(4096)],
  // Haiku 3: 2,048 in the late-2025 table [ANT-doc].
  [/3-haiku|haiku-3(?!-\d(?:\D|$))/, exactly(2048)],
];

/** Bedrock per-model minimums (early-2026 text) [BR-doc]; Anthropic says they are equal everywhere [ANT-skill], so both are kept. */
const BEDROCK_MINIMUMS: Array<[RegExp, TokenRange]> = [
  [/(opus|fable|mythos)-5/, exactly(512)],
  [/opus-4-5|opus-4-6|haiku-4-5/, exactly(4096)],
  [/sonnet-4-5/, { min: 1024, max: 4096 }],
  [/sonnet-4-6|opus-4(?!-\d(?:\D|$))|opus-4-0|3-7-sonnet|3-5-sonnet/, exactly(1024)],
  [/nova/, exactly(1024)],
];

/** Gemini minimums: 2025, early-2026 and mid/late-2026 texts disagree, so each model gets the span [GEM-doc; reference §6]. */
const GEMINI_MINIMUMS: Array<[RegExp, TokenRange]> = [
  [/gemini-3\.[5-8]-flash/, exactly(4096)],
  [/gemini-3(\.\d)?-pro/, exactly(4096)],
  [/gemini-3(\.\d)?-flash/, { min: 1024, max: 4096 }],
  [/gemini-2\.5-flash/, { min: 1024, max: 2048 }],
  [/gemini-2\.5-pro/, { min: 2048, max: 4096 }],
];

function lookup(table: Array<[RegExp, TokenRange, string?]>, model: string, unknown: TokenRange): TokenRange {
  const id = model.toLowerCase();
  return table.find(([pattern]) => pattern.test(id))?.[1] ?? unknown;
}

/** A minimum applied to a shared prefix: below the stricter minimum the low end is 0, below the looser one everything is. */
export function aboveMinimum(length: TokenRange, minimum: TokenRange): TokenRange {
  return { min: length.min >= minimum.max ? length.min : 0, max: length.max >= minimum.min ? length.max : 0 };
}

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

const anthropicTtl = (breakpointTtl?: string): Ttl =>
  // 5 min refreshed free on use, or 1 h via ttl: "1h"; counted from the start of the request [ANT-doc; ANT-skill].
  breakpointTtl === '1h'
    ? { minMs: HOUR, maxMs: HOUR, refreshOnHit: true, label: '1 h' }
    : { minMs: 5 * MINUTE, maxMs: 5 * MINUTE, refreshOnHit: true, label: '5 min' };

const PROFILES: Record<CacheProfileId, CacheProfile> = {
  'openai-automatic': {
    id: 'openai-automatic',
    label: 'OpenAI automatic caching (≤ gpt-5.5)',
    matching: 'prefix',
    // Routing by a hash of the first ~256 tokens + prompt_cache_key, overflow above ~15 RPM [OAI-guide]:
    // a prediction is what the request is eligible for, not a guarantee (reference §17.1).
    certainty: 'eligible',
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
  },
  'openai-breakpoints': {
    id: 'openai-breakpoints',
    label: 'OpenAI breakpoints (GPT-5.6+)',
    matching: 'breakpoints',
    certainty: 'exact',
    minimum: () => exactly(1024), // 1,024 rendered tokens before a breakpoint [OAI-guide; OAI-diag]
    hit: (lcp) => exactly(lcp), // unused: breakpoint matching; exact match at a breakpoint, no rounding
    // prompt_cache_options.ttl = "30m", a minimum [OAI-guide].
    ttl: () => ({ minMs: 30 * MINUTE, maxMs: 30 * MINUTE, refreshOnHit: true, label: '≥ 30 min' }),
    maxBreakpoints: 4, // ≤ 4 new writes per request [OAI-guide]
    // Reads scan the latest 50 breakpoints [OAI-guide] vs 80 [API reference via docs.rs async-openai]; 50 is the safe side.
    lookbackBlocks: 50,
    multipliers: { read: 0.1, write5m: 1.25, write1h: 1.25 }, // writes 1.25×, reads ~0.1× [OAI-guide]
    usage: 'subset',
    keyScoped: true,
    notes: ['Without prompt_cache_key hits still happen but matching is less reliable [OAI-guide].'],
  },
  'anthropic-breakpoints': {
    id: 'anthropic-breakpoints',
    label: 'Anthropic cache_control breakpoints',
    matching: 'breakpoints',
    certainty: 'exact',
    // Unknown model: anywhere between the smallest and largest published minimum.
    minimum: (model) => lookup(ANTHROPIC_MINIMUMS, model, { min: 512, max: 4096 }),
    hit: (lcp) => exactly(lcp),
    ttl: ({ breakpointTtl }) => anthropicTtl(breakpointTtl),
    maxBreakpoints: 4, // [ANT-doc]
    lookbackBlocks: 20, // 20-block lookback per breakpoint [ANT-doc late-2025; "approximately 20" mid-2025]
    multipliers: { read: 0.1, write5m: 1.25, write1h: 2 }, // [ANT-doc]
    usage: 'excludes',
    keyScoped: false,
    notes: ['Which items count as a lookback "block" (tool definitions, system blocks) is unspecified; each content block, tool and system block counts as one here [ANT-doc; reference §17.3].'],
  },
  'gemini-implicit': {
    id: 'gemini-implicit',
    label: 'Gemini implicit caching',
    matching: 'prefix',
    // "no cost saving guarantee"; granularity and TTL undocumented; dead zones observed [GEM-doc; googleapis/python-genai#2064].
    certainty: 'probabilistic',
    minimum: (model) => lookup(GEMINI_MINIMUMS, model, { min: 1024, max: 4096 }),
    // No documented granularity: anything from nothing to the whole shared prefix (the predictor applies the minimum).
    hit: (lcp, n) => ({ min: 0, max: Math.min(lcp, n) }),
    // Undocumented; observed gone after ~15 min [googleapis/python-genai#2064]; Vertex says 24 h (secondary).
    ttl: () => ({ minMs: 0, maxMs: 24 * HOUR, refreshOnHit: true, label: 'undocumented (observed ~15 min)' }),
    multipliers: { read: 0.1 }, // ~0.1× on 2.5+ [reference §2]
    usage: 'subset',
    keyScoped: false,
    notes: ['Gemini implicit caching has no guarantee: below ~2K never, 2–5K inconsistent, a 9K–17K dead zone on some models [BerriAI/litellm#10667; googleapis/python-genai#2064].'],
  },
  'gemini-explicit': {
    id: 'gemini-explicit',
    label: 'Gemini explicit CachedContent',
    matching: 'prefix',
    certainty: 'exact',
    minimum: (model) => lookup(GEMINI_MINIMUMS, model, { min: 1024, max: 4096 }),
    // The whole cached object is a prefix of the prompt [GEM-doc]: token granularity.
    hit: (lcp, n) => exactly(Math.min(lcp, n)),
    ttl: () => ({ minMs: HOUR, maxMs: HOUR, refreshOnHit: false, label: '1 h default (set by the cache)' }), // [GEM-doc]
    multipliers: { read: 0.1 }, // 90% on 2.5, 75% on 2.0 [VTX-doc]; storage per hour is not in this estimate
    usage: 'subset',
    keyScoped: false,
    notes: ['Explicit caches also bill storage per hour, which this estimate leaves out [GEM-doc].'],
  },
  deepseek: {
    id: 'deepseek',
    label: 'DeepSeek context caching',
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
  },
  xai: {
    id: 'xai',
    label: 'xAI (Grok) automatic caching',
    matching: 'prefix',
    // Docs: leading messages that match exactly [XAI-doc]; measured: 128-token blocks (secondary). The
    // predictor takes the smaller of the two as the low end and the larger as the high end.
    certainty: 'eligible',
    minimum: () => exactly(0), // not documented
    hit: (lcp, n) => ({ min: floorTo(Math.min(lcp, n), 128), max: Math.min(lcp, n) }),
    // Evictable at any time, per server [XAI-doc].
    ttl: () => ({ minMs: 0, maxMs: Infinity, refreshOnHit: true, label: 'evictable any time' }),
    multipliers: { read: 0.25 }, // measured on grok-4.6 [https://docs.apiyi.com/en/api-capabilities/grok/prompt-caching.md] (secondary)
    usage: 'subset',
    keyScoped: true,
    notes: ['Route a conversation to one server with x-grok-conv-id or prompt_cache_key, or hits may not happen [XAI-doc].'],
  },
  bedrock: {
    id: 'bedrock',
    label: 'AWS Bedrock cache checkpoints',
    matching: 'breakpoints',
    certainty: 'exact',
    minimum: (model) => {
      const bedrock = lookup(BEDROCK_MINIMUMS, model, { min: 512, max: 4096 });
      const anthropic = lookup(ANTHROPIC_MINIMUMS, model, bedrock);
      return { min: Math.min(bedrock.min, anthropic.min), max: Math.max(bedrock.max, anthropic.max) };
    },
    hit: (lcp) => exactly(lcp),
    ttl: ({ breakpointTtl }) => anthropicTtl(breakpointTtl), // 5 min default, 1 h for listed models, reset on hit [BR-doc]
    maxBreakpoints: 4, // [BR-doc]
    lookbackBlocks: 20, // "~20-block lookback for Claude" [BR-doc]
    multipliers: { read: 0.1, write5m: 1.25, write1h: 2 }, // model-specific on Bedrock; Claude's multipliers as the default
    usage: 'excludes',
    keyScoped: false,
    notes: ['Each Bedrock checkpoint needs another minimum\'s worth of tokens after the previous one [BR-doc].'],
  },
  vllm: {
    id: 'vllm',
    label: 'vLLM automatic prefix caching',
    matching: 'prefix',
    certainty: 'exact',
    minimum: () => exactly(16),
    // Full blocks of 16 by default (--block-size) [https://docs.vllm.ai/en/stable/api/vllm/config/cache/].
    hit: (lcp, n, _model, options) => exactly(fullBlocks(lcp, n, options.blockSize ?? 16)),
    ttl: () => undefined, // LRU free-block queue, no TTL [vllm-project/vllm docs/design/prefix_caching.md]
    multipliers: {},
    usage: 'subset',
    keyScoped: false,
    notes: ['vLLM evicts by LRU when KV memory runs out; the prediction assumes enough free blocks.'],
  },
  sglang: {
    id: 'sglang',
    label: 'SGLang RadixAttention',
    matching: 'prefix',
    certainty: 'exact',
    minimum: () => exactly(1),
    // Token-level radix tree (page_size 1), pages when page_size > 1; cap input_len − 1
    // [sgl-project/sglang python/sglang/srt/managers/schedule_batch.py _compute_max_prefix_len].
    hit: (lcp, n, _model, options) => exactly(floorTo(Math.min(lcp, n - 1), options.blockSize ?? 1)),
    ttl: () => undefined, // LRU leaves [python/sglang/srt/mem_cache/radix_cache.py]
    multipliers: {},
    usage: 'subset',
    keyScoped: false,
    notes: ['SGLang evicts least-recently-used leaves when memory runs out; the prediction assumes enough memory.'],
  },
  'llama.cpp': {
    id: 'llama.cpp',
    label: 'llama.cpp server (slot KV cache)',
    matching: 'slot',
    certainty: 'exact',
    minimum: () => exactly(1),
    // LCP with the chosen slot; a full match drops one position [LCPP-README; ggml-org/llama.cpp server.cpp].
    hit: (lcp, n) => exactly(Math.max(0, Math.min(lcp, n - 1))),
    ttl: () => undefined, // slot LRU [LCPP-README]
    multipliers: {},
    usage: 'subset',
    keyScoped: false,
    notes: ['llama.cpp picks a slot by LCP similarity (--slot-prompt-similarity, default 0.10), else the least recently used one [LCPP-README].'],
  },
};

export const CACHE_PROFILE_IDS = Object.keys(PROFILES) as CacheProfileId[];

export function cacheProfile(id: CacheProfileId): CacheProfile {
  return PROFILES[id];
}

/** Provider names a user types (`--provider`), mapped to a profile; the model picks OpenAI's regime. */
export function profileForProvider(provider: string, model = ''): CacheProfile | undefined {
  const name = provider.trim().toLowerCase();
  if (name in PROFILES) return PROFILES[name as CacheProfileId];
  switch (name) {
    case 'openai':
    case 'azure':
      return PROFILES[isOpenAiBreakpointModel(model) ? 'openai-breakpoints' : 'openai-automatic'];
    case 'anthropic':
    case 'claude':
      return PROFILES['anthropic-breakpoints'];
    case 'gemini':
    case 'google':
      return PROFILES['gemini-implicit'];
    case 'grok':
      return PROFILES.xai;
    case 'aws':
      return PROFILES.bedrock;
    case 'llamacpp':
    case 'llama-cpp':
      return PROFILES['llama.cpp'];
    default:
      return undefined;
  }
}

export const PROVIDER_NAMES = ['openai', 'anthropic', 'gemini', 'deepseek', 'xai', 'bedrock', 'vllm', 'sglang', 'llama.cpp', ...CACHE_PROFILE_IDS.filter((id) => id.includes('-'))];

