import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pickModel, restoreState, INITIAL_STATE } from '../../../../../webview/src/tabs/tokens/state';

test('stored view state survives a round trip and malformed state falls back field by field', () => {
  const stored = { showWhitespace: true, idsInline: false, selectedModels: ['gpt-4o'], pinned: true, promptId: 'p', scrollTop: 420 };
  assert.deepEqual(restoreState(JSON.parse(JSON.stringify(stored))), stored);
  assert.deepEqual(restoreState(undefined), INITIAL_STATE);
  assert.deepEqual(restoreState({ showWhitespace: 'yes', selectedModels: [1, 'a'], scrollTop: -5 }), { ...INITIAL_STATE, selectedModels: ['a'] });
});

test('picking models keeps 1 to 4 distinct columns', () => {
  assert.deepEqual(pickModel(['a'], 1, 'b'), ['a', 'b']);
  assert.deepEqual(pickModel(['a', 'b'], 0, 'c'), ['c', 'b']);
  assert.deepEqual(pickModel(['a', 'b'], 1, undefined), ['a']);
  assert.deepEqual(pickModel(['a', 'b'], 1, 'a'), ['a']);
  assert.deepEqual(pickModel(['a'], 0, undefined), ['a'], 'the last column cannot be removed');
  assert.deepEqual(pickModel(['a', 'b', 'c', 'd'], 4, 'e'), ['a', 'b', 'c', 'd']);
});
