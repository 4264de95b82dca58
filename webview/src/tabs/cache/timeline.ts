/**
 * What the cache view draws, computed from the protocol's cache shapes without the DOM: number strings (the
 * CLI's conventions: `≤1,920` where the provider may still route elsewhere, `0–1,920` where its rule is
 * uncertain, never a single number that the rules do not give), the stacked bar of a turn, the text of its
 * tooltip and of its accessible name, the cost table and the summary.
 */
import { formatCount, formatMoneyRange, formatPercent, formatRange, formatTokenRange, formatUsd } from '../../../../common/format';
import type { CacheProgressView, CacheSummaryView, CacheTurnView, NumberRange } from '../../../../common/protocol/index';

/** `prefix-changed` → `prefix changed`. */
function causeLabel(kind: string): string {
  return kind.replace(/-/g, ' ');
}

export type SegmentKind = 'cached' | 'uncertain' | 'written' | 'uncached';

export interface BarSegment {
  kind: SegmentKind;
  tokens: number;
  /** Share of the bar track, 0..100; the track is the largest turn's input. */
  percent: number;
}

/**
 * The stacked bar of a turn: tokens certainly cached, the span the rules leave open (cached, written or
 * computed depending on routing and minimums), certainly written, certainly uncached. The four add up to the
 * turn's input; widths are relative to `scale` (the largest input of the conversation), so growth shows.
 */
export function barSegments(turn: CacheTurnView, scale: number): BarSegment[] {
  const total = turn.inputTokens;
  const cached = Math.min(turn.cached.min, total);
  const written = Math.min(turn.written.min, total - cached);
  const uncached = Math.min(turn.uncached.min, total - cached - written);
  const uncertain = Math.max(0, total - cached - written - uncached);
  const width = (tokens: number) => (scale > 0 ? (tokens / scale) * 100 : 0);
  const segments: BarSegment[] = [
    { kind: 'cached', tokens: cached, percent: width(cached) },
    { kind: 'uncertain', tokens: uncertain, percent: width(uncertain) },
    { kind: 'written', tokens: written, percent: width(written) },
    { kind: 'uncached', tokens: uncached, percent: width(uncached) },
  ];
  return segments.filter((segment) => segment.tokens > 0);
}

export const SEGMENT_LABELS: Record<SegmentKind, string> = {
  cached: 'cached (read from the cache)',
  uncertain: 'uncertain (cached or not: the rules give a range)',
  written: 'written to the cache',
  uncached: 'uncached (computed, not stored)',
};

/** The causes worth showing: the cold start of the first turn says nothing a user can act on. */
function actionableCauses(turn: CacheTurnView): CacheTurnView['causes'] {
  return turn.causes.filter((cause) => cause.kind !== 'cold-start' || turn.causes.length === 1);
}

/** `1,920 (−86)` next to a prediction; `unknown` when the usage has no cached field. */
export function formatActual(turn: CacheTurnView): string | undefined {
  if (!turn.actual) return undefined;
  if (turn.actual.cachedTokens === undefined) return 'unknown';
  const error = turn.error ? ` (${turn.error > 0 ? '+' : '−'}${formatCount(Math.abs(turn.error))})` : '';
  return `${formatCount(turn.actual.cachedTokens)}${error}`;
}

/** The row's accessible name: everything the bar and its tooltip say, in one sentence. */
export function turnDescription(turn: CacheTurnView): string {
  const parts = [
    `Turn ${turn.turn}`,
    `${formatCount(turn.inputTokens)} input tokens`,
    `${formatTokenRange(turn.cached, turn.certainty)} cached`,
    `${formatTokenRange(turn.written)} written`,
    `${formatTokenRange(turn.uncached)} uncached`,
  ];
  if (turn.reusedFrom !== undefined) parts.push(`reuses ${formatCount(turn.reusedPrefix)} tokens of turn ${turn.reusedFrom}`);
  const actual = formatActual(turn);
  if (actual) parts.push(`actual cached ${actual}`);
  const main = actionableCauses(turn)[0];
  if (main) parts.push(`${causeLabel(main.kind)}: ${main.message}`);
  return parts.join('; ');
}

export interface TooltipContent {
  heading: string;
  /** Label/value pairs. */
  facts: Array<[string, string]>;
  /** The first divergent token: where it is, and the text around it in the reused request and in this one. */
  divergence?: { where: string; before: string; after: string };
  causes: string[];
  notes: string[];
}

