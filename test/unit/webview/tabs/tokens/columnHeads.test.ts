import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TokenColumn } from '../../../../../common/protocol/index';
import { approximationWarning, columnStats } from '../../../../../webview/src/tabs/tokens/columnHeads';

test('the stats strip shows count, characters, ratio, costs and context share, and explains approximations', () => {
  const column: TokenColumn = {
    modelId: 'claude-sonnet-4.5',
    modelLabel: 'Claude Sonnet 4.5',
    tokenizer: 'hf:claude',
    approximate: true,
    approximation: 'Anthropic does not publish its tokenizer',
    ids: Uint32Array.of(0, 1, 2, 3),
    starts: Uint32Array.of(0, 3, 6, 9),
    ends: Uint32Array.of(3, 6, 9, 12),
    partial: [],
    special: [],
    characters: 12,
    contextWindow: 200_000,
    cost: 0.000012,
  };
  assert.deepEqual(Object.fromEntries(columnStats(column)), {
    tokens: '≈4 tokens',
    characters: '12',
    'chars/token': '3.00',
    'cost per call': '<$0.0001',
    'cached input': 'no cache price',
    'context window': '<0.1% of 200,000',
  });
  assert.equal(approximationWarning(column), '≈ approximate: Anthropic does not publish its tokenizer');
  assert.equal(approximationWarning({ ...column, approximate: false }), undefined);
});
