/**
 * Cache-busting patterns in a document's prompts (issue 4): a value that changes between calls
 * before a long static part (in the same prompt, or in the message before a long static message),
 * collections in no fixed order, JSON in the data's key order, varying
 * whitespace, tool lists built from unordered collections [reference §15 A, B, C]. Every warning says
 * how many tokens per call the pattern keeps out of the cache under the model's profile (minimum and
 * granularity applied) and what that costs per day at the configured volume.
 *
 * The patterns are read from source text, not evaluated: they are heuristics, and the messages say
 * so where the signal is weak (severity info).
 */
import type { ModelInfo } from '../../catalog';
import { LineIndex } from '../../extract/positions';
import { formatCount, formatUsd } from '../../../../common/format';
import type { Prompt, Range } from '../../prompt/types';
import { sharedEncoder } from '../render/encodeMemo';
import { moveAfterStaticFix, type CacheFix } from './fix';
import { mayReorder, messageArrays, swapMessagesFix } from './messageOrder';
import { cacheableAt, conversationLayout, DEFAULT_CALLS_PER_DAY, profileForModel, renderedLayout, type PromptCacheOptions } from '../predict/promptCache';
import type { CacheProfile } from '../providers';
import { classifyExpression, VOLATILITY_PATTERNS, type Volatility } from '../volatility';

export type { CacheFix } from './fix';

export type CacheWarningKind =
  | 'volatile-before-static' // time/date, random ids, user-specific fields before a long static part
  | 'dynamic-before-static' // any other dynamic part before a long static part (lower severity)
  | 'unordered-collection' // tools/schemas/lists built from sets, listings in no fixed order
  | 'unstable-key-order' // JSON serialised without a stable key order
  | 'varying-whitespace'; // whitespace that varies between calls (unstripped file contents or input)

export interface CacheWarning {
  kind: CacheWarningKind;
  severity: 'warning' | 'info';
  /** Says how many tokens per call it moves out of cache and the cost per day at the volume. */
  message: string;
  /** What to underline: the dynamic part, or the expression. */
  range: Range;
  promptId: string;
  tokensPerCall: number;
  /** USD per day at callsPerDay; undefined when the model has no price. */
  costPerDay?: number;
  /** Moves the dynamic part after the static part where that is safe. */
  fix?: CacheFix;
}

export interface CacheLintOptions extends PromptCacheOptions {
  /** A static part shorter than this after the dynamic part is not worth a warning (default 256). */
  minStaticTokens?: number;
}

export const DEFAULT_MIN_STATIC_TOKENS = 256;

const KIND_OF: Record<Volatility['kind'], CacheWarningKind> = {
  time: 'volatile-before-static',
  date: 'volatile-before-static',
  random: 'volatile-before-static',
  user: 'volatile-before-static',
  unordered: 'unordered-collection',
  json: 'unstable-key-order',
  whitespace: 'varying-whitespace',
  dynamic: 'dynamic-before-static',
};

/** USD saved per cached input token: the input price minus the cache-read price (catalogue, else the profile's multiplier). */
function savingPerToken(model: ModelInfo, profile: CacheProfile): number | undefined {
  const price = model.price;
  if (!price) return undefined;
  const read = price.cachedInput ?? price.input * (profile.multipliers.read ?? 1);
  return Math.max(0, price.input - read) / 1_000_000;
}

interface Context {
  options: CacheLintOptions;
  profile: CacheProfile;
  encode: (text: string) => number[];
  lines: LineIndex;
  documentText: string;
  callsPerDay: number;
  saving: number | undefined;
}

