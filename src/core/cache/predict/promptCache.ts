/**
 * Prompt-cache prediction for a prompt found in code: a template called N times with different values.
 * Each simulated call is rendered as a real request of the model's provider API (OpenAI Chat Completions,
 * or Anthropic Messages for the Anthropic/Bedrock regimes; for the engines vLLM, SGLang and llama.cpp the
 * text the model's chat template makes of that request, as request logs are rendered) with the prompt as
 * one message of its role, the dynamic parts filled with values that differ per call, and the calls go
 * through the same predictor as request logs (./predict.ts).
 *
 * Breakpoint regimes (Anthropic, Bedrock, OpenAI GPT-5.6+) cache nothing without a marker
 * [ANT-doc; OAI-guide; reference §4.2, §5]. A template in code carries none, so `calls` shows the
 * request as written (with its `no-breakpoint` cause), while `cachedFromSecondCall` is what a
 * breakpoint right after the static prefix would cache (`assumesBreakpoint`): the number a user can
 * get by adding one, which is what the code lens offers.
 */
import type { ModelInfo } from '../../catalog';
import type { Tokenizer } from '../../tokenize';
import type { Prompt, Range } from '../../prompt/types';
import { memoChunkEncoder, renderForEngine, type ChatTemplateLoad, type ChunkEncoder } from '../render/chatTemplate';
import { sharedEncoder } from '../render/encodeMemo';
import { predictConversation, type CachePrediction, type ConversationRequest } from './predict';
import { cacheProfile, profileForProvider } from '../providers';
import type { CacheProfile, EngineOptions } from '../providers/profile';
import { aboveMinimum } from '../providers/rules';
import { commonPrefixLength } from './prefixIndex';
import { renderAnthropic, renderOpenAiChat } from '../render/requestBody';
import type { RenderedRequest, TokenRange, TurnPrediction } from '../types';
import { classifyExpression } from '../volatility';
import { errorMessage } from '../../../../common/text';

export interface PromptCacheOptions {
  /** Active catalogue model (provider, prices, id). */
  model: ModelInfo;
  /** That model's tokenizer, already loaded by the caller. */
  tokenizer: Tokenizer;
  /** Default: the model's catalogue profile, else profileForProvider(model.provider, model.id). */
  profile?: CacheProfile;
  engine?: EngineOptions;
  /** Simulated calls of the template (default 5, at least 2, at most 50). */
  calls?: number;
  /** User-provided values per dynamic expression (or placeholder text), used in turn; else generated, distinct per call. */
  values?: Record<string, string[]>;
  /** Volume for cost figures (default 1000; setting promptLens.cache.callsPerDay). */
  callsPerDay?: number;
  findModel?: (id: string) => ModelInfo | undefined;
  /**
   * The model's chat template, loaded by the caller (render/chatTemplateFiles.ts `loadChatTemplate(model.tokenizer)`):
   * engine profiles (vllm, sglang, llama.cpp) render each call through it. Without it they fall back to
   * OpenAI's message framing, and the report's notes say so.
   */
  chatTemplate?: ChatTemplateLoad;
}

export interface PromptCacheReport {
  profile: CacheProfile;
  /** Tokens of one rendered call (the first simulated call), framing included. */
  totalTokens: number;
  /** Prompt-text tokens before the first dynamic part (all of them, if there is none). */
  staticPrefixTokens: number;
  /** What the profile serves from cache on calls 2..N (the minimum over those calls of each end). */
  cachedFromSecondCall: TokenRange;
  certainty: 'exact' | 'eligible' | 'probabilistic';
  /** `tokenIndex` is in the rendered request: framing before the prompt + the static prefix's own tokens. */
  firstDynamic?: { tokenIndex: number; segmentIndex: number; source: string; range: Range };
  /** The N simulated calls as written, per turn (for the visualizer timeline). */
  calls: CachePrediction;
  /** Rendered tokens every simulated call shares with an earlier one (the least over calls 2..N), before rounding and minimums. */
  cacheablePrefixTokens: number;
  /** Index of the prompt's first token in the rendered request (role and framing tokens come before it). */
  contentStart: number;
  /** True when `cachedFromSecondCall` assumes a cache breakpoint right after the static prefix (breakpoint regimes). */
  assumesBreakpoint: boolean;
  /** Breakpoint regimes: the N calls with that breakpoint added, which `cachedFromSecondCall` is read from. */
  breakpointCalls?: CachePrediction;
  /** What the simulation assumed or could not do, for the user. */
  notes: string[];
}

