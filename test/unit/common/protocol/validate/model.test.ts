import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROTOCOL_VERSION } from '../../../../../common/protocol/index';
import { MAX_MODEL_TOKENS, parseHostMessage, parseWebviewMessage } from '../../../../../common/protocol/validate';

// Host → webview messages, checked by the webview.

function modelMessage(type: string, body: Record<string, unknown>): Record<string, unknown> {
  return { type, version: PROTOCOL_VERSION, ...body };
}

function modelTokens(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    promptId: 'p1',
    texts: ['You', ' are', ' {name}'],
    starts: Uint32Array.of(0, 3, 7),
    ends: Uint32Array.of(3, 7, 14),
    dynamic: Uint8Array.of(0, 0, 1),
    windowStart: 0,
    totalTokens: 3,
    layers: 4,
    heads: 4,
    ...overrides,
  };
}

test('model status and the analysed tokens are accepted as sent, and checked field by field', () => {
  const status = modelMessage('modelStatus', { status: { state: 'loading', label: 'prompt-lens-tiny (bundled)', message: 'Loading the model…', progress: 0.4 } });
  assert.equal(parseHostMessage(status), status);
  assert.equal(parseHostMessage(modelMessage('modelStatus', { status: { state: 'busy', label: '', message: '' } })), undefined, 'unknown state');
  assert.equal(parseHostMessage(modelMessage('modelStatus', { status: { state: 'loading', label: '', message: '', progress: 1.5 } })), undefined, 'progress above 1');
  const tokens = modelMessage('modelTokens', { tokens: modelTokens() });
  assert.equal(parseHostMessage(tokens), tokens);
  const truncated = modelMessage('modelTokens', { tokens: modelTokens({ windowStart: 500, totalTokens: 503 }) });
  assert.equal(parseHostMessage(truncated), truncated, 'a window further into a longer prompt');
  const bad: Array<[string, Record<string, unknown>]> = [
    ['window past the prompt', { windowStart: 1, totalTokens: 3 }],
    ['starts shorter', { starts: Uint32Array.of(0, 3) }],
    ['starts go back', { starts: Uint32Array.of(0, 7, 3), ends: Uint32Array.of(3, 7, 7) }],
    ['dynamic flag not 0/1', { dynamic: Uint8Array.of(0, 2, 1) }],
    ['dynamic a plain array', { dynamic: [0, 0, 1] }],
    ['no heads', { heads: 0 }],
    ['texts not strings', { texts: ['a', 2, 'c'] }],
    ['more tokens than any window', { texts: new Array(MAX_MODEL_TOKENS + 1).fill('a') }],
  ];
  for (const [what, change] of bad) assert.equal(parseHostMessage(modelMessage('modelTokens', { tokens: modelTokens(change) })), undefined, what);
});

test('an attention layer must hold heads × n × n weights, each within [0, 1]', () => {
  const attention = (overrides: Record<string, unknown> = {}) => modelMessage('attentionLayer', { attention: { promptId: 'p1', layer: 2, heads: 2, n: 2, weights: Float32Array.of(1, 0, 0.5, 0.5, 1, 0, 0.25, 0.75), ...overrides } });
  const good = attention();
  assert.equal(parseHostMessage(good), good);
  assert.equal(parseHostMessage(attention({ weights: new Float32Array(7) })), undefined, 'one weight short');
  assert.equal(parseHostMessage(attention({ weights: Float32Array.of(1, 0, 0.5, 0.5, 1, 0, 0.25, Number.NaN) })), undefined, 'NaN');
  assert.equal(parseHostMessage(attention({ weights: Float32Array.of(1, 0, 0.5, 0.5, 1, 0, 0.25, 1.7) })), undefined, 'not a softmax weight');
  assert.equal(parseHostMessage(attention({ weights: Float32Array.of(1, 0, 0.5, 0.5, 1, 0, 0.25, -0.1) })), undefined, 'negative');
  assert.equal(parseHostMessage(attention({ weights: [1, 0, 0.5, 0.5, 1, 0, 0.25, 0.75] })), undefined, 'a plain array');
  assert.equal(parseHostMessage(attention({ layer: -1 })), undefined);
});