/** Every cache-busting pattern in the prompts of one document. Never throws; a prompt it cannot read gives no warning. */
export function findCacheWarnings(documentText: string, prompts: readonly Prompt[], options: CacheLintOptions): CacheWarning[] {
  const warnings: CacheWarning[] = [];
  try {
    const profile = options.profile ?? profileForModel(options.model).profile;
    const context: Context = {
      options,
      profile,
      encode: sharedEncoder(options.tokenizer),
      lines: new LineIndex(documentText),
      documentText,
      callsPerDay: Math.max(0, options.callsPerDay ?? DEFAULT_CALLS_PER_DAY),
      saving: savingPerToken(options.model, profile),
    };
    const layouts = new Map<Prompt, { totalTokens: number; contentStart: number }>();
    const layoutOf = (prompt: Prompt) => {
      let layout = layouts.get(prompt);
      if (!layout) layouts.set(prompt, (layout = renderedLayout(prompt, { ...options, profile }, profile)));
      return layout;
    };
    const warned = new Set<string>();
    for (const prompt of prompts) {
      try {
        if (!prompt.segments.some((segment) => segment.kind === 'dynamic')) continue;
        const found = promptWarnings(prompt, layoutOf(prompt), context);
        if (found.length > 0) warned.add(prompt.id);
        warnings.push(...found);
      } catch {
        // Half-typed code can give odd segments; that prompt simply gets no warning this time.
      }
    }
    warnings.push(...messageOrderWarnings(prompts, warned, context));
    warnings.push(...collectionWarnings(prompts, layoutOf, context));
  } catch {
    // Never throw out of the linter: it runs on every document change.
  }
  return warnings;
}

function promptWarnings(prompt: Prompt, layout: { totalTokens: number; contentStart: number }, context: Context): CacheWarning[] {
  const minStatic = context.options.minStaticTokens ?? DEFAULT_MIN_STATIC_TOKENS;
  const warnings: CacheWarning[] = [];
  // Static tokens counted run by run (the text between two dynamic parts). The dynamic parts since the
  // last long run form a cluster ("Time: {now}. Request {id}.") that one warning and one fix cover.
  let prefix = layout.contentStart;
  let run = '';
  let cluster: number[] = [];
  let dynamicBefore = 0;
  const flush = () => {
    const runTokens = run === '' ? 0 : context.encode(run).length;
    run = '';
    if (cluster.length === 0) prefix += runTokens;
    else if (runTokens >= minStatic) {
      const warning = warningFor(prompt, cluster, prefix, runTokens, layout.totalTokens, dynamicBefore, context);
      if (warning) warnings.push(warning);
      dynamicBefore += cluster.length;
      cluster = [];
      prefix += runTokens;
    }
    // A short run between two dynamic parts moves with them (same line or sentence): it is not counted in the prefix.
  };
  prompt.segments.forEach((segment, index) => {
    if (segment.kind === 'static') {
      run += segment.text;
      return;
    }
    flush();
    cluster.push(index);
  });
  flush();
  return warnings;
}

/** Which member of a cluster the warning is about: the surest and most frequent change first. */
function rank(volatility: Volatility): number {
  const rate = { 'per-call': 0, 'per-user': 1, daily: 2, unknown: 3 }[volatility.rate];
  return (volatility.confident ? 0 : 10) + rate + (volatility.kind === 'dynamic' ? 20 : 0);
}

/** For a dynamic message before a static message: where the prefix ends once they trade places, and the fix that swaps them. */
interface MessageMove {
  movedTo: number;
  /** Says whose static tokens they are: `of the next system message`. */
  where: string;
  fix: () => CacheFix | undefined;
}

/**
 * The warning for the dynamic parts `cluster`, followed by `runTokens` static tokens that start at rendered
 * token `before` (or, for a message, by the next message's static text: `message`).
 */
