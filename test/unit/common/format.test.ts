import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatPercent, formatTokens, formatUsd } from '../../../common/format';

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