test('an embedding carries n × dimensions finite coordinates, a selected token inside them and its path', () => {
  const embedding = (overrides: Record<string, unknown> = {}) =>
    modelMessage('embedding', {
      embedding: { promptId: 'p1', layer: 0, dimensions: 2, points: Float32Array.of(0, 1, 2, 3, 4, 5), explained: [0.6, 0.2], selected: 1, path: Float32Array.of(0, 0, 1, 1, 2, 2), neighbours: [{ token: 2, similarity: 0.9 }], ...overrides },
    });
  const good = embedding();
  assert.equal(parseHostMessage(good), good);
  const bare = embedding({ selected: -1, path: undefined, neighbours: undefined });
  assert.equal(parseHostMessage(bare), bare, 'nothing selected');
  const bad: Array<[string, Record<string, unknown>]> = [
    ['odd coordinate count in 2D', { points: Float32Array.of(0, 1, 2) }],
    ['4D', { dimensions: 4, explained: [0.1, 0.1, 0.1, 0.1] }],
    ['explained per dimension', { explained: [0.6] }],
    ['selected past the tokens', { selected: 3 }],
    ['infinite coordinate', { points: Float32Array.of(0, 1, 2, Number.POSITIVE_INFINITY, 4, 5) }],
    ['neighbour past the tokens', { neighbours: [{ token: 3, similarity: 0.5 }] }],
    ['cosine above 1', { neighbours: [{ token: 2, similarity: 1.5 }] }],
    ['path of 3D points in a 2D plot', { path: Float32Array.of(0, 0, 1) }],
  ];
  for (const [what, change] of bad) assert.equal(parseHostMessage(embedding(change)), undefined, what);
});

test('a prefix comparison has per-layer series of one length and measured timings, or the reason there is none', () => {
  const prefix = (overrides: Record<string, unknown> = {}) => ({
    promptId: 'p1',
    segment: 1,
    values: ['Ada', 'Grace'],
    texts: ['Hello', ' Ada', '!'],
    common: 1,
    hiddenChange: [Float32Array.of(0, 1, 0.5), Float32Array.of(0, 0.8, 0.7)],
    kvChange: [Float32Array.of(0, 0.9, 0.6)],
    prefill: { fullMs: 12.5, reusedMs: 4.1, reusedTokens: 1, totalTokens: 3, maxLogitDifference: 2e-6 },
    ...overrides,
  });
  const good = modelMessage('prefix', { prefix: prefix() });
  assert.equal(parseHostMessage(good), good);
  const reason = modelMessage('prefix', { reason: 'This prompt has no dynamic part to vary.' });
  assert.equal(parseHostMessage(reason), reason);
  assert.equal(parseHostMessage(modelMessage('prefix', {})), undefined, 'neither');
  assert.equal(parseHostMessage(modelMessage('prefix', { prefix: prefix(), reason: 'x' })), undefined, 'both');
  const bad: Array<[string, Record<string, unknown>]> = [
    ['series of different lengths', { kvChange: [Float32Array.of(0, 0.9)] }],
    ['negative change', { hiddenChange: [Float32Array.of(0, -1, 0.5)] }],
    ['common prefix past the tokens', { common: 4 }],
    ['one value', { values: ['Ada'] }],
    ['reused more than the total', { prefill: { fullMs: 1, reusedMs: 1, reusedTokens: 4, totalTokens: 3, maxLogitDifference: 0 } }],
    ['timing not a number', { prefill: { fullMs: 'fast', reusedMs: 1, reusedTokens: 1, totalTokens: 3, maxLogitDifference: 0 } }],
  ];
  for (const [what, change] of bad) assert.equal(parseHostMessage(modelMessage('prefix', { prefix: prefix(change) })), undefined, what);
});

/** A webview → host message of the model tabs. */
function modelRequest(type: string, fields: Record<string, unknown>): Record<string, unknown> {
  return { type, version: PROTOCOL_VERSION, promptId: 'd1:message@4:20', ...fields };
}