const DEFAULT_SIMULATED_CALLS = 5;
export const DEFAULT_CALLS_PER_DAY = 1000;
const MAX_SIMULATED_CALLS = 50;
/** Simulated calls are a minute apart: inside every profile's shortest TTL, below OpenAI's ~15/min overflow [OAI-guide]. */
const CALL_INTERVAL_MS = 60_000;
/** A fixed start keeps generated values, and so the encode memo's keys, the same between analyses. */
const SIMULATION_EPOCH_MS = Date.UTC(2025, 0, 15, 9, 0, 0);

/** The profile for a model: its catalogue entry's, else its provider's; OpenAI's automatic rules when neither is known. */
export function profileForModel(model: ModelInfo): { profile: CacheProfile; note?: string } {
  const fromCatalogue = model.cacheProfile && model.cacheProfile !== 'none' ? profileForProvider(model.cacheProfile, model.id) : undefined;
  const profile = fromCatalogue ?? profileForProvider(model.provider, model.id);
  if (profile) return { profile };
  return { profile: cacheProfile('openai-automatic'), note: `no caching rules are known for ${model.id}: OpenAI's automatic prefix caching is assumed` };
}

/** The role the prompt is sent as: its own, else system when the rule that found it says so, else user. */
function roleOf(prompt: Prompt): string {
  if (prompt.role) return prompt.role;
  return /system|instruction|persona|preamble/i.test(prompt.reason) ? 'system' : 'user';
}

/** The tokens a profile caches of a live shared prefix of `lcp` tokens (a breakpoint placed at `lcp` for breakpoint regimes). */
export function cacheableAt(profile: CacheProfile, modelId: string, lcp: number, n: number, engine: EngineOptions = {}): TokenRange {
  const minimum = profile.minimum(modelId);
  if (profile.matching === 'breakpoints') return aboveMinimum({ min: lcp, max: lcp }, minimum);
  const hit = profile.hit(lcp, n, modelId, engine);
  return profile.matching === 'slot' ? hit : aboveMinimum(hit, minimum);
}

const NATO = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliett', 'kilo', 'lima', 'mike', 'november', 'oscar', 'papa', 'quebec', 'romeo', 'sierra', 'tango', 'uniform', 'victor', 'whiskey', 'xray', 'yankee', 'zulu'];
const PEOPLE = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Margaret Hamilton', 'Linus Torvalds', 'Barbara Liskov', 'Ken Thompson', 'Radia Perlman', 'Edsger Dijkstra', 'Frances Allen'];
const HEX = '0123456789abcdef';

/** A distinct word per call whose first token differs, so a generated value never lengthens the shared prefix by itself. */
const word = (call: number, list: readonly string[]) => (call < list.length ? list[call] : `${list[call % list.length]}-${Math.floor(call / list.length) + 1}`);

function pseudoHex(call: number, salt: number, length: number): string {
  let state = (call + 1) * 2654435761 + salt * 40503;
  let text = HEX[(call * 5 + salt) % 16];
  while (text.length < length) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    text += HEX[(state >>> 16) % 16];
  }
  return text;
}

/**
 * A value for one dynamic part on one call: times advance a minute per call, dates stay on the same
 * day, ids and users differ from their first character, collections come in another order.
 */
