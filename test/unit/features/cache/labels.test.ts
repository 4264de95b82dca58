// The words of the editor's cache views (code lens title and tooltip), the profile the settings pick, and which
// prompts get a cache lens at all.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { cacheProfile, PROVIDER_NAMES, type Cause, type PromptCacheReport, type TurnPrediction } from '../../../../src/core/cache';
import type { Prompt, Range, Segment } from '../../../../src/core/prompt/types';
import { cacheLensTitle, cacheLensTooltip, mayCache, resolveCacheProfile } from '../../../../src/features/cache/labels';
import { REPO_ROOT } from '../../../support/paths';
import { oneLine } from '../../../../common/text';
import { catalogModel as model } from '../../../support/catalog';


const at = (line: number, character: number) => ({ line, character });
const range = (startLine: number, startCharacter: number, endLine: number, endCharacter: number): Range => ({
  start: at(startLine, startCharacter),
  end: at(endLine, endCharacter),
});
const RANGE = range(0, 0, 0, 0);
const staticText = (text: string): Segment => ({ kind: 'static', text, range: RANGE });
const dynamic = (text: string): Segment => ({ kind: 'dynamic', text, expression: text, range: RANGE });
const prompt = (segments: Segment[]): Prompt => ({ id: 'template@0:0', kind: 'template', range: RANGE, reason: 'name:prompt', segments });

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

test('auto follows the active model’s catalogue rules; the setting overrides them; a bad value falls back with a message', () => {
  assert.equal(resolveCacheProfile('auto', model('gpt-4o')).profile?.id, 'openai-automatic');
  assert.equal(resolveCacheProfile('auto', model('claude-sonnet-4-5')).profile?.id, 'anthropic-breakpoints');
  assert.equal(resolveCacheProfile('auto', model('llama-3.3-70b')).profile?.id, 'vllm');
  assert.equal(resolveCacheProfile('sglang', model('llama-3.3-70b')).profile?.id, 'sglang');
  assert.equal(resolveCacheProfile('anthropic', model('gpt-4o')).profile?.id, 'anthropic-breakpoints');
  const bad = resolveCacheProfile('openia', model('gpt-4o'));
  assert.equal(bad.profile?.id, 'openai-automatic');
  assert.match(bad.problem ?? '', /unknown provider "openia" in promptLens\.cache\.provider/);
  assert.equal(resolveCacheProfile('auto', model('gpt-4o')).fromSetting, false);
  assert.equal(resolveCacheProfile('vllm', model('gpt-4o')).fromSetting, true);
  // A model added in settings with unknown rules: the core's fallback (OpenAI's rules, with a note in its report).
  const unknown = { ...model('gpt-4o'), id: 'in-house', provider: 'other' as const, cacheProfile: 'none' };
  assert.equal(resolveCacheProfile('auto', unknown).profile.id, 'openai-automatic');
});

test('the provider setting offers exactly "auto" and the names the core accepts', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  const setting = manifest.contributes.configuration.properties['promptLens.cache.provider'];
  assert.deepEqual(setting.enum, ['auto', ...PROVIDER_NAMES]);
  for (const name of PROVIDER_NAMES) assert.ok(resolveCacheProfile(name, model('gpt-4o')).fromSetting, name);
});

test('only prompts whose static text could reach the provider’s minimum get a cache lens', () => {
  const openAiMinimum = cacheProfile('openai-automatic').minimum('gpt-4o');
  assert.equal(mayCache(prompt([staticText('You are Ada.'), dynamic('{question}')]), openAiMinimum), false);
  assert.equal(mayCache(prompt([dynamic('{user}'), staticText('a'.repeat(1024))]), openAiMinimum), true);
  // 1,000 bytes are at most 1,000 tokens, plus the message framing: still under 1,024.
  assert.equal(mayCache(prompt([staticText('a'.repeat(1000))]), openAiMinimum), false);
  assert.equal(mayCache(prompt([staticText('a'.repeat(1010))]), openAiMinimum), true);
  // Bytes, not characters: 340 three-byte characters can hold 1,020 tokens.
  assert.equal(mayCache(prompt([staticText('語'.repeat(340))]), openAiMinimum), true);
  assert.equal(mayCache(prompt([dynamic('{everything}')]), cacheProfile('xai').minimum('grok-4')), false);
});
