import type { CauseKind, PromptCacheReport } from '../../core/cache';
import { formatCount, formatRange } from '../../../common/format';
import { oneLine } from '../../../common/text';

/** Words for the editor's cache views (code lens, tooltips); pure, so the titles are unit-tested without VS Code. */

/** Why nothing is cached, in a few words, for the causes a prompt in code typically has. */
const NOTHING_CACHED_BECAUSE: Partial<Record<CauseKind, string>> = {
  'below-minimum': 'below the minimum',
  'no-breakpoint': 'no cache breakpoint',
  'volatile-content': 'volatile content first',
  'prefix-changed': 'prefix changes per call',
  whitespace: 'whitespace changes per call',
};

const CERTAINTY: Record<PromptCacheReport['certainty'], string> = {
  exact: 'the provider’s rule is deterministic',
  eligible: 'eligible for the cache: served from it when the request reaches a server that holds the prefix',
  probabilistic: 'a range: the provider gives no guarantee',
};

/**
 * `cacheable prefix 3,104 tok → 3,072 cached on OpenAI · first dynamic part at token 37: ${user.name}`. Token
 * counts are of the rendered request (role and framing included), as the provider counts them: the prefix every
 * call shares, what the provider serves from cache from the second call on, where the first dynamic part starts.
 */
export function cacheLensTitle(report: PromptCacheReport): string {
  // analyzePromptCache never throws; a request that could not be simulated comes back empty, with a note why.
  if (report.totalTokens === 0) return 'cache prediction unavailable';
  const cached = report.cachedFromSecondCall;
  // The provider's short name; its full label (which regime, which models) goes in the tooltip.
  let title = `cacheable prefix ${formatCount(report.cacheablePrefixTokens)} tok → ${formatRange(cached)} cached on ${report.profile.shortName}`;
  // Breakpoint regimes cache nothing unmarked; the figure is what one breakpoint after the static prefix gets.
  if (report.assumesBreakpoint) title += ' with a breakpoint';
  if (cached.max === 0) {
    const reason = secondCallCauses(report)
      .map((cause) => NOTHING_CACHED_BECAUSE[cause.kind])
      .find((words) => words !== undefined);
    if (reason) title += ` (${reason})`;
  }
  if (report.firstDynamic) {
    title += ` · first dynamic part at token ${formatCount(report.firstDynamic.tokenIndex)}: ${oneLine(report.firstDynamic.source, 40)}`;
  }
  return escapeIcons(title);
}

/** The hover of the cache lens: the full rule set, how sure the prediction is, and what keeps tokens out of cache. */
export function cacheLensTooltip(report: PromptCacheReport): string {
  const lines = [
    `${report.profile.label}: ${CERTAINTY[report.certainty]}.`,
    `One call is ${formatCount(report.totalTokens)} tokens; the prompt’s ${formatCount(report.staticPrefixTokens)} tokens before its first dynamic part are the same on every call.`,
    ...secondCallCauses(report).slice(0, 3).map((cause) => `Second call: ${cause.message}.`),
    ...report.notes.map((note) => `Note: ${note}.`),
    'Click to see the prompt’s tokens.',
  ];
  return lines.join('\n');
}

/** Why the second call cached less than it shares, in the simulation the cached figure comes from. */
function secondCallCauses(report: PromptCacheReport) {
  return (report.breakpointCalls ?? report.calls).turns[1]?.causes ?? [];
}

/** Code lens titles render `$(name)` as an icon; a `$(` in the user's source must stay text. */
function escapeIcons(text: string): string {
  return text.replace(/\$\(/g, '\\$(');
}
