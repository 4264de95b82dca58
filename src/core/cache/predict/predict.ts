/**
 * The predictor: a conversation is an ordered list of rendered requests; for each, the longest
 * prefix it shares with any earlier live request in its scope (model, and prompt_cache_key where the
 * provider routes by it), what the profile caches of that, what it writes, what it costs, and the
 * first divergent token with its cause mapped back to the request part.
 */
import type { ModelInfo } from '../../catalog';
import type { BreakpointRules, CacheProfile, EngineOptions, Ttl } from '../providers/profile';
import { aboveMinimum } from '../providers/rules';
import { commonPrefixLength, prefixHashes, PrefixTrie } from './prefixIndex';
import { spanAt } from '../render/requestBody';
import type { ActualUsage, Cause, CauseKind, CostRange, Divergence, PartSpan, RenderedRequest, RequestPart, TokenRange, TurnPrediction } from '../types';
import { formatRange } from '../../../../common/format';

export interface ConversationRequest {
  rendered: RenderedRequest;
  /** Milliseconds since the epoch; a request without one is taken as sent right after the previous one. */
  timestamp?: number;
  promptCacheKey?: string;
  /** 1-based line in the log. */
  line?: number;
  actual?: ActualUsage;
}

export interface PredictOptions {
  profile: CacheProfile;
  engine?: EngineOptions;
  /** Prices come from here; a model it does not know has no cost. */
  findModel?: (id: string) => ModelInfo | undefined;
  /** Decodes token ids for the before/after excerpt of a divergence (negative framing ids are skipped). */
  decode?: (ids: number[], model: string) => string;
}

interface CacheSummary {
  turns: number;
  inputTokens: number;
  cached: TokenRange;
  /** Share of input tokens served from cache (from the least to the most cached outcome). */
  cachedShare: { min: number; max: number };
  cost: CostRange;
  /** Money saved by caching, from the least to the most cached outcome; undefined without prices. */
  saved: { min: number; max: number } | undefined;
  /** Causes by the input tokens they kept out of cache, largest first. */
  topCauses: Array<{ kind: CauseKind; turns: number; tokensLost: number }>;
  actual?: { turns: number; cachedTokens: number; meanAbsoluteError: number };
}

export interface CachePrediction {
  profile: string;
  turns: TurnPrediction[];
  summary: CacheSummary;
}

const EXCERPT_TOKENS = 12;

interface Entry {
  writer: number;
  /** Token position the entry covers up to. */
  end: number;
  time: number;
  ttl: Ttl;
  /** False when the write depends on an uncertain minimum. */
  certain: boolean;
  reads: number;
}

interface TurnState {
  rendered: RenderedRequest;
  time: number;
  writes: Entry[];
}

const range = (min: number, max: number): TokenRange => ({ min: Math.min(min, max), max: Math.max(min, max) });

export function predictConversation(requests: readonly ConversationRequest[], options: PredictOptions): CachePrediction {
  const predictor = new Predictor(options);
  const turns = requests.map((request, index) => predictor.turn(request, index + 1));
  predictor.flagUnreadWrites(turns);
  return { profile: options.profile.id, turns, summary: summarise(turns) };
}

class Predictor {
  private readonly scoped = new Map<string, PrefixTrie>();
  /** Every request regardless of scope, to tell "model changed" from "prefix changed". */
  private readonly everything = new PrefixTrie();
  private readonly entries = new Map<string, Entry>();
  private readonly states: TurnState[] = [];
  private readonly slots: Array<{ tokens: Int32Array; time: number; turn: number }> = [];
  private readonly recentByShard = new Map<string, number[]>();
  private lastTime = 0;

  constructor(private readonly options: PredictOptions) {}

