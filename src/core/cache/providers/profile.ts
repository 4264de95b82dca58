/**
 * What a cache profile holds: one provider regime's caching rules, as data plus small functions, and
 * what else the provider means here (its short name, the tokenizer for models the catalogue lacks, the
 * API a prompt in code is sent through, the names that pick it). Each file beside this one fills it in
 * for one provider; ./index.ts registers them. Every number cites its source key from
 * shared/reference/prompt-caching-rules.md (the key table at its top lists the URLs):
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
import type { ChatTemplateEngine } from '../render/chatTemplate';
import type { TokenRange } from '../types';
import type { CacheProfileId } from '.';

/** How a profile finds the reusable prefix. */
type Matching =
  | 'prefix' // longest common token prefix with any live earlier request, then rounded (OpenAI ≤5.5, Gemini, xAI, DeepSeek, vLLM, SGLang)
  | 'breakpoints' // only at positions an earlier request wrote (Anthropic, Bedrock, OpenAI 5.6+)
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
type UsageConvention = 'subset' | 'excludes' | 'partition';

/** How a breakpoint regime reads and writes entries at the blocks a request marks. */
export interface BreakpointRules {
  /** Most breakpoints (writes) per request. */
  max: number;
  /** A request with more than `max`: the latest `max` are written (`keep-latest`), or the API rejects it with a 400 (`reject`). */
  overLimit: 'keep-latest' | 'reject';
  /** Blocks a read looks back over from each breakpoint; `whole-request`: from the request's last block back over all of them. */
  lookback: number | 'whole-request';
  /** Each breakpoint needs a minimum's worth of tokens after the previous one, not only from the start of the request. */
  minimumPerCheckpoint: boolean;
  /** Why nothing is cached when no block carries a breakpoint, in the words of this API. */
  unmarked: string;
}

/** Requests routed to machines by a hash of their first tokens and prompt_cache_key; a busy route overflows. */
interface PrefixRouting {
  /** Leading tokens the route is hashed from. */
  hashedTokens: number;
  /** Requests a minute on one route above which some land on a machine without the cache. */
  overflowPerMinute: number;
}

interface ProfileRules {
  id: CacheProfileId;
  /** The rule set in full: which provider, which regime, which models. */
  label: string;
  /** The provider alone, where a figure says where it is cached ("cached on OpenAI"). */
  shortName: string;
  /**
   * Names a user types (`--provider`, promptLens.cache.provider) that pick this profile besides its id;
   * the first is the one PROVIDER_NAMES lists. Empty for a regime reached by its id only.
   */
  providerNames: readonly string[];
  /** Where profiles share a provider name the model decides: this one takes the models it accepts; the one without takes the rest. */
  forModels?: (model: string) => boolean;
  /** The tokenizer for a model the catalogue does not know: the provider's own where it is public, else the closest public one. */
  fallbackTokenizer: string;
  /** The API a prompt in code is sent through when its calls are simulated (logged requests keep their own). */
  requestApi: 'openai-chat' | 'anthropic-messages';
  /** Set for engines that tokenise the model's chat template output: Chat Completions bodies are rendered through it. */
  chatTemplateEngine?: ChatTemplateEngine;
  certainty: 'exact' | 'eligible' | 'probabilistic';
  /** Smallest cacheable prefix for a model, as a range where sources disagree or the model is unknown. */
  minimum(model: string): TokenRange;
  /** Tokens served from cache for a live shared prefix of `lcp` tokens of an `n`-token prompt (prefix/slot
   *  matching), before the minimum, which the predictor applies with `aboveMinimum`. */
  hit(lcp: number, n: number, model: string, options: EngineOptions): TokenRange;
  /** How long an entry lives; undefined for engines that evict by LRU only. */
  ttl(request: { retention?: 'in_memory' | '24h'; breakpointTtl?: '5m' | '1h' | '30m'; model: string }): Ttl | undefined;
  /** Set where a busy prefix may be routed to a machine without the cache, which makes a hit probabilistic. */
  prefixRouting?: PrefixRouting;
  /** Price multipliers of the base input price, used when the catalogue has no cache prices for the model. */
  multipliers: { read?: number; write5m?: number; write1h?: number };
  usage: UsageConvention;
  /** Each request's cache is scoped by `prompt_cache_key` as well as the model. */
  keyScoped: boolean;
  notes: string[];
}

export type CacheProfile = ProfileRules & ({ matching: Exclude<Matching, 'breakpoints'> } | { matching: 'breakpoints'; breakpoints: BreakpointRules });