test('webview messages: attention and embedding requests name an existing kind of layer, 2 or 3 dimensions and a token or -1', () => {
  for (const good of [
    modelRequest('requestAttention', { layer: 0 }),
    modelRequest('requestEmbedding', { layer: 4, dimensions: 2, selected: -1 }),
    modelRequest('requestEmbedding', { layer: 0, dimensions: 3, selected: 17 }),
  ]) {
    assert.equal(parseWebviewMessage(good), good);
  }
  const bad: Array<[string, Record<string, unknown>]> = [
    ['negative layer', modelRequest('requestAttention', { layer: -1 })],
    ['fractional layer', modelRequest('requestAttention', { layer: 1.5 })],
    ['no prompt id', { type: 'requestAttention', version: PROTOCOL_VERSION, layer: 0 }],
    ['1 dimension', modelRequest('requestEmbedding', { layer: 1, dimensions: 1, selected: -1 })],
    ['selected below -1', modelRequest('requestEmbedding', { layer: 1, dimensions: 2, selected: -2 })],
    ['selected beyond any window', modelRequest('requestEmbedding', { layer: 1, dimensions: 2, selected: MAX_MODEL_TOKENS })],
    ['layer as text', modelRequest('requestEmbedding', { layer: '1', dimensions: 2, selected: 0 })],
  ];
  for (const [what, message] of bad) assert.equal(parseWebviewMessage(message), undefined, what);
});

test('webview messages: a prefix request names a segment and two values or none; a window has a start and a positive count', () => {
  for (const good of [
    modelRequest('requestPrefix', { segment: 1, values: null }),
    modelRequest('requestPrefix', { segment: 3, values: ['Ada', ''] }),
    modelRequest('setModelWindow', { start: 0, count: 512 }),
    modelRequest('setModelWindow', { start: 40_000, count: 1 }),
  ]) {
    assert.equal(parseWebviewMessage(good), good);
  }
  const bad: Array<[string, Record<string, unknown>]> = [
    ['one value', modelRequest('requestPrefix', { segment: 1, values: ['Ada'] })],
    ['values missing', modelRequest('requestPrefix', { segment: 1 })],
    ['a value not text', modelRequest('requestPrefix', { segment: 1, values: ['Ada', 7] })],
    ['a runaway value', modelRequest('requestPrefix', { segment: 1, values: ['Ada', 'x'.repeat(100_001)] })],
    ['negative segment', modelRequest('requestPrefix', { segment: -1, values: null })],
    ['empty window', modelRequest('setModelWindow', { start: 0, count: 0 })],
    ['window beyond any model', modelRequest('setModelWindow', { start: 0, count: MAX_MODEL_TOKENS + 1 })],
    ['negative start', modelRequest('setModelWindow', { start: -5, count: 10 })],
  ];
  for (const [what, message] of bad) assert.equal(parseWebviewMessage(message), undefined, what);
});

test('webview messages: an export names its view, a layer and head where the view has them, and CSV or JSON', () => {
  for (const exported of [
    { view: 'attention', layer: 2, head: 3, format: 'csv' },
    { view: 'attention', layer: 0, head: 'mean', format: 'json' },
    { view: 'attention', layer: 0, head: 'max', format: 'csv' },
    { view: 'embedding', layer: 4, format: 'csv' },
    { view: 'prefix', format: 'json' },
  ]) {
    const message = modelRequest('exportModelData', { export: exported });
    assert.equal(parseWebviewMessage(message), message, JSON.stringify(exported));
  }
  const bad: Array<[string, unknown]> = [
    ['unknown view', { view: 'logits', format: 'csv' }],
    ['unknown format', { view: 'prefix', format: 'png' }],
    ['unknown aggregate', { view: 'attention', layer: 0, head: 'median', format: 'csv' }],
    ['no head', { view: 'attention', layer: 0, format: 'csv' }],
    ['no layer', { view: 'embedding', format: 'csv' }],
    ['not an object', 'attention'],
  ];
  for (const [what, exported] of bad) assert.equal(parseWebviewMessage(modelRequest('exportModelData', { export: exported })), undefined, what);
});