  turn(request: ConversationRequest, turn: number): TurnPrediction {
    const { profile } = this.options;
    const rendered = request.rendered;
    const time = request.timestamp ?? this.lastTime;
    this.lastTime = Math.max(this.lastTime, time);
    const scope = `${rendered.model}\u0000${profile.keyScoped ? request.promptCacheKey ?? '' : ''}`;
    const trie = this.scoped.get(scope) ?? new PrefixTrie();
    this.scoped.set(scope, trie);
    const n = rendered.tokens.length;
    const notes = [...rendered.notes];
    if (request.timestamp === undefined && turn > 1) notes.push('no timestamp: taken as sent right after the previous request');

    const base = { turn, line: request.line, model: rendered.model, inputTokens: n, notes } as const;
    const outcome =
      profile.matching === 'breakpoints'
        ? this.breakpoints(profile.breakpoints, rendered, scope, time, turn, trie)
        : profile.matching === 'slot'
          ? this.slot(rendered, time, turn)
          : this.prefix(rendered, scope, request.promptCacheKey, time, trie);
    if (outcome.notes) notes.push(...outcome.notes);

    const global = this.everything.match(rendered.tokens);
    if (outcome.sharedPrefix < global.length && global.owner > 0) {
      const other = this.states[global.owner - 1].rendered;
      const kind: CauseKind = other.model !== rendered.model ? 'model-changed' : 'cache-key-changed';
      const message =
        kind === 'model-changed'
          ? `turn ${global.owner} (${other.model}) shares ${global.length} tokens, but caches are per model`
          : `turn ${global.owner} shares ${global.length} tokens under another prompt_cache_key, which routes to another cache`;
      outcome.causes.unshift({ kind, message, tokensLost: global.length - outcome.sharedPrefix });
    }
    if (outcome.reusedFrom === undefined && outcome.causes.length === 0) {
      outcome.causes.push({ kind: 'cold-start', message: 'no earlier request in this scope: everything is written or computed', tokensLost: 0 });
    }

    trie.insert(rendered.tokens, turn, time);
    this.everything.insert(rendered.tokens, turn, time);
    this.states.push({ rendered, time, writes: outcome.writes });
    const uncached = range(n - outcome.cached.max - outcome.written.max, n - outcome.cached.min - outcome.written.min);
    const prediction: TurnPrediction = {
      ...base,
      reusedPrefix: outcome.reusedPrefix,
      reusedFrom: outcome.reusedFrom,
      cached: outcome.cached,
      written: outcome.written,
      uncached: { min: Math.max(0, uncached.min), max: Math.max(0, uncached.max) },
      certainty: outcome.certainty,
      divergence: outcome.divergence,
      causes: outcome.causes,
      cost: this.cost(rendered.model, n, outcome.cached, outcome.written, outcome.writeTtl),
    };
    if (request.actual) {
      prediction.actual = request.actual;
      const actual = request.actual.cachedTokens;
      if (actual !== undefined) prediction.error = actual < outcome.cached.min ? actual - outcome.cached.min : actual > outcome.cached.max ? actual - outcome.cached.max : 0;
    }
    return prediction;
  }

