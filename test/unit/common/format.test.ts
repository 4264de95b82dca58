import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatMoneyRange, formatPercent, formatTokenRange, formatTokens, formatUsd } from '../../../common/format';

test('costs keep enough digits to compare small prompts and never use scientific notation', () => {
  assert.equal(formatUsd(0.0032), '$0.0032');
  assert.equal(formatUsd(0.00004), '<$0.0001');
  assert.equal(formatUsd(12.5), '$12.50');
  assert.equal(formatUsd(0), '$0');
  assert.equal(formatUsd(undefined), 'no price');
});

test('token counts use thousands separators, and approximate counts are marked', () => {
  assert.equal(formatTokens(1284, false), '1,284 tokens');
  assert.equal(formatTokens(1, false), '1 token');
  assert.equal(formatTokens(1301, true), '≈1,301 tokens');
});

test('context shares show tiny shares as <0.1% rather than 0.0%', () => {
  assert.equal(formatPercent(0.0001), '<0.1%');
  assert.equal(formatPercent(0.01), '1.0%');
  assert.equal(formatPercent(0.5), '50%');
});

test('token ranges follow the CLI: ≤ where routing may still miss, a dash where the rules give a range, never one false number', () => {
  assert.equal(formatTokenRange({ min: 1920, max: 1920 }, 'eligible'), '≤1,920');
  assert.equal(formatTokenRange({ min: 1920, max: 1920 }, 'exact'), '1,920');
  assert.equal(formatTokenRange({ min: 0, max: 0 }, 'eligible'), '0');
  assert.equal(formatTokenRange({ min: 0, max: 4096 }, 'probabilistic'), '0–4,096');
  assert.equal(formatMoneyRange({ min: 0.001, max: 0.002 }), '$0.0010–$0.0020');
  assert.equal(formatMoneyRange({ min: -0.001, max: 0.002 }), '$0–$0.0020', 'a write premium never shows as negative savings');
  assert.equal(formatMoneyRange(undefined), 'no price');
});