export function generatedValue(expression: string | undefined, placeholder: string, call: number, salt = 0): string {
  const volatility = classifyExpression(expression, placeholder);
  const source = expression ?? placeholder;
  const at = new Date(SIMULATION_EPOCH_MS + call * CALL_INTERVAL_MS);
  switch (volatility.kind) {
    case 'time':
      if (/Date\.now|performance\.now/.test(source)) return String(at.getTime());
      if (/\btime\.(?:time|time_ns|monotonic|perf_counter)\b/.test(source)) return (at.getTime() / 1000).toFixed(3);
      return at.toISOString();
    case 'date':
      return at.toISOString().slice(0, 10);
    case 'random':
      return `${pseudoHex(call, salt, 8)}-${pseudoHex(call, salt + 1, 4)}-4${pseudoHex(call, salt + 2, 3)}-a${pseudoHex(call, salt + 3, 3)}-${pseudoHex(call, salt + 4, 12)}`;
    case 'user':
      if (/mail/i.test(source)) return `${word(call, PEOPLE).split(' ')[0].toLowerCase()}@example.com`;
      if (/id\b|Id\b/.test(source)) return `${(call % 9) + 1}${String(40_000 + call * 7919).slice(-5)}`;
      return word(call, PEOPLE);
    case 'unordered': {
      const items = ['search', 'billing', 'deploy', 'status', 'refunds'];
      const shift = call % items.length;
      return [...items.slice(shift), ...items.slice(0, shift)].join(', ');
    }
    case 'json':
      return call % 2 === 0 ? `{"plan": "pro", "region": "eu-west", "seats": ${call + 3}}` : `{"region": "eu-west", "plan": "pro", "seats": ${call + 3}}`;
    case 'whitespace':
      return `${word(call, NATO)} notes${call % 2 === 0 ? '\n' : ' \n\n'}`;
    default:
      return word(call, NATO);
  }
}

interface Simulation {
  requests: ConversationRequest[];
  contentStart: number;
}

/** The prompt text of call `call`: static text as is, each dynamic part replaced by its value. */
function filledText(prompt: Prompt, call: number, values: Record<string, string[]> | undefined, from = 0): string {
  let text = '';
  prompt.segments.forEach((segment, index) => {
    if (index < from) return;
    if (segment.kind === 'static') {
      text += segment.text;
      return;
    }
    const given = (segment.expression !== undefined ? values?.[segment.expression] : undefined) ?? values?.[segment.text];
    text += given && given.length > 0 ? given[call % given.length] : generatedValue(segment.expression, segment.text, call, index);
  });
  return text;
}

/** Content of the prompt's message: one text, or (with a breakpoint) the static prefix as its own marked block. */
function content(profile: CacheProfile, prefix: string, rest: string, breakpoint: boolean): unknown {
  if (!breakpoint || prefix === '') return prefix + rest;
  const marker = profile.requestApi === 'anthropic-messages' ? { cache_control: { type: 'ephemeral' } } : { prompt_cache_breakpoint: { ttl: '30m' } };
  const blocks: unknown[] = [{ type: 'text', text: prefix, ...marker }];
  if (rest !== '') blocks.push({ type: 'text', text: rest });
  return blocks;
}

/** A message of a simulated call: its role and its content (text, or text blocks with a breakpoint). */
interface SimulatedMessage {
  role: string;
  content: unknown;
}

/** The encoders of one analysis: plain token ids, and ids with offsets for chat templates. */
interface Encoders {
  encode: (text: string) => number[];
  chunks: ChunkEncoder;
}

function encodersFor(options: PromptCacheOptions): Encoders {
  return { encode: sharedEncoder(options.tokenizer), chunks: memoChunkEncoder(options.tokenizer) };
}

const isInstruction = (role: string) => role === 'system' || role === 'developer';

const textBlocks = (content: unknown): unknown[] => (Array.isArray(content) ? content : [{ type: 'text', text: content }]);

/**
 * One simulated request holding `messages` in order, rendered as the profile's API sends it. Also says
 * where each message's text lands: a `system` block (Anthropic's system field) or a `message` of the request.
 */
