/**
 * Shapes shared by the cache predictor: the rendered request, the profile's verdict per turn and
 * the causes a user can act on. Rules and their sources live in ./providers/; the reference they
 * come from is shared/reference/prompt-caching-rules.md.
 */

/** A closed range of token counts. `min === max` only where the provider's rule is deterministic. */
export interface TokenRange {
  min: number;
  max: number;
}

/** Which API body shape a logged request has. */
export type RequestApi = 'openai-chat' | 'openai-responses' | 'anthropic-messages';

/** Where a run of rendered tokens came from in the request body. */
type PartKind =
  | 'settings' // a hidden parameter rendered ahead of the prompt (reasoning effort, thinking)
  | 'tool'
  | 'response-schema'
  | 'system'
  | 'message'
  | 'overhead' // per-message framing tokens (OpenAI cookbook) or block framing
  | 'reply-priming';

export interface RequestPart {
  kind: PartKind;
  /** Index of the tool, system block or message (absent for settings, schema, reply priming). */
  index?: number;
  /** Field inside the message or block: `content`, `name`, `role`, `tool_calls`, `text`, … */
  field?: string;
  /** Index of the content part / content block inside a message. */
  partIndex?: number;
  /** JSON path in the request body, e.g. `messages[3].content[1].text`; what the user looks for. */
  path: string;
  /** Role of the message, when it is one. */
  role?: string;
  /** Tool name or settings key. */
  name?: string;
}

/** A run of tokens `[start, end)` of the rendered sequence and the part of the request it renders. */
export interface PartSpan {
  start: number;
  end: number;
  part: RequestPart;
  /** The text these tokens encode, when they encode text (for telling whitespace or volatile edits apart). */
  text?: string;
}

/** A cacheable block (Anthropic/Bedrock content block, tool definition, system block; OpenAI breakpoint block). */
export interface BlockSpan {
  /** Token index just after the block: a cache entry written at this block covers `[0, end)`. */
  end: number;
  path: string;
  /** Set when the block carries `cache_control` / `prompt_cache_breakpoint`: the requested TTL. */
  breakpoint?: { ttl: '5m' | '1h' | '30m'; automatic?: boolean };
  /** True for blocks the provider will not cache (empty text). */
  uncacheable?: boolean;
}

export interface RenderedRequest {
  api: RequestApi;
  model: string;
  /** Token ids as the provider's model would see them; negative ids stand for framing/special tokens. */
  tokens: Int32Array;
  parts: PartSpan[];
  blocks: BlockSpan[];
  /** Top-level `cache_control` (Anthropic automatic mode) or `prompt_cache_options.mode` (OpenAI 5.6+). */
  automaticBreakpoint?: { ttl: '5m' | '1h' | '30m' };
  /** `prompt_cache_options.mode: "explicit"` (OpenAI 5.6+): no implicit latest-message breakpoint. */
  explicitOnly?: boolean;
  /** `prompt_cache_retention` when given (OpenAI ≤ 5.5). */
  retention?: 'in_memory' | '24h';
  /** The original objects of tools / response schema, for telling a key-order change from a content change. */
  tools: unknown[];
  responseSchema?: unknown;
  /** What could not be rendered exactly (images as one placeholder token, unknown content types). */
  notes: string[];
}

/** Something the user can act on, or the reason a turn cached less than it shares. */
export type CauseKind =
  | 'cold-start'
  | 'prefix-changed'
  | 'whitespace'
  | 'volatile-content'
  | 'tools-changed'
  | 'tool-key-order'
  | 'schema-changed'
  | 'schema-key-order'
  | 'parameter-changed'
  | 'messages-rewritten'
  | 'model-changed'
  | 'cache-key-changed'
  | 'below-minimum'
  | 'granularity'
  | 'ttl-expired'
  | 'lookback-exceeded'
  | 'no-breakpoint'
  | 'too-many-breakpoints'
  | 'write-never-read'
  | 'probabilistic'
  | 'routing';

export interface Cause {
  kind: CauseKind;
  /** One sentence for the user, with numbers. */
  message: string;
  /** Input tokens this cause kept out of the cache on this turn (upper bound when uncertain). */
  tokensLost: number;
  /** The request part at the divergent token, when the cause is a prefix break. */
  part?: RequestPart;
}

export interface Divergence {
  /** Index of the first token that differs from the reused request. */
  tokenIndex: number;
  /** The part of this request at that token, and of the reused request. */
  part?: RequestPart;
  previousPart?: RequestPart;
  /** Decoded text around the divergence (±12 tokens), before (reused request) and after (this one). */
  before: string;
  after: string;
}

export interface CostRange {
  /** USD with caching, from the most to the least cached outcome. */
  withCache: { min: number; max: number } | undefined;
  withoutCache: number | undefined;
}

export interface ActualUsage {
  /** Total input tokens, cached ones included, whatever the provider's convention. */
  inputTokens?: number;
  cachedTokens?: number;
  writtenTokens?: number;
  /** Which usage fields were read, e.g. `prompt_tokens_details.cached_tokens`. */
  source: string;
}

export interface TurnPrediction {
  turn: number;
  /** 1-based line in the log, when read from one. */
  line?: number;
  model: string;
  inputTokens: number;
  /** Longest prefix (tokens) shared with a live earlier request in scope, and which turn that was. */
  reusedPrefix: number;
  reusedFrom?: number;
  cached: TokenRange;
  written: TokenRange;
  uncached: TokenRange;
  /** `exact`: deterministic rule; `eligible`: up to this many, routing permitting; `probabilistic`: a range with no guarantee. */
  certainty: 'exact' | 'eligible' | 'probabilistic';
  divergence?: Divergence;
  causes: Cause[];
  cost: CostRange;
  actual?: ActualUsage;
  /** Actual cached minus the nearest end of the predicted range (0 when inside). */
  error?: number;
  notes: string[];
}