function warningFor(prompt: Prompt, cluster: number[], before: number, runTokens: number, totalTokens: number, earlierDynamic: number, context: Context, message?: MessageMove): CacheWarning | undefined {
  const { profile, options } = context;
  const model = options.model.id;
  const now = cacheableAt(profile, model, before, totalTokens, options.engine);
  const moved = cacheableAt(profile, model, message ? message.movedTo : before + runTokens, totalTokens, options.engine);
  const tokensPerCall = Math.max(0, moved.max - now.max);
  if (tokensPerCall === 0) return undefined;
  const classified = cluster.map((index) => ({ index, volatility: classifyExpression(prompt.segments[index].expression, prompt.segments[index].text) }));
  const { index, volatility } = classified.reduce((best, member) => (rank(member.volatility) < rank(best.volatility) ? member : best));
  const segment = prompt.segments[index];
  const kind = KIND_OF[volatility.kind];
  const missesPerDay = volatility.rate === 'daily' ? 1 : context.callsPerDay;
  const costPerDay = context.saving === undefined ? undefined : tokensPerCall * missesPerDay * context.saving;
  const strong = volatility.confident && volatility.rate !== 'daily' && volatility.rate !== 'unknown';
  const canMove = MOVABLE.has(kind);
  const fix = !canMove ? undefined : message ? message.fix() : moveAfterStaticFix(context.documentText, prompt, index, context.lines);
  const others = classified.filter((member) => member.index !== index).map((member) => prompt.segments[member.index].text);
  const upTo = moved.min < moved.max || profile.certainty === 'probabilistic';
  const text = describe({ source: segment.text, others, volatility, kind, runTokens, tokensPerCall, upTo, costPerDay, earlierDynamic, where: message?.where }, context);
  const warning: CacheWarning = { kind, severity: strong ? 'warning' : 'info', message: text, range: segment.range, promptId: prompt.id, tokensPerCall };
  if (costPerDay !== undefined) warning.costPerDay = costPerDay;
  if (fix) warning.fix = fix;
  return warning;
}

const hasDynamic = (prompt: Prompt) => prompt.segments.some((segment) => segment.kind === 'dynamic');

function staticPrefixText(prompt: Prompt): string {
  const first = prompt.segments.findIndex((segment) => segment.kind === 'dynamic');
  return prompt.segments.slice(0, first < 0 ? prompt.segments.length : first).map((segment) => segment.text).join('');
}

/**
 * Messages of one array in code: a message with dynamic parts right before a message whose static text is
 * long, where the two may trade places [reference §15 A]. The tokens per call are those the swap brings
 * into the shared prefix, with the known static messages before them rendered too. A message that already
 * has a warning of its own (a dynamic part before its own static text) gets none here.
 */
function messageOrderWarnings(prompts: readonly Prompt[], warned: ReadonlySet<string>, context: Context): CacheWarning[] {
  const { options, profile } = context;
  const minStatic = options.minStaticTokens ?? DEFAULT_MIN_STATIC_TOKENS;
  const warnings: CacheWarning[] = [];
  for (const run of messageArrays(prompts)) {
    for (let index = 0; index + 1 < run.length; index++) {
      const first = run[index];
      const second = run[index + 1];
      try {
        if (!first || !second || warned.has(first.id) || !hasDynamic(first) || !mayReorder(first.role, second.role)) continue;
        const runTokens = context.encode(staticPrefixText(second)).length;
        if (runTokens < minStatic) continue;
        // The static messages right before it share the prefix in either order; a dynamic one ends it there.
        let start = index;
        while (start > 0 && run[start - 1] && !hasDynamic(run[start - 1]!)) start--;
        const earlierDynamic = start > 0 && run[start - 1] ? 1 : 0;
        const before = run.slice(start, index) as Prompt[];
        const written = [...before, first, second];
        const swapped = [...before, second, first];
        const prefixEnd = (order: Prompt[]) => {
          const layout = conversationLayout(order, { ...options, profile }, profile);
          const at = order.findIndex(hasDynamic);
          return { end: layout.contentStarts[at] + context.encode(staticPrefixText(order[at])).length, total: layout.totalTokens };
        };
        const now = prefixEnd(written);
        const moved = prefixEnd(swapped);
        const warning = warningFor(first, first.segments.flatMap((segment, at) => (segment.kind === 'dynamic' ? [at] : [])), now.end, runTokens, now.total, earlierDynamic, context, {
          movedTo: moved.end,
          where: `of the next ${second.role} message`,
          fix: () => swapMessagesFix(context.documentText, first, second, context.lines),
        });
        if (warning) warnings.push(warning);
      } catch {
        // A message that cannot be rendered gets no warning this time.
      }
    }
  }
  return warnings;
}

