import type { PromptCount } from '../../core/prompt/count';
import { formatCount, formatPercent, formatTokens, formatUsd } from '../../../common/format';
import type { Prompt, Segment } from '../../core/prompt/types';
import { shorten } from '../../../common/text';

/** Human words for a prompt, shared by hover, code lens, quick picks and the status bar tooltip. */
export function describePrompt(prompt: Prompt): string {
  const role = prompt.role ? `${prompt.role} ` : '';
  const what = prompt.kind === 'file' ? 'prompt file' : prompt.kind === 'message' ? 'message' : 'prompt';
  return `${role}${what}`;
}

export function dynamicSegments(prompt: Prompt): Segment[] {
  return prompt.segments.filter((segment) => segment.kind === 'dynamic');
}

/** One-line summary, also the code lens: `1,284 tokens · gpt-4o · $0.0032 · static prefix 1,030`. */
export function countSummary(count: PromptCount, prompt?: Prompt): string {
  const parts = [formatTokens(count.tokens, count.approximate), count.model.id];
  if (count.cost !== undefined) parts.push(formatUsd(count.cost));
  if (prompt && dynamicSegments(prompt).length > 0) parts.push(`static prefix ${formatCount(count.staticPrefixTokens)}`);
  return parts.join(' · ');
}

/** A Markdown table row per model: tokens, cost of one call, share of the context window. */
export function countTable(counts: PromptCount[]): string {
  const rows = counts.map(
    (count) =>
      `| ${escapeTable(count.model.label)} | ${count.approximate ? '≈' : ''}${formatCount(count.tokens)} | ${formatUsd(count.cost)} | ${formatPercent(count.contextShare)} |`,
  );
  return ['| Model | Tokens | One call | Context |', '|:--|--:|--:|--:|', ...rows].join('\n');
}

export function approximationNotes(counts: PromptCount[]): string[] {
  return counts
    .filter((count) => count.approximate)
    .map((count) => `≈ ${count.model.label}: ${count.model.approximation ?? 'counted with the closest public tokenizer'}`);
}

export function escapeTable(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** Inline code on one line, shortened, that survives backticks in the expression. */
export function inlineCode(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  const shown = shorten(oneLine, 60, 57);
  // CommonMark closes a code span at the first backtick run as long as its opener, so the fence is one
  // backtick longer than the longest run inside; the spaces keep a leading or trailing backtick apart from it.
  const longestRun = Math.max(0, ...(shown.match(/`+/g) ?? []).map((run) => run.length));
  if (longestRun === 0) return `\`${shown}\``;
  const fence = '`'.repeat(longestRun + 1);
  return `${fence} ${shown} ${fence}`;
}
