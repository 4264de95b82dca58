/**
 * The placement checks: a dynamic part before a long static part of the same prompt, and a message with
 * dynamic parts right before a message whose static text is long. Either keeps that static text out of
 * the cached prefix whenever the value changes; the warning is the rule's that RULE_OF_VOLATILITY names for
 * the kind of value, with its advice, and with a move as the fix where the rule says moving fixes it.
 */
import { formatCount, formatUsd } from '../../../../common/format';
import type { Prompt } from '../../prompt/types';
import { cacheableAt, conversationLayout } from '../predict/promptCache';
import { classifyExpression, type Volatility } from '../volatility';
import { moveAfterStaticFix, type CacheFix } from './fix';
import { mayReorder, messageArrays, swapMessagesFix } from './messageOrder';
import { DEFAULT_MIN_STATIC_TOKENS, type CacheWarning, type LintContext } from './rule';
import { LINT_RULES, RULE_OF_VOLATILITY, type CacheWarningKind } from './rules';
import { shorten } from '../../../../common/text';

/** The warnings of one prompt's own dynamic parts, each before a static run of at least minStaticTokens. */
export function promptWarnings(prompt: Prompt, layout: { totalTokens: number; contentStart: number }, context: LintContext): CacheWarning[] {
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
function warningFor(prompt: Prompt, cluster: number[], before: number, runTokens: number, totalTokens: number, earlierDynamic: number, context: LintContext, message?: MessageMove): CacheWarning | undefined {
  const { profile, options } = context;
  const model = options.model.id;
  const now = cacheableAt(profile, model, before, totalTokens, options.engine);
  const moved = cacheableAt(profile, model, message ? message.movedTo : before + runTokens, totalTokens, options.engine);
  const tokensPerCall = Math.max(0, moved.max - now.max);
  if (tokensPerCall === 0) return undefined;
  const classified = cluster.map((index) => ({ index, volatility: classifyExpression(prompt.segments[index].expression, prompt.segments[index].text) }));
  const { index, volatility } = classified.reduce((best, member) => (rank(member.volatility) < rank(best.volatility) ? member : best));
  const segment = prompt.segments[index];
  const kind = RULE_OF_VOLATILITY[volatility.kind];
  const missesPerDay = volatility.rate === 'daily' ? 1 : context.callsPerDay;
  const costPerDay = context.saving === undefined ? undefined : tokensPerCall * missesPerDay * context.saving;
  const strong = volatility.confident && volatility.rate !== 'daily' && volatility.rate !== 'unknown';
  const canMove = LINT_RULES[kind].movable;
  const fix = !canMove ? undefined : message ? message.fix() : moveAfterStaticFix(context.documentText, prompt, index, context.lines);
  const others = classified.filter((member) => member.index !== index).map((member) => prompt.segments[member.index].text);
  const upTo = moved.min < moved.max || profile.certainty === 'probabilistic';
  const text = warningMessage({ source: segment.text, others, volatility, kind, runTokens, tokensPerCall, upTo, costPerDay, earlierDynamic, where: message?.where }, context);
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

export /**
 * Messages of one array in code: a message with dynamic parts right before a message whose static text is
 * long, where the two may trade places [reference §15 A]. The tokens per call are those the swap brings
 * into the shared prefix, with the known static messages before them rendered too. A message that already
 * has a warning of its own (a dynamic part before its own static text) gets none here.
 */
function messageOrderWarnings(prompts: readonly Prompt[], warned: ReadonlySet<string>, context: LintContext): CacheWarning[] {
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


function warningMessage(finding: Finding, context: LintContext): string {
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
  const together = finding.others.length > 0 ? ` (with ${finding.others.map((other) => shorten(other, 48, 45)).join(', ')})` : '';
  const earlier = finding.earlierDynamic > 0 ? ` Counted as if the ${finding.earlierDynamic === 1 ? 'dynamic part' : `${finding.earlierDynamic} dynamic parts`} before it moved too.` : '';
  const where = finding.where ? ` ${finding.where}` : '';
  const rule = LINT_RULES[finding.kind];
  const advice = (finding.where && rule.messageAdvice) ?? rule.advice;
  return `${shorten(finding.source, 48, 45)}${together} is ${volatility.label}${guess}, before ${formatCount(finding.runTokens)} static tokens${where}: ${when} (${cost}${breakpoint}).${earlier} ${advice}`;
}
