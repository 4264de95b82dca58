// The words of the editor's cache views: the code lens title and its tooltip.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cacheProfile, type Cause, type PromptCacheReport, type TurnPrediction } from '../../../../src/core/cache';
import type { Range } from '../../../../src/core/prompt/types';
import { cacheLensTitle, cacheLensTooltip } from '../../../../src/features/cache/labels';
import { oneLine } from '../../../../common/text';

const at = (line: number, character: number) => ({ line, character });
const range = (startLine: number, startCharacter: number, endLine: number, endCharacter: number): Range => ({
  start: at(startLine, startCharacter),
  end: at(endLine, endCharacter),
});
const RANGE = range(0, 0, 0, 0);

/** A report as analyzePromptCache shapes it, with only what the editor's words read filled in. */
function report(overrides: Partial<PromptCacheReport> & { secondCallCauses?: Cause[] } = {}): PromptCacheReport {
  const { secondCallCauses = [], ...fields } = overrides;
  const turn = (causes: Cause[]) => ({ causes }) as unknown as TurnPrediction;
  return {
    profile: cacheProfile('openai-automatic'),
    totalTokens: 3120,
    staticPrefixTokens: 3097,
    cacheablePrefixTokens: 3104,
    contentStart: 7,
    assumesBreakpoint: false,
    notes: [],
    cachedFromSecondCall: { min: 3072, max: 3072 },
    certainty: 'eligible',
    firstDynamic: { tokenIndex: 37, segmentIndex: 1, source: '${user.name}', range: RANGE },
    calls: { profile: 'openai-automatic', turns: [turn([]), turn(secondCallCauses)], summary: {} as PromptCacheReport['calls']['summary'] },
    ...fields,
  };
}

test('the cache lens reads like the issue’s example', () => {
  assert.equal(
    cacheLensTitle(report()),
    'cacheable prefix 3,104 tok → 3,072 cached on OpenAI · first dynamic part at token 37: ${user.name}',
  );
});

test('a breakpoint regime says the cached figure needs a breakpoint; a failed simulation says so instead of zeros', () => {
  const anthropic = report({ profile: cacheProfile('anthropic-breakpoints'), assumesBreakpoint: true, certainty: 'exact' });
  assert.match(cacheLensTitle(anthropic), /^cacheable prefix 3,104 tok → 3,072 cached on Anthropic with a breakpoint · first dynamic/);
  const failed = report({ totalTokens: 0, notes: ['the prompt could not be simulated: boom'] });
  assert.equal(cacheLensTitle(failed), 'cache prediction unavailable');
  assert.match(cacheLensTooltip(failed), /Note: the prompt could not be simulated: boom\./);
});

test('an uncertain rule shows a range, and a prompt without dynamic parts names none', () => {
  const gemini = report({ profile: cacheProfile('gemini-implicit'), cachedFromSecondCall: { min: 0, max: 3104 }, firstDynamic: undefined });
  assert.equal(cacheLensTitle(gemini), 'cacheable prefix 3,104 tok → 0–3,104 cached on Gemini');
});

test('when nothing is cached, the lens says why in a few words; the tooltip has the whole sentence', () => {
  const below = report({
    cacheablePrefixTokens: 400,
    cachedFromSecondCall: { min: 0, max: 0 },
    secondCallCauses: [{ kind: 'below-minimum', message: 'shared prefix of 400 tokens is below the 1,024-token minimum for gpt-4o', tokensLost: 400 }],
  });
  assert.match(cacheLensTitle(below), /^cacheable prefix 400 tok → 0 cached on OpenAI \(below the minimum\) · first dynamic part at token 37/);
  assert.match(cacheLensTooltip(below), /Second call: shared prefix of 400 tokens is below the 1,024-token minimum for gpt-4o\./);
  assert.match(cacheLensTooltip(below), /^OpenAI automatic caching \(≤ gpt-5\.5\): eligible/);
});

test('a long or multi-line dynamic part is shortened to one line, and "$(" stays text instead of becoming an icon', () => {
  const long = report({ firstDynamic: { tokenIndex: 0, segmentIndex: 0, source: '{json.dumps(\n    tools,\n    indent=2,\n    sort_keys=False,\n)}', range: RANGE } });
  assert.match(cacheLensTitle(long), /first dynamic part at token 0: \{json\.dumps\( tools, indent=2, sort_keys…$/);
  const shell = report({ firstDynamic: { tokenIndex: 5, segmentIndex: 1, source: '$(date)', range: RANGE } });
  assert.match(cacheLensTitle(shell), /token 5: \\\$\(date\)$/);
  assert.equal(oneLine('x'.repeat(50), 40), `${'x'.repeat(39)}…`);
  // Never half a surrogate pair: the emoji straddling the cut goes whole.
  assert.equal(oneLine(`${'x'.repeat(38)}😀tail`, 40), `${'x'.repeat(38)}…`);
});
