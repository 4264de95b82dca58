/**
 * The Cache tab's messages and views: a conversation's turns with what the provider's prompt cache does
 * with each, the provider whose rules apply, and a conversation pasted instead of following the editor.
 */
import type { PROTOCOL_VERSION } from './envelope';

/** Turns of one cache timeline: far above a real conversation or log the view is meant for (it is virtualised). */
export const MAX_CACHE_TURNS = 100_000;
/** A pasted conversation; the host reads it whole, so a runaway paste is refused rather than parsed. */
export const MAX_PASTED_CONVERSATION = 16 * 1024 * 1024;
/** Provider names are short words (`openai`, `anthropic-breakpoints`). */
export const MAX_PROVIDER_NAME = 64;

/** A closed range of token counts or dollars; `min === max` where the provider's rule is deterministic. */
export interface NumberRange {
  min: number;
  max: number;
}

/** One turn of the cache timeline: a request of the conversation and what the provider's cache does with it. */
export interface CacheTurnView {
  turn: number;
  /** 1-based line (or entry) of the log, when read from one. */
  line?: number;
  model: string;
  inputTokens: number;
  /** Tokens shared with the earlier request `reusedFrom` (a turn number). */
  reusedPrefix: number;
  reusedFrom?: number;
  cached: NumberRange;
  written: NumberRange;
  uncached: NumberRange;
  /** `exact`: deterministic rule; `eligible`: up to this many, routing permitting; `probabilistic`: no guarantee. */
  certainty: 'exact' | 'eligible' | 'probabilistic';
  /** The first token that differs from the reused request, and where it is in each request body. */
  divergence?: { tokenIndex: number; where?: string; previousWhere?: string; before: string; after: string };
  causes: Array<{ kind: string; message: string; tokensLost: number }>;
  /** USD: with caching from the most to the least cached outcome; undefined without a price. */
  cost: { withCache?: NumberRange; withoutCache?: number };
  /** What the log's usage says happened; `cachedTokens` undefined when the usage has no cached field. */
  actual?: { inputTokens?: number; cachedTokens?: number; writtenTokens?: number; source: string };
  /** Actual cached minus the nearest end of the predicted range (0 inside it). */
  error?: number;
  notes: string[];
}

export interface CacheSummaryView {
  turns: number;
  inputTokens: number;
  cached: NumberRange;
  /** Share of input tokens served from cache, 0..1. */
  cachedShare: NumberRange;
  cost: { withCache?: NumberRange; withoutCache?: number };
  saved?: NumberRange;
  topCauses: Array<{ kind: string; turns: number; tokensLost: number }>;
  actual?: { turns: number; cachedTokens: number; meanAbsoluteError: number };
}

/** Where the conversation came from: a log or messages file, simulated calls of a prompt in code, or pasted text. */
export interface CacheSourceView {
  kind: 'log' | 'code' | 'pasted';
  /** e.g. `requests.jsonl` or `system prompt · support_bot.py:10`: a display name, never a path. */
  title: string;
  /** One line on how the turns were made, e.g. `5 simulated calls; first dynamic part ${user.name} at token 212`. */
  detail: string;
}

export interface CacheResultView {
  source: CacheSourceView;
  profile: { id: string; label: string; notes: string[] };
  turns: CacheTurnView[];
  summary: CacheSummaryView;
  /** Lines of the log that were skipped or read with a caveat, as sentences. */
  notices: string[];
}

/**
 * A log being predicted (in a worker thread on the host): `done` of its `total` requests rendered; total 0
 * while it is still being read. Once all are rendered, the prefixes of every turn are matched.
 */
export interface CacheProgressView {
  done: number;
  total: number;
}

export interface ProviderChoice {
  /** A name `profileForProvider` accepts. */
  value: string;
  label: string;
}

export type CacheHostMessage =
  /** Host → webview, while the Cache tab is shown: the providers to pick from, the one in effect, and the prediction, why there is none, or how far it is. */
  { type: 'cache'; version: typeof PROTOCOL_VERSION; providers: ProviderChoice[]; provider: string; result?: CacheResultView; reason?: string; progress?: CacheProgressView; pasted: boolean };

export type CacheWebviewMessage =
  /** Webview → host, from the provider switcher: whose caching rules to apply (a ProviderChoice value). */
  | { type: 'setCacheProvider'; version: typeof PROTOCOL_VERSION; provider: string }
  /** Webview → host, from Predict or Follow editor: a pasted conversation (a log or a messages array) to predict, or null to follow the editor again. */
  | { type: 'setCacheInput'; version: typeof PROTOCOL_VERSION; text: string | null };