  /** Prefix profiles: LCP with any live earlier request, rounded by the profile, above its minimum. */
  private prefix(rendered: RenderedRequest, scope: string, key: string | undefined, time: number, trie: PrefixTrie): Outcome {
    const { profile, engine = {} } = this.options;
    const n = rendered.tokens.length;
    const ttl = profile.ttl({ retention: rendered.retention, model: rendered.model });
    const cutoffs = ttl ? [time - ttl.minMs, time - ttl.maxMs] : [];
    const match = trie.match(rendered.tokens, cutoffs);
    const certainLive = ttl ? match.live[0] : match;
    const possibleLive = ttl ? match.live[1] : match;
    const minimum = profile.minimum(rendered.model);
    const low = aboveMinimum(profile.hit(certainLive.length, n, rendered.model, engine), minimum).min;
    const highRange = profile.hit(possibleLive.length, n, rendered.model, engine);
    const high = aboveMinimum(highRange, minimum).max;
    let cached = range(low, high);
    let certainty = profile.certainty;
    const causes: Cause[] = [];
    const reusedFrom = possibleLive.owner > 0 ? possibleLive.owner : undefined;
    const divergence = this.divergence(rendered, match.owner, match.length, causes);

    if (ttl && possibleLive.length < match.length) {
      const gap = Math.round((time - this.states[match.owner - 1].time) / 60_000);
      causes.push({ kind: 'ttl-expired', message: `${match.length - possibleLive.length} shared tokens idle ${gap} min, longer than the ${ttl.label} TTL`, tokensLost: match.length - possibleLive.length });
    } else if (ttl && certainLive.length < possibleLive.length) {
      causes.push({ kind: 'ttl-expired', message: `the shared prefix may have expired (TTL ${ttl.label}): counted as a range`, tokensLost: possibleLive.length - certainLive.length });
    }
    if (possibleLive.length > 0 && possibleLive.length < minimum.max && high < possibleLive.length) {
      causes.push({ kind: 'below-minimum', message: `shared prefix of ${possibleLive.length} tokens is below the ${formatRange(minimum, String)}-token minimum for ${rendered.model || 'this model'}`, tokensLost: possibleLive.length - high });
    } else if (possibleLive.length > high && high > 0) {
      causes.push({ kind: 'granularity', message: `${possibleLive.length - high} shared tokens fall outside the profile's cache unit`, tokensLost: possibleLive.length - high });
    }
    if (profile.certainty === 'probabilistic' && high > 0) {
      causes.push({ kind: 'probabilistic', message: `${profile.label} gives no guarantee: anything from 0 to ${high} tokens`, tokensLost: 0 });
    }
    const routing = profile.prefixRouting;
    if (routing) {
      // Requests per minute on this (first tokens, key) shard [OAI-guide]; above the overflow rate some land on a cold machine.
      const shard = `${scope}\u0000${Array.from(rendered.tokens.subarray(0, routing.hashedTokens)).join(',')}\u0000${key ?? ''}`;
      const recent = (this.recentByShard.get(shard) ?? []).filter((at) => at > time - 60_000);
      recent.push(time);
      this.recentByShard.set(shard, recent);
      if (recent.length > routing.overflowPerMinute && cached.max > 0) {
        causes.push({ kind: 'routing', message: `${recent.length} requests in the last minute on one prefix: above ~${routing.overflowPerMinute}/min some are routed to a machine without the cache`, tokensLost: cached.max });
        cached = range(0, cached.max);
        certainty = 'probabilistic';
      }
    }
    return { reusedPrefix: possibleLive.length, sharedPrefix: match.length, reusedFrom, cached, written: range(0, 0), certainty, divergence, causes, writes: [] };
  }

  /** llama.cpp: the slot with the best LCP similarity (≥ threshold), else the least recently used one [LCPP-README]. */
  private slot(rendered: RenderedRequest, time: number, turn: number): Outcome {
    const { engine = {} } = this.options;
    const count = Math.max(1, engine.slots ?? 1);
    const threshold = engine.slotSimilarity ?? 0.1;
    const n = rendered.tokens.length;
    let chosen = -1;
    let best = 0;
    this.slots.forEach((slot, index) => {
      const lcp = commonPrefixLength(slot.tokens, rendered.tokens);
      const similarity = slot.tokens.length === 0 ? 0 : lcp / slot.tokens.length;
      if (similarity >= threshold && lcp > best) {
        best = lcp;
        chosen = index;
      }
    });
    if (chosen < 0) {
      if (this.slots.length < count) chosen = this.slots.length;
      else chosen = this.slots.reduce((oldest, slot, index) => (slot.time < this.slots[oldest].time ? index : oldest), 0);
      best = this.slots[chosen] ? commonPrefixLength(this.slots[chosen].tokens, rendered.tokens) : 0;
    }
    const previous = this.slots[chosen];
    const causes: Cause[] = [];
    const divergence = previous ? this.divergence(rendered, previous.turn, best, causes) : undefined;
    this.slots[chosen] = { tokens: rendered.tokens, time, turn };
    const { profile } = this.options;
    const reply = previous && best === previous.tokens.length ? replyAfter(rendered, best) : 0;
    const cached = range(profile.hit(best, n, rendered.model, engine).min, profile.hit(best + reply, n, rendered.model, engine).max);
    const notes = reply > 0 ? [`the slot also holds the reply it generated: up to ${reply} more tokens are reused if the client sends the reply back exactly as generated`] : [];
    return { reusedPrefix: best, sharedPrefix: best, reusedFrom: previous && best > 0 ? previous.turn : undefined, cached, written: range(0, 0), certainty: reply > 0 ? 'eligible' : 'exact', divergence, causes, writes: [], notes };
  }