function renderMessages(profile: CacheProfile, options: PromptCacheOptions, messages: readonly SimulatedMessage[], encoders: Encoders): { rendered: RenderedRequest; places: Array<{ kind: 'system' | 'message'; index: number }> } {
  const model = options.model.id;
  if (profile.requestApi === 'anthropic-messages') {
    // Anthropic takes system text as a top-level field (one text block per system message), and has no developer role.
    const system = messages.filter((message) => isInstruction(message.role));
    const turns = messages.filter((message) => !isInstruction(message.role));
    const body: Record<string, unknown> = { model, messages: turns.map((message) => ({ role: message.role === 'assistant' ? 'assistant' : 'user', content: message.content })) };
    if (system.length === 1) body.system = system[0].content;
    else if (system.length > 1) body.system = system.flatMap((message) => textBlocks(message.content));
    const places = messages.map((message) => (isInstruction(message.role) ? { kind: 'system' as const, index: system.indexOf(message) } : { kind: 'message' as const, index: turns.indexOf(message) }));
    return { rendered: renderAnthropic(body, encoders.encode), places };
  }
  const body = { model, messages: messages.map(({ role, content }) => ({ role, content })) };
  const places = messages.map((_, index) => ({ kind: 'message' as const, index }));
  if (profile.chatTemplateEngine) {
    // What the engine tokenises is the chat template's output, special header tokens included [reference §14].
    return { rendered: renderForEngine(body, profile.chatTemplateEngine, options.chatTemplate, encoders.chunks, () => renderOpenAiChat(body, encoders.encode)), places };
  }
  return { rendered: renderOpenAiChat(body, encoders.encode), places };
}

/** Where a message's own tokens begin: the first span of its text (after role and framing tokens). */
function contentStartOf(rendered: RenderedRequest, place: { kind: 'system' | 'message'; index: number } = { kind: 'message', index: 0 }): number {
  const span = rendered.parts.find(({ part }) =>
    part.index === place.index && (place.kind === 'system' ? part.kind === 'system' : part.kind === 'message' && part.field !== 'role' && part.field !== 'name'));
  return span ? span.start : rendered.tokens.length;
}

function simulate(prompt: Prompt, options: PromptCacheOptions, profile: CacheProfile, breakpoint: boolean, encoders: Encoders, fewest = 2): Simulation {
  const calls = Math.min(MAX_SIMULATED_CALLS, Math.max(fewest, Math.floor(options.calls ?? DEFAULT_SIMULATED_CALLS)));
  const role = roleOf(prompt);
  const firstDynamic = prompt.segments.findIndex((segment) => segment.kind === 'dynamic');
  const prefix = prompt.segments.slice(0, firstDynamic < 0 ? prompt.segments.length : firstDynamic).map((segment) => segment.text).join('');
  const requests: ConversationRequest[] = [];
  let contentStart = 0;
  for (let call = 0; call < calls; call++) {
    const rest = firstDynamic < 0 ? '' : filledText(prompt, call, options.values, firstDynamic);
    const { rendered, places } = renderMessages(profile, options, [{ role, content: content(profile, prefix, rest, breakpoint) }], encoders);
    requests.push({ rendered, timestamp: SIMULATION_EPOCH_MS + call * CALL_INTERVAL_MS });
    if (call === 0) contentStart = contentStartOf(rendered, places[0]);
  }
  return { requests, contentStart };
}

/** Tokens of the first simulated call as written and where the prompt's text starts in it: what the lint needs, at one render. */
export function renderedLayout(prompt: Prompt, options: PromptCacheOptions, profile: CacheProfile): { totalTokens: number; contentStart: number } {
  const simulation = simulate(prompt, { ...options, calls: 1 }, profile, false, encodersFor(options), 1);
  return { totalTokens: simulation.requests[0]?.rendered.tokens.length ?? 0, contentStart: simulation.contentStart };
}

/**
 * Several prompts sent as the messages of one request, in the order given (the first simulated call's
 * values): its tokens, and where each message's text starts. The lint compares two orders of a messages array with it.
 */
export function conversationLayout(prompts: readonly Prompt[], options: PromptCacheOptions, profile: CacheProfile): { totalTokens: number; contentStarts: number[] } {
  const messages = prompts.map((prompt) => ({ role: roleOf(prompt), content: filledText(prompt, 0, options.values) }));
  const { rendered, places } = renderMessages(profile, options, messages, encodersFor(options));
  return { totalTokens: rendered.tokens.length, contentStarts: places.map((place) => contentStartOf(rendered, place)) };
}

const CERTAINTY_RANK = { exact: 0, eligible: 1, probabilistic: 2 } as const;