/** The patterns a move fixes (the others are fixed where the value is made: sorting, sort_keys, strip). */
const MOVABLE: ReadonlySet<CacheWarningKind> = new Set(['volatile-before-static', 'dynamic-before-static']);
const MESSAGE_ADVICE: Partial<Record<CacheWarningKind, string>> = {
  'volatile-before-static': 'Move this message after that one.',
  'dynamic-before-static': 'If its value changes between calls, move this message after that one.',
};

const ADVICE: Record<CacheWarningKind, string> = {
  'volatile-before-static': 'Move it after the static text.',
  'dynamic-before-static': 'If its value changes between calls, move it after the static text.',
  'unordered-collection': 'Sort it (sorted(...), .sort()) before it goes into the prompt.',
  'unstable-key-order': 'Serialise with a fixed key order (json.dumps(..., sort_keys=True), or build the object with its keys in one order).',
  'varying-whitespace': 'Strip it (.strip(), .trim()) so that its whitespace is the same on every call.',
};

interface Finding {
  source: string;
  /** Other dynamic parts just before the same static run. */
  others: string[];
  volatility: Volatility;
  kind: CacheWarningKind;
  runTokens: number;
  tokensPerCall: number;
  upTo: boolean;
  costPerDay: number | undefined;
  earlierDynamic: number;
  /** Set for a message before a static message: `of the next system message`. */
  where?: string;
}

const shorten = (text: string) => (text.length > 48 ? `${text.slice(0, 45)}…` : text);

function describe(finding: Finding, context: Context): string {
  const { volatility, tokensPerCall } = finding;
  const amount = `${finding.upTo ? 'up to ' : ''}${formatCount(tokensPerCall)} token${tokensPerCall === 1 ? '' : 's'}`;
  const when =
    volatility.rate === 'daily' ? `the first call each day misses ${amount} of cache`
    : volatility.rate === 'per-user' ? `each call for another user misses ${amount} of cache`
    : volatility.confident ? `${amount} per call miss the cache`
    : `when it changes, ${amount} per call miss the cache`;
  const volume = volatility.rate === 'daily' ? 'at one miss a day' : `at ${formatCount(context.callsPerDay)} calls/day`;
  const cost = finding.costPerDay === undefined ? `no price for ${context.options.model.id}` : `${formatUsd(finding.costPerDay)}/day ${volume} on ${context.options.model.id}`;
  const guess = volatility.confident ? '' : ' (a guess from the expression)';
  const breakpoint = context.profile.matching === 'breakpoints' ? ', with a cache breakpoint after the static text' : '';
  const together = finding.others.length > 0 ? ` (with ${finding.others.map(shorten).join(', ')})` : '';
  const earlier = finding.earlierDynamic > 0 ? ` Counted as if the ${finding.earlierDynamic === 1 ? 'dynamic part' : `${finding.earlierDynamic} dynamic parts`} before it moved too.` : '';
  const where = finding.where ? ` ${finding.where}` : '';
  const advice = (finding.where && MESSAGE_ADVICE[finding.kind]) ?? ADVICE[finding.kind];
  return `${shorten(finding.source)}${together} is ${volatility.label}${guess}, before ${formatCount(finding.runTokens)} static tokens${where}: ${when} (${cost}${breakpoint}).${earlier} ${advice}`;
}

/** `tools=`, `functions:`, `response_format=`, `json_schema:` and the start of their value. */
const SCHEMA_ARGUMENT = /\b(tools|functions|response_format|json_schema|schema|input_schema|parameters)\s*[=:]\s*/g;
const UNORDERED = VOLATILITY_PATTERNS.filter((pattern) => pattern.kind === 'unordered');