  /**
   * Breakpoint profiles: reads only at positions an earlier request wrote (cumulative hash of the
   * prefix), looked up from each breakpoint back over the profile's lookback; writes at this
   * request's breakpoints at or above the minimum [ANT-doc; BR-doc; OAI-guide 5.6+].
   */
  private breakpoints(rules: BreakpointRules, rendered: RenderedRequest, scope: string, time: number, turn: number, trie: PrefixTrie): Outcome {
    const { profile } = this.options;
    const n = rendered.tokens.length;
    const causes: Cause[] = [];
    const blocks = rendered.blocks;
    const minimum = profile.minimum(rendered.model);

    let marked = blocks.map((block, index) => ({ block, index })).filter(({ block }) => block.breakpoint && !block.uncacheable);
    if (rendered.automaticBreakpoint) {
      // Automatic mode: the last cacheable block, walking back over ineligible ones [ANT-skill].
      let last = blocks.length - 1;
      while (last >= 0 && blocks[last].uncacheable) last--;
      if (last >= 0 && !marked.some(({ index }) => index === last)) marked.push({ block: { ...blocks[last], breakpoint: { ...rendered.automaticBreakpoint, automatic: true } }, index: last });
    }
    const limit = rules.max;
    if (marked.length > limit) {
      if (rules.overLimit === 'keep-latest') {
        marked = marked.slice(-limit);
        causes.push({ kind: 'too-many-breakpoints', message: `more than ${limit} breakpoints: only the latest ${limit} are written`, tokensLost: 0 });
      } else {
        causes.push({ kind: 'too-many-breakpoints', message: `${marked.length} cache_control breakpoints: the API allows ${limit} and rejects the request (400)`, tokensLost: n });
        marked = [];
      }
    }

    const ends = [...new Set(blocks.map((block) => block.end))].filter((end) => end > 0).sort((a, b) => a - b);
    const endHashes = prefixHashes(rendered.tokens, ends);
    const hashes = new Map(ends.map((end, index) => [end, endHashes[index]] as const));
    const key = (end: number) => `${scope}\u0000${hashes.get(end)}`;
    const liveAt = (end: number): Entry | undefined => {
      const entry = this.entries.get(key(end));
      return entry && time - entry.time <= entry.ttl.maxMs ? entry : undefined;
    };

    // Reads: from each breakpoint (latest first) back over the lookback window, or from the last block over all of them.
    const wholeRequest = rules.lookback === 'whole-request';
    const lookback = rules.lookback === 'whole-request' ? blocks.length : rules.lookback;
    let read = 0;
    let readCertain = 0;
    let readEntry: Entry | undefined;
    const readFrom = wholeRequest ? (blocks.length > 0 ? [blocks.length - 1] : []) : marked.map(({ index }) => index);
    for (const start of readFrom) {
      for (let k = 0; k < lookback && start - k >= 0; k++) {
        const end = blocks[start - k].end;
        const entry = end > readCertain ? liveAt(end) : undefined;
        if (!entry) continue;
        if (end > read) {
          read = end;
          readEntry = entry;
        }
        if (entry.certain && end > readCertain) readCertain = end;
      }
    }
    if (readEntry) {
      readEntry.reads++;
      if (readEntry.ttl.refreshOnHit) readEntry.time = time;
    }

    // Entries this request shares but could not read (outside the lookback, or expired), before writes replace them.
    const match = trie.match(rendered.tokens);
    let unreachable = 0;
    let expired: { end: number; idleMs: number; ttl: string } | undefined;
    for (const end of ends) {
      if (end <= read || end > match.length) continue;
      const entry = this.entries.get(key(end));
      if (!entry) continue;
      if (time - entry.time > entry.ttl.maxMs) expired = { end, idleMs: time - entry.time, ttl: entry.ttl.label };
      else unreachable = Math.max(unreachable, end);
    }
    // Writes: each breakpoint beyond the read, at or above the minimum (with minimumPerCheckpoint, another minimum after the previous one).
    const writes: Entry[] = [];
    let writtenEnd = { certain: readCertain, possible: read };
    let writeTtl: '5m' | '1h' = '5m';
    let previousCertain = 0;
    let previousPossible = 0;
    for (const { block } of [...marked].sort((a, b) => a.block.end - b.block.end)) {
      const end = block.end;
      const stepFrom = rules.minimumPerCheckpoint ? { certain: previousCertain, possible: previousPossible } : { certain: 0, possible: 0 };
      const certainOk = end - stepFrom.certain >= minimum.max;
      const possibleOk = end - stepFrom.possible >= minimum.min;
      if (!possibleOk) continue;
      if (certainOk) previousCertain = end;
      previousPossible = end;
      const ttlName = block.breakpoint?.ttl === '1h' ? '1h' : block.breakpoint?.ttl === '30m' ? '30m' : '5m';
      if (ttlName === '1h') writeTtl = '1h';
      const existing = liveAt(end);
      if (existing) {
        if (existing.ttl.refreshOnHit && end <= read) existing.time = time;
        continue;
      }
      const entry: Entry = { writer: turn, end, time, ttl: profile.ttl({ breakpointTtl: ttlName, model: rendered.model }) ?? { minMs: 0, maxMs: Infinity, refreshOnHit: false, label: '' }, certain: certainOk, reads: 0 };
      this.entries.set(key(end), entry);
      writes.push(entry);
      if (end > read) {
        writtenEnd = { certain: certainOk ? Math.max(writtenEnd.certain, end) : writtenEnd.certain, possible: Math.max(writtenEnd.possible, end) };
      }
    }
    const cached = range(readCertain, read);
    const written = range(Math.max(0, writtenEnd.certain - read), Math.max(0, writtenEnd.possible - readCertain));

    // Why not more: compare with the longest shared prefix of any earlier request in scope.
    const divergence = this.divergence(rendered, match.owner, match.length, causes);
    if (marked.length === 0 && !causes.some((cause) => cause.kind === 'too-many-breakpoints')) {
      causes.push({
        kind: 'no-breakpoint',
        message: rules.unmarked,
        tokensLost: match.length,
      });
    } else if (marked.length > 0 && previousPossible === 0) {
      const last = Math.max(...marked.map(({ block }) => block.end));
      causes.push({ kind: 'below-minimum', message: `the last breakpoint is at token ${last}, below the ${formatRange(minimum, String)}-token minimum for ${rendered.model || 'this model'}: nothing is written`, tokensLost: Math.min(last, match.length) });
    }
    if (unreachable > read) {
      causes.push({ kind: 'lookback-exceeded', message: `an entry written up to token ${unreachable} is more than ${lookback} blocks before every breakpoint: add a breakpoint nearer to it`, tokensLost: unreachable - read });
    }
    if (expired && expired.end > Math.max(read, unreachable)) {
      const gap = Math.round(expired.idleMs / 60_000);
      causes.push({ kind: 'ttl-expired', message: `the entry up to token ${expired.end} was idle ${gap} min, longer than its ${expired.ttl} TTL`, tokensLost: expired.end - read });
    }
    // A range here comes only from a minimum the sources leave open for this model (e.g. another provider's model under these rules).
    const uncertain = cached.min !== cached.max || written.min !== written.max;
    if (uncertain && minimum.min !== minimum.max) {
      causes.push({ kind: 'below-minimum', message: `the minimum cacheable prefix for ${rendered.model || 'this model'} is not published for these rules (${formatRange(minimum, String)} tokens): counted as a range`, tokensLost: cached.max - cached.min });
    }
    const reusedFrom = readEntry?.writer;
    return { reusedPrefix: read, sharedPrefix: match.length, reusedFrom, cached, written, certainty: uncertain ? 'eligible' : 'exact', divergence, causes, writes, writeTtl };
  }