/** The least each end of the cached range reaches over calls 2..N, and the weakest certainty among them. */
function fromSecondCall(turns: readonly TurnPrediction[], fallback: PromptCacheReport['certainty']): { cached: TokenRange; certainty: PromptCacheReport['certainty'] } {
  const later = turns.slice(1);
  if (later.length === 0) return { cached: { min: 0, max: 0 }, certainty: fallback };
  const cached = { min: Math.min(...later.map((turn) => turn.cached.min)), max: Math.min(...later.map((turn) => turn.cached.max)) };
  const certainty = later.reduce<PromptCacheReport['certainty']>((weakest, turn) => (CERTAINTY_RANK[turn.certainty] > CERTAINTY_RANK[weakest] ? turn.certainty : weakest), 'exact');
  return { cached, certainty };
}

/** Longest prefix each call shares with an earlier one, the least over calls 2..N. */
function sharedByAll(requests: readonly ConversationRequest[]): number {
  let least = Infinity;
  for (let i = 1; i < requests.length; i++) {
    let best = 0;
    for (let j = 0; j < i; j++) best = Math.max(best, commonPrefixLength(requests[i].rendered.tokens, requests[j].rendered.tokens));
    least = Math.min(least, best);
  }
  return Number.isFinite(least) ? least : 0;
}

/** Predicts what the prompt-cache keeps of `prompt` over N calls with different values. Never throws. */
export function analyzePromptCache(prompt: Prompt, options: PromptCacheOptions): PromptCacheReport {
  const chosen = options.profile ? { profile: options.profile } : profileForModel(options.model);
  const profile = chosen.profile;
  const notes = chosen.note ? [chosen.note] : [];
  const predict = (requests: ConversationRequest[]) =>
    predictConversation(requests, { profile, engine: options.engine, findModel: options.findModel ?? ((id) => (id === options.model.id ? options.model : undefined)), decode: (ids) => options.tokenizer.decode(ids) });
  try {
    const encoders = encodersFor(options);
    const encode = encoders.encode;
    const segments = prompt.segments;
    const firstIndex = segments.findIndex((segment) => segment.kind === 'dynamic');
    const prefixText = segments.slice(0, firstIndex < 0 ? segments.length : firstIndex).map((segment) => segment.text).join('');
    const staticPrefixTokens = encode(prefixText).length;

    const asWritten = simulate(prompt, options, profile, false, encoders);
    const calls = predict(asWritten.requests);
    const assumesBreakpoint = profile.matching === 'breakpoints';
    const withBreakpoint = assumesBreakpoint ? predict(simulate(prompt, options, profile, true, encoders).requests) : undefined;
    const { cached, certainty } = fromSecondCall((withBreakpoint ?? calls).turns, profile.certainty);
    if (assumesBreakpoint) {
      notes.push(`${profile.label}: nothing is cached without a breakpoint; the cached figure assumes one right after the static prefix (${staticPrefixTokens} tokens)`);
    }
    // How the calls were rendered, where it is approximate (an engine's chat template that is unknown or failed).
    for (const note of asWritten.requests[0]?.rendered.notes ?? []) if (!notes.includes(note)) notes.push(note);
    if (!options.values && firstIndex >= 0) notes.push('dynamic parts are filled with generated values that differ per call (times a minute apart, distinct ids and users)');
    const first = firstIndex >= 0 ? segments[firstIndex] : undefined;
    return {
      profile,
      totalTokens: asWritten.requests[0]?.rendered.tokens.length ?? 0,
      staticPrefixTokens,
      cachedFromSecondCall: cached,
      certainty,
      firstDynamic: first ? { tokenIndex: asWritten.contentStart + staticPrefixTokens, segmentIndex: firstIndex, source: first.text, range: first.range } : undefined,
      calls,
      cacheablePrefixTokens: sharedByAll(asWritten.requests),
      contentStart: asWritten.contentStart,
      assumesBreakpoint,
      breakpointCalls: withBreakpoint,
      notes,
    };
  } catch (error) {
    return {
      profile,
      totalTokens: 0,
      staticPrefixTokens: 0,
      cachedFromSecondCall: { min: 0, max: 0 },
      certainty: profile.certainty,
      calls: predict([]),
      cacheablePrefixTokens: 0,
      contentStart: 0,
      assumesBreakpoint: false,
      notes: [...notes, `the prompt could not be simulated: ${errorMessage(error)}`],
    };
  }
}
