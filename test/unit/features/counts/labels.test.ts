import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countPrompt, type PromptCount } from '../../../../src/core/prompt/count';
import { loadTokenizer } from '../../../../src/core/tokenize';
import type { Prompt, Range, Segment } from '../../../../src/core/prompt/types';
import { approximationNotes, countSummary, countTable, describePrompt, inlineCode } from '../../../../src/features/counts/labels';
import { catalogModel as model } from '../../../support/catalog';
import type { ModelInfo } from '../../../../src/core/catalog';


const RANGE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const staticText = (text: string): Segment => ({ kind: 'static', text, range: RANGE });
const dynamic = (text: string, expression: string): Segment => ({ kind: 'dynamic', text, expression, range: RANGE });
const prompt = (segments: Segment[], extra: Partial<Prompt> = {}): Prompt => ({ id: 'string@0:0', kind: 'string', range: RANGE, reason: 'name:SYSTEM_PROMPT', segments, ...extra });

const templated = prompt([staticText('Today is '), dynamic('{day}', 'day')], { kind: 'template' });
const fixed = prompt([staticText('You are Ada.')]);

function counted(overrides: Partial<PromptCount> & { model: ModelInfo }): PromptCount {
  return { tokens: 1284, characters: 5000, staticPrefixTokens: 1030, approximate: false, cost: 0.0032, contextShare: 0.01, ...overrides };
}

test('the code lens summary reads "1,284 tokens · gpt-4o · $0.0032 · static prefix 1,030"', () => {
  assert.equal(countSummary(counted({ model: model('gpt-4o') }), templated), '1,284 tokens · gpt-4o · $0.0032 · static prefix 1,030');
});

test('the static prefix is shown only for a prompt with a dynamic part', () => {
  const count = counted({ model: model('gpt-4o'), staticPrefixTokens: 1284 });
  assert.equal(countSummary(count, fixed), '1,284 tokens · gpt-4o · $0.0032');
  assert.equal(countSummary(count), '1,284 tokens · gpt-4o · $0.0032');
});

test('approximate counts carry ≈, a model without a price shows no cost, one token is singular', () => {
  const claude = counted({ model: model('claude-sonnet-4-5'), tokens: 1301, approximate: true, cost: 0.003903 });
  assert.equal(countSummary(claude, templated), '≈1,301 tokens · claude-sonnet-4-5 · $0.0039 · static prefix 1,030');
  const unpriced = counted({ model: model('gpt-oss-120b'), tokens: 1, staticPrefixTokens: 0, cost: undefined });
  assert.equal(countSummary(unpriced, templated), '1 token · gpt-oss-120b · static prefix 0');
});

test('the summary of a real count uses the tokenizer numbers', async () => {
  const gpt4o = model('gpt-4o');
  const count = countPrompt(templated, gpt4o, await loadTokenizer(gpt4o.tokenizer));
  // "Today is {day}" → Today · is · { · day · } in o200k_base; "Today is " alone → Today · is · space.
  assert.equal(countSummary(count, templated), `${count.tokens} tokens · gpt-4o · <$0.0001 · static prefix ${count.staticPrefixTokens}`);
  assert.ok(count.tokens >= 4 && count.staticPrefixTokens >= 2 && count.staticPrefixTokens < count.tokens);
});

test('prompts are described by role and kind', () => {
  assert.equal(describePrompt(prompt([staticText('x')], { role: 'system' })), 'system prompt');
  assert.equal(describePrompt(prompt([staticText('x')], { kind: 'message', role: 'user' })), 'user message');
  assert.equal(describePrompt(prompt([staticText('x')], { kind: 'file' })), 'prompt file');
});

test('the comparison table escapes pipes in labels and marks approximate rows', () => {
  const table = countTable([
    counted({ model: { ...model('gpt-4o'), label: 'GPT|4o' }, contextShare: 0.0001 }),
    counted({ model: model('claude-sonnet-4-5'), approximate: true, cost: undefined, contextShare: 0.5 }),
  ]);
  assert.deepEqual(table.split('\n'), [
    '| Model | Tokens | One call | Context |',
    '|:--|--:|--:|--:|',
    '| GPT\\|4o | 1,284 | $0.0032 | <0.1% |',
    '| Claude Sonnet 4.5 | ≈1,284 | no price | 50% |',
  ]);
  const notes = approximationNotes([counted({ model: model('gpt-4o') }), counted({ model: model('claude-sonnet-4-5'), approximate: true })]);
  assert.equal(notes.length, 1);
  assert.match(notes[0], /^≈ Claude Sonnet 4\.5: \S/);
});

test('inline code keeps plain expressions as they are and puts everything on one line', () => {
  assert.equal(inlineCode('user.name'), '`user.name`');
  assert.equal(inlineCode('{\n  question\n}'), '`{ question }`');
});

test('inline code survives backticks, also runs of them and ones at the edges', () => {
  assert.equal(inlineCode('`${a}`'), '`` `${a}` ``');
  assert.equal(inlineCode('a ``b`` c'), '``` a ``b`` c ```');
  assert.equal(inlineCode('x`'), '`` x` ``');
});

test('long inline code is shortened to 57 characters and an ellipsis, without splitting a character', () => {
  const long = 'conversation_history_for_the_current_support_ticket_and_the_user_profile';
  assert.equal(inlineCode(long), `\`${long.slice(0, 57)}…\``);
  assert.equal(inlineCode('x'.repeat(60)), `\`${'x'.repeat(60)}\``);
  // An emoji whose surrogate pair straddles the cut is dropped whole rather than left as a lone surrogate.
  const shown = inlineCode(`${'x'.repeat(56)}🙂🙂🙂🙂🙂`);
  assert.equal(shown, `\`${'x'.repeat(56)}…\``);
  assert.doesNotMatch(shown, /[\ud800-\udfff]/u, 'no lone surrogate');
});