  /** The first token where this request leaves the earlier one it shares most with, and why. */
  private divergence(rendered: RenderedRequest, owner: number, length: number, causes: Cause[]): Divergence | undefined {
    if (owner <= 0) return undefined;
    const previous = this.states[owner - 1].rendered;
    if (length >= rendered.tokens.length || length >= previous.tokens.length) return undefined;
    const span = spanAt(rendered, length);
    const previousSpan = spanAt(previous, length);
    const part = span?.part;
    const previousPart = previousSpan?.part;
    const excerpt = (request: RenderedRequest) => {
      if (!this.options.decode) return '';
      const ids = Array.from(request.tokens.subarray(Math.max(0, length - EXCERPT_TOKENS), length + EXCERPT_TOKENS)).filter((id) => id >= 0);
      return this.options.decode(ids, request.model);
    };
    const divergence: Divergence = { tokenIndex: length, part, previousPart, before: excerpt(previous), after: excerpt(rendered) };
    const lost = Math.min(rendered.tokens.length, previous.tokens.length) - length;
    causes.push({ ...explainDivergence(rendered, previous, span, previousSpan, divergence), tokensLost: lost, part });
    return divergence;
  }

  /**
   * Flags written tokens no later turn read (paid for nothing where writes are billed). A turn's
   * entries are nested prefixes, so reading the deepest one uses all of them.
   */
  flagUnreadWrites(turns: TurnPrediction[]): void {
    this.states.forEach((state, index) => {
      if (state.writes.length === 0) return;
      const deepest = Math.max(...state.writes.map((entry) => entry.end));
      const used = Math.max(turns[index].cached.max, ...state.writes.filter((entry) => entry.reads > 0).map((entry) => entry.end));
      if (deepest <= used) return;
      turns[index].causes.push({ kind: 'write-never-read', message: `${deepest - used} tokens written to the cache are never read by a later request in this log`, tokensLost: 0 });
    });
  }