export function tooltipContent(turn: CacheTurnView): TooltipContent {
  const facts: Array<[string, string]> = [
    ['model', turn.model],
    ['input', `${formatCount(turn.inputTokens)} tokens`],
    ['prefix reused', turn.reusedFrom !== undefined ? `${formatCount(turn.reusedPrefix)} tokens of turn ${turn.reusedFrom}` : 'none'],
    ['cached', `${formatTokenRange(turn.cached, turn.certainty)}${turn.certainty === 'exact' ? '' : ` (${turn.certainty})`}`],
    ['written', formatTokenRange(turn.written)],
    ['uncached', formatTokenRange(turn.uncached)],
    ['cost', `${formatMoneyRange(turn.cost.withCache)} with cache, ${formatUsd(turn.cost.withoutCache)} without`],
  ];
  const actual = formatActual(turn);
  if (actual && turn.actual) facts.push(['actual cached', `${actual} · ${turn.actual.source}`]);
  const content: TooltipContent = {
    heading: `Turn ${turn.turn}${turn.line !== undefined ? ` · line ${turn.line}` : ''}`,
    facts,
    causes: actionableCauses(turn).map((cause) => `${causeLabel(cause.kind)}: ${cause.message}`),
    notes: turn.notes,
  };
  if (turn.divergence) {
    const { tokenIndex, where, previousWhere, before, after } = turn.divergence;
    const place = where ?? 'the request';
    const was = previousWhere && previousWhere !== where ? `; turn ${turn.reusedFrom ?? 'before'} had ${previousWhere} there` : '';
    content.divergence = { where: `First divergent token: ${formatCount(tokenIndex)}, in ${place}${was}`, before, after };
  }
  return content;
}

/** Money first: the token columns repeat the timeline, so in a narrow panel they are the ones scrolled off. */
export const COST_COLUMNS = ['Turn', 'With cache', 'Without', 'Saved', 'Input', 'Cached', 'Written', 'Uncached'] as const;
export const ACTUAL_COLUMN = 'Actual cached';

/** Money a turn saves by caching: without minus with, from the least to the most cached outcome. */
function savedOf(cost: CacheTurnView['cost']): NumberRange | undefined {
  if (!cost.withCache || cost.withoutCache === undefined) return undefined;
  return { min: cost.withoutCache - cost.withCache.max, max: cost.withoutCache - cost.withCache.min };
}

/** One row of the cost table; the actual column only when some turn of the log has usage. */
export function costRow(turn: CacheTurnView, withActual: boolean): string[] {
  const cells = [
    String(turn.turn),
    formatMoneyRange(turn.cost.withCache),
    formatUsd(turn.cost.withoutCache),
    formatMoneyRange(savedOf(turn.cost)),
    formatCount(turn.inputTokens),
    formatTokenRange(turn.cached, turn.certainty),
    formatTokenRange(turn.written),
    formatTokenRange(turn.uncached),
  ];
  if (withActual) cells.push(formatActual(turn) ?? '–');
  return cells;
}

export function costTotalRow(summary: CacheSummaryView, withActual: boolean): string[] {
  const cells = [
    'Total',
    formatMoneyRange(summary.cost.withCache),
    formatUsd(summary.cost.withoutCache),
    formatMoneyRange(summary.saved),
    formatCount(summary.inputTokens),
    formatTokenRange(summary.cached),
    '',
    '',
  ];
  if (withActual) cells.push(summary.actual ? formatCount(summary.actual.cachedTokens) : '–');
  return cells;
}

/** The summary strip: share cached, money saved, top causes, and how far the prediction is from the log's usage. */
export function summaryItems(summary: CacheSummaryView): Array<[string, string]> {
  const items: Array<[string, string]> = [
    ['turns', formatCount(summary.turns)],
    ['input', `${formatCount(summary.inputTokens)} tokens`],
    ['cached', `${formatTokenRange(summary.cached)} (${formatRange(summary.cachedShare, formatPercent)})`],
    ['cost', `${formatMoneyRange(summary.cost.withCache)} with cache, ${formatUsd(summary.cost.withoutCache)} without`],
    ['saved', formatMoneyRange(summary.saved)],
  ];
  const causes = summary.topCauses.filter((cause) => cause.kind !== 'cold-start').slice(0, 3);
  if (causes.length > 0) {
    items.push(['top causes', causes.map((cause) => `${causeLabel(cause.kind)} (${cause.turns} turn${cause.turns === 1 ? '' : 's'}, ${formatCount(cause.tokensLost)} tokens)`).join(', ')]);
  }
  if (summary.actual) {
    items.push(['actual', `${formatCount(summary.actual.cachedTokens)} cached on ${summary.actual.turns} turn${summary.actual.turns === 1 ? '' : 's'}; mean error ${formatCount(Math.round(summary.actual.meanAbsoluteError))} tokens`]);
  }
  return items;
}

/**
 * The line shown while a log is predicted: `Predicting… turn 251 of 1,001` while its requests render (the
 * turn being rendered), then the last step, matching every turn's prefix against the earlier ones.
 */
export function progressText(progress: CacheProgressView): string {
  if (progress.total === 0) return 'Predicting…';
  if (progress.done < progress.total) return `Predicting… turn ${formatCount(progress.done + 1)} of ${formatCount(progress.total)}`;
  return `Predicting… matching the prefixes of ${formatCount(progress.total)} turns`;
}
