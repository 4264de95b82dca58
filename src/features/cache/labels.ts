import { profileForModel, profileForProvider, type CacheProfile, type CauseKind, type PromptCacheReport, type TokenRange } from '../../core/cache';
import type { ModelInfo } from '../../core/catalog';
import { formatCount, formatRange } from '../../../common/format';
import type { Prompt } from '../../core/prompt/types';
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
 * The rules predictions follow. `auto` takes the core's choice for the active model (its catalogue entry's rules,
 * e.g. vLLM for open models, else its provider's, else OpenAI's with a note); a provider name or profile id in the
 * setting overrides it (`fromSetting`). An unknown name falls back to `auto`, with a problem to show once.
 */
export function resolveCacheProfile(setting: string, model: ModelInfo): { profile: CacheProfile; fromSetting: boolean; problem?: string } {
  const chosen = setting.trim() === '' || setting === 'auto' ? undefined : profileForProvider(setting, model.id);
  if (chosen) return { profile: chosen, fromSetting: true };
  const problem = setting.trim() === '' || setting === 'auto' ? undefined : `Prompt Lens: unknown provider "${setting}" in promptLens.cache.provider; using the rules of ${model.id}.`;
  return { profile: profileForModel(model).profile, fromSetting: false, problem };
}

/**
 * Role and message framing around one prompt in a rendered request: 3 tokens per message, the role, 3 for reply
 * priming on OpenAI (OPENAI_OVERHEAD, src/core/cache/render/requestBody.ts), less on Anthropic; rounded up generously.
 */
const FRAMING_TOKENS = 16;

/**
 * Whether any call of this prompt could be served from cache: its static text plus the request's framing must
 * reach the provider's smallest possible minimum. UTF-8 bytes bound the token count from above (every token of a
 * byte-level tokenizer covers at least one byte), so a prompt this test rejects never caches, and no tokenizer is
 * needed to say so.
 */
export function mayCache(prompt: Prompt, minimum: TokenRange): boolean {
  let bytes = 0;
  for (const segment of prompt.segments) if (segment.kind === 'static') bytes += Buffer.byteLength(segment.text, 'utf8');
  return bytes > 0 && bytes + FRAMING_TOKENS >= minimum.min;
}

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
