import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base';
import { countPrompt, countText, firstDynamicSegment, staticPrefixText } from '../../../../src/core/prompt/count';
import { loadTokenizer } from '../../../../src/core/tokenize';
import type { Prompt, Range, Segment } from '../../../../src/core/prompt/types';
import { catalogModel as model } from '../../../support/catalog';


const RANGE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const text = (value: string): Segment => ({ kind: 'static', text: value, range: RANGE });
const placeholder = (value: string, expression: string): Segment => ({ kind: 'dynamic', text: value, expression, range: RANGE, syntax: 'f-string' });
const prompt = (...segments: Segment[]): Prompt => ({ id: 'template@0:0', kind: 'template', range: RANGE, reason: 'name:system_prompt', segments });

const GREETING = 'You are Ada, the support assistant for Northwind Cloud. Today is ';
const templated = prompt(text(GREETING), placeholder('{today}', 'today'), text('. The user is '), placeholder('{user_name}', 'user_name'), text('.'));

test('the static prefix is the static text before the first dynamic part, counted on its own', async () => {
  const o200k = await loadTokenizer('o200k_base');
  const count = countPrompt(templated, model('gpt-4o'), o200k);
  const whole = `${GREETING}{today}. The user is {user_name}.`;
  // gpt-tokenizer is an independent o200k_base implementation: both must agree on what the user sees.
  assert.equal(count.tokens, countO200k(whole));
  assert.equal(count.staticPrefixTokens, countO200k(GREETING));
  assert.ok(count.staticPrefixTokens > 10 && count.staticPrefixTokens < count.tokens);
  assert.equal(count.characters, whole.length);
  assert.equal(staticPrefixText(templated), GREETING);
  assert.equal(firstDynamicSegment(templated)?.expression, 'today');
});

test('several static segments before the first placeholder all belong to the prefix', async () => {
  const o200k = await loadTokenizer('o200k_base');
  const split = prompt(text('Line one.\n'), text('Line two about '), placeholder('${topic}', 'topic'), text(' and more.'));
  assert.equal(staticPrefixText(split), 'Line one.\nLine two about ');
  assert.equal(countPrompt(split, model('gpt-4o'), o200k).staticPrefixTokens, countO200k('Line one.\nLine two about '));
});

test('a prompt without a dynamic part is all prefix; one that starts with a placeholder has none', async () => {
  const o200k = await loadTokenizer('o200k_base');
  const fixed = countPrompt(prompt(text('You are a helpful assistant.'), text(' Answer briefly.')), model('gpt-4o'), o200k);
  assert.equal(fixed.tokens, countO200k('You are a helpful assistant. Answer briefly.'));
  assert.equal(fixed.staticPrefixTokens, fixed.tokens);
  const leading = countPrompt(prompt(placeholder('{{ticket}}', 'ticket'), text('\nClassify it.')), model('gpt-4o'), o200k);
  assert.equal(leading.staticPrefixTokens, 0);
  assert.ok(leading.tokens > 0);
});

test('cost is the input tokens at the model input price, and contextShare the share of its window', async () => {
  const o200k = await loadTokenizer('o200k_base');
  const gpt4o = model('gpt-4o');
  const count = countPrompt(templated, gpt4o, o200k);
  assert.equal(gpt4o.price?.input, 2.5);
  assert.ok(count.cost !== undefined);
  assert.ok(Math.abs(count.cost - (count.tokens * 2.5) / 1_000_000) < 1e-15);
  assert.equal(count.contextShare, count.tokens / 128_000);
  assert.equal(count.approximate, false);
  assert.equal(count.model, gpt4o);
});

test('a model without a price has no cost; a stand-in tokenizer marks the count approximate', async () => {
  const harmony = await loadTokenizer('o200k_harmony');
  const unpriced = model('gpt-oss-120b');
  assert.equal(unpriced.price, undefined);
  assert.equal(countText('Hello there', unpriced, harmony).cost, undefined);

  const claude = model('claude-sonnet-4-5');
  const count = countText('Summarise the ticket for the on-call engineer.', claude, await loadTokenizer(claude.tokenizer));
  assert.equal(count.approximate, true);
  assert.ok(count.tokens > 5);
  assert.ok(Math.abs((count.cost ?? Number.NaN) - (count.tokens * 3) / 1_000_000) < 1e-15);
});

test('countText counts characters in UTF-16 code units and an empty text as nothing', async () => {
  const o200k = await loadTokenizer('o200k_base');
  const emoji = countText('🙂 ok', model('gpt-4o'), o200k);
  assert.equal(emoji.characters, 5);
  assert.equal(emoji.tokens, countO200k('🙂 ok'));
  const empty = countText('', model('gpt-4o'), o200k);
  assert.deepEqual([empty.tokens, empty.staticPrefixTokens, empty.cost, empty.contextShare], [0, 0, 0, 0]);
});