  private cost(modelId: string, n: number, cached: TokenRange, written: TokenRange, writeTtl: '5m' | '1h' = '5m'): CostRange {
    const model = this.options.findModel?.(modelId);
    const price = model?.price;
    if (!price) return { withCache: undefined, withoutCache: undefined };
    const { multipliers } = this.options.profile;
    const read = price.cachedInput ?? price.input * (multipliers.read ?? 1);
    const write = writeTtl === '1h' ? price.cacheWrite1h ?? price.input * (multipliers.write1h ?? 1) : price.cacheWrite ?? price.input * (multipliers.write5m ?? 1);
    const at = (c: number, w: number) => (Math.max(0, n - c - w) * price.input + c * read + w * write) / 1_000_000;
    const best = at(cached.max, written.min);
    const worst = at(cached.min, written.max);
    return { withCache: { min: Math.min(best, worst), max: Math.max(best, worst) }, withoutCache: (n * price.input) / 1_000_000 };
  }
}

interface Outcome {
  reusedPrefix: number;
  /** Longest prefix shared with any earlier request in scope, expired or not. */
  sharedPrefix: number;
  reusedFrom?: number;
  cached: TokenRange;
  written: TokenRange;
  certainty: TurnPrediction['certainty'];
  divergence?: Divergence;
  causes: Cause[];
  writes: Entry[];
  writeTtl?: '5m' | '1h';
  notes?: string[];
}

/**
 * Tokens of the assistant message that starts at `from`: llama-server keeps the reply it generated in
 * the slot (all sampled tokens but the last), so a client that sends it back verbatim reuses it too
 * [LCPP-README; tools/server/server-context.cpp]. Only an upper bound: a log has the reply's text, not
 * the generated ids, and re-tokenising the text may split it differently.
 */
function replyAfter(rendered: RenderedRequest, from: number): number {
  let end = from;
  for (let span = spanAt(rendered, end); span && span.part.role === 'assistant' && span.part.kind === 'message'; span = spanAt(rendered, end)) end = span.end;
  return end - from;
}

const VOLATILE = /\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}(:\d{2})?|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}|\b\d{10,13}\b|\b[0-9a-f]{16,}\b/i;

