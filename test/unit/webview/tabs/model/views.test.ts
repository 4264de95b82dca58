import assert from 'node:assert/strict';
import { test } from 'node:test';
import { headLabel, layerName, panelState, prefillSummary, statusText, tokenLabel, windowNote } from '../../../../../webview/src/tabs/model/modelFormat';

const ready = { state: 'ready' as const, label: 'bundled model · 4 layers × 4 heads', message: 'Loaded offline in 80 ms.' };

test('a model panel says ready only once its own data is drawn, and passes the host’s other states through', () => {
  assert.equal(panelState(undefined, false, false), 'idle');
  assert.equal(panelState({ state: 'loading', label: '', message: 'Loading…', progress: 0.5 }, false, false), 'loading');
  assert.equal(panelState({ state: 'error', label: '', message: 'no attentions' }, false, true), 'error', 'a drawn view of a model that failed since');
  assert.equal(panelState({ state: 'disabled', label: '', message: 'declined' }, false, false), 'disabled');
  assert.equal(panelState(ready, false, false), 'loading', 'model ready, this view’s data on the way');
  assert.equal(panelState(ready, false, true), 'ready');
  assert.equal(panelState(ready, true, true), 'empty', 'no prompt wins over stale data');
});

test('the status line shows progress while loading and the reason when there is nothing to show', () => {
  assert.equal(statusText({ state: 'loading', label: 'bundled model', message: 'Building the session', progress: 0.426 }, undefined), 'bundled model: Building the session (43%)');
  assert.equal(statusText(ready, undefined), 'bundled model · 4 layers × 4 heads: Loaded offline in 80 ms.');
  assert.equal(statusText(ready, 'No prompt under the cursor.'), 'bundled model · 4 layers × 4 heads: No prompt under the cursor.');
  assert.match(statusText(undefined, undefined), /loads when this tab is shown/);
});

test('the truncation is said in tokens of the whole prompt, and nothing is said without one', () => {
  const texts = new Array(512).fill(' a');
  assert.equal(windowNote({ windowStart: 0, totalTokens: 512, texts }), undefined);
  assert.equal(
    windowNote({ windowStart: 256, totalTokens: 2000, texts }),
    'Truncated: tokens 257–768 of 2,000 (a window of 512; its size is the promptLens.localModel.window setting).',
  );
});

test('token labels show whitespace and stay short; heads and layers are named for people', () => {
  assert.equal(tokenLabel(' the'), '·the');
  assert.equal(tokenLabel('\n'), '↵');
  assert.equal(tokenLabel('x'.repeat(30), 10), `${'x'.repeat(9)}…`);
  assert.equal(headLabel(0, 4), 'head 1');
  assert.equal(headLabel('mean', 4), 'mean of 4 heads');
  assert.equal(layerName(0), 'input embeddings');
  assert.equal(layerName(3), 'after layer 3');
});

test('prefill timings are shown side by side with the speed-up and whether reuse changed the output', () => {
  const lines = prefillSummary({ fullMs: 18.44, reusedMs: 6.15, reusedTokens: 13, totalTokens: 41, maxLogitDifference: 3e-6 });
  assert.deepEqual(lines, [
    ['Prefill from scratch (41 tokens)', '18.4 ms'],
    ['Reusing the shared prefix’s KV (13 of 41 tokens)', '6.2 ms (3.0× faster)'],
    ['Largest logit difference between the two', '3.0e-6 (same output: the reuse is exact)'],
  ]);
  const off = prefillSummary({ fullMs: 5, reusedMs: 0, reusedTokens: 0, totalTokens: 10, maxLogitDifference: 0.5 });
  assert.equal(off[1][1], '0.0 ms', 'no speed-up claimed from a zero time');
  assert.equal(off[2][1], '0.5', 'a real difference is not called exact');
  assert.equal(prefillSummary({ fullMs: 7.9, reusedMs: 9.7, reusedTokens: 5, totalTokens: 30, maxLogitDifference: 0 })[1][1], '9.7 ms (1.2× slower: too little is shared to gain here)');
  assert.equal(prefillSummary({ fullMs: 10, reusedMs: 9.9, reusedTokens: 5, totalTokens: 30, maxLogitDifference: 0 })[1][1], '9.9 ms (no measurable difference)');
});
