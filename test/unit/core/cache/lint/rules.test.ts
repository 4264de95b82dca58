import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LINT_RULES, RULE_OF_VOLATILITY } from '../../../../../src/core/cache/lint/rules';

test('every lint rule is registered under its own warning code', () => {
  for (const [code, rule] of Object.entries(LINT_RULES)) assert.equal(rule.kind, code);
});

test('a move fixes the placement rules only; the others are fixed where the value is made', () => {
  const movable = Object.values(LINT_RULES).filter((rule) => rule.movable).map((rule) => rule.kind);
  assert.deepEqual(movable, ['volatile-before-static', 'dynamic-before-static']);
  assert.equal(RULE_OF_VOLATILITY.time, 'volatile-before-static');
  assert.equal(RULE_OF_VOLATILITY.dynamic, 'dynamic-before-static');
});