function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${sortedJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

function describePart(part: RequestPart | undefined): string {
  if (!part) return 'the end of the request';
  if (part.kind === 'tool') return `tool ${part.index}${part.name ? ` (${part.name})` : ''}`;
  if (part.kind === 'message') return `message ${part.index}${part.role ? ` (${part.role})` : ''} ${part.field ?? 'content'}`;
  return part.path;
}

/** The two texts around their first difference (±24 characters), for spotting times and ids. */
function aroundDifference(a: string, b: string): [string, string] {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [a.slice(Math.max(0, i - 24), i + 24), b.slice(Math.max(0, i - 24), i + 24)];
}

function explainDivergence(rendered: RenderedRequest, previous: RenderedRequest, span: PartSpan | undefined, previousSpan: PartSpan | undefined, divergence: Divergence): { kind: CauseKind; message: string } {
  const part = span?.part;
  const previousPart = previousSpan?.part;
  const at = `at token ${divergence.tokenIndex} (${describePart(part)}, ${part?.path ?? ''})`;
  if (part?.kind === 'tool' || previousPart?.kind === 'tool') {
    const same = part?.kind === 'tool' && previousPart?.kind === 'tool' && part.index === previousPart.index;
    if (same && part?.index !== undefined && sortedJson(rendered.tools[part.index]) === sortedJson(previous.tools[part.index])) {
      return { kind: 'tool-key-order', message: `tool ${part.index} has the same content with its keys in another order ${at}: serialise tools with a fixed key order` };
    }
    if (sortedJson([...rendered.tools].map(sortedJson).sort()) === sortedJson([...previous.tools].map(sortedJson).sort())) {
      return { kind: 'tools-changed', message: `the same tools in another order ${at}: sort the tool list` };
    }
    return { kind: 'tools-changed', message: `tool definitions changed ${at}` };
  }
  if (part?.kind === 'response-schema' || previousPart?.kind === 'response-schema') {
    if (sortedJson(rendered.responseSchema) === sortedJson(previous.responseSchema)) {
      return { kind: 'schema-key-order', message: `the response schema has its keys in another order ${at}: serialise it with a fixed key order` };
    }
    return { kind: 'schema-changed', message: `the response schema changed ${at}` };
  }
  if (part?.kind === 'settings' || previousPart?.kind === 'settings') {
    return { kind: 'parameter-changed', message: `${part?.name ?? previousPart?.name} changed ${at}; it is rendered ahead of the messages` };
  }
  if (part && previousPart && (part.index !== previousPart.index || part.kind !== previousPart.kind)) {
    return { kind: 'messages-rewritten', message: `the messages no longer line up ${at}: an earlier message was inserted, removed or reordered` };
  }
  const text = span?.text;
  const previousText = previousSpan?.text;
  if (text !== undefined && previousText !== undefined && part?.path === previousPart?.path) {
    if (squash(text) === squash(previousText)) return { kind: 'whitespace', message: `only whitespace differs ${at}` };
    const [before, after] = aroundDifference(previousText, text);
    if (VOLATILE.test(before) && VOLATILE.test(after)) {
      return { kind: 'volatile-content', message: `a time, date or id changes ${at} ("${before.trim()}" → "${after.trim()}"): move it after the static part` };
    }
  }
  return { kind: 'prefix-changed', message: `the prefix changed ${at}` };
}

function summarise(turns: TurnPrediction[]): CacheSummary {
  const inputTokens = turns.reduce((sum, turn) => sum + turn.inputTokens, 0);
  const cached = turns.reduce((sum, turn) => ({ min: sum.min + turn.cached.min, max: sum.max + turn.cached.max }), { min: 0, max: 0 });
  const priced = turns.every((turn) => turn.cost.withCache !== undefined) && turns.length > 0;
  const withCache = priced ? turns.reduce((sum, turn) => ({ min: sum.min + turn.cost.withCache!.min, max: sum.max + turn.cost.withCache!.max }), { min: 0, max: 0 }) : undefined;
  const withoutCache = priced ? turns.reduce((sum, turn) => sum + (turn.cost.withoutCache ?? 0), 0) : undefined;
  const causes = new Map<CauseKind, { kind: CauseKind; turns: number; tokensLost: number }>();
  for (const turn of turns) {
    for (const cause of turn.causes) {
      const entry = causes.get(cause.kind) ?? { kind: cause.kind, turns: 0, tokensLost: 0 };
      entry.turns++;
      entry.tokensLost += cause.tokensLost;
      causes.set(cause.kind, entry);
    }
  }
  const withActual = turns.filter((turn) => turn.actual?.cachedTokens !== undefined);
  const summary: CacheSummary = {
    turns: turns.length,
    inputTokens,
    cached,
    cachedShare: inputTokens === 0 ? { min: 0, max: 0 } : { min: cached.min / inputTokens, max: cached.max / inputTokens },
    cost: { withCache, withoutCache },
    saved: withCache && withoutCache !== undefined ? { min: withoutCache - withCache.max, max: withoutCache - withCache.min } : undefined,
    topCauses: [...causes.values()].filter((cause) => cause.kind !== 'cold-start').sort((a, b) => b.tokensLost - a.tokensLost || b.turns - a.turns),
  };
  if (withActual.length > 0) {
    summary.actual = {
      turns: withActual.length,
      cachedTokens: withActual.reduce((sum, turn) => sum + (turn.actual?.cachedTokens ?? 0), 0),
      meanAbsoluteError: withActual.reduce((sum, turn) => sum + Math.abs(turn.error ?? 0), 0) / withActual.length,
    };
  }
  return summary;
}