/** Tool lists and schemas built from unordered collections, anywhere in the document: they render before every prompt. */
function collectionWarnings(prompts: readonly Prompt[], layoutOf: (prompt: Prompt) => { totalTokens: number; contentStart: number }, context: Context): CacheWarning[] {
  const { documentText, lines, profile, options } = context;
  const warnings: CacheWarning[] = [];
  if (prompts.length === 0) return warnings;
  for (const match of documentText.matchAll(SCHEMA_ARGUMENT)) {
    const start = (match.index ?? 0) + match[0].length;
    const end = valueEnd(documentText, start);
    const value = documentText.slice(start, end);
    if (/\bsorted\s*\(|\.sort\s*\(/.test(value)) continue;
    if (!UNORDERED.some((pattern) => pattern.test.test(value))) continue;
    const range = lines.rangeOf(start, end);
    const prompt = nearestPrompt(prompts, range);
    const layout = layoutOf(prompt);
    const staticPrefix = prompt.segments.findIndex((segment) => segment.kind === 'dynamic');
    const prefixText = prompt.segments.slice(0, staticPrefix < 0 ? prompt.segments.length : staticPrefix).map((segment) => segment.text).join('');
    const prefixTokens = layout.contentStart + context.encode(prefixText).length;
    const tokensPerCall = cacheableAt(profile, options.model.id, prefixTokens, layout.totalTokens, options.engine).max;
    const costPerDay = context.saving === undefined ? undefined : tokensPerCall * context.callsPerDay * context.saving;
    const cost = costPerDay === undefined ? `no price for ${options.model.id}` : `${formatUsd(costPerDay)}/day at ${formatCount(context.callsPerDay)} calls/day on ${options.model.id}`;
    const strong = /(?<![\w.])(?:frozen)?set\s*\(|\{[^{}:]*\bfor\b/.test(value);
    const warning: CacheWarning = {
      kind: 'unordered-collection',
      severity: strong ? 'warning' : 'info',
      message: `${match[1]} built from ${strong ? 'a set, whose order varies between processes (string hashing is randomised)' : 'a collection in no guaranteed order (a guess from the expression)'}: tools and schemas are rendered before the prompt, so another order moves them${tokensPerCall > 0 ? ` and at least ${formatCount(tokensPerCall)} prompt tokens per call (${cost})` : ' and everything after them'} out of the cache. ${ADVICE['unordered-collection']}`,
      range,
      promptId: prompt.id,
      tokensPerCall,
    };
    if (costPerDay !== undefined) warning.costPerDay = costPerDay;
    warnings.push(warning);
  }
  return warnings;
}

/** End of an argument's value: the first top-level `,` `)` `}` or end of line outside brackets, quotes skipped roughly. */
function valueEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length && i < start + 2000; i++) {
    const char = text[i];
    if (char === '(' || char === '[' || char === '{') depth++;
    else if (char === ')' || char === ']' || char === '}') {
      if (depth === 0) return i;
      depth--;
    } else if (depth === 0 && (char === ',' || char === '\n' || char === ';')) return i;
    else if (char === '"' || char === "'" || char === '`') {
      const close = text.indexOf(char, i + 1);
      if (close < 0) return i;
      i = close;
    }
  }
  return Math.min(text.length, start + 2000);
}

/** The prompt nearest to a range, by lines: the request that the tools go with, as far as the text tells. */
function nearestPrompt(prompts: readonly Prompt[], range: Range): Prompt {
  const distance = (prompt: Prompt) =>
    prompt.range.end.line < range.start.line ? range.start.line - prompt.range.end.line : prompt.range.start.line > range.end.line ? prompt.range.start.line - range.end.line : 0;
  return prompts.reduce((best, prompt) => (distance(prompt) < distance(best) ? prompt : best), prompts[0]);
}

