import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROTOCOL_VERSION, type TokenColumn } from '../../../../common/protocol/index';
import { MAX_PASTED_CONVERSATION, parseHostMessage, parseWebviewMessage } from '../../../../common/protocol/validate';
import { MAX_MODEL_TOKENS } from '../../../../common/protocol/validate';
import { cacheTurnView } from '../../../support/cacheTurn';

/** A column of tokens given as [id, start, end]. */
function column(overrides: Partial<TokenColumn> & { spans?: Array<[number, number, number]> } = {}): TokenColumn {
  const { spans = [[9906, 0, 5], [1917, 5, 11]], ...rest } = overrides;
  return {
    modelId: 'gpt-4o',
    modelLabel: 'GPT-4o',
    tokenizer: 'o200k_base',
    approximate: false,
    ids: Uint32Array.from(spans, ([id]) => id),
    starts: Uint32Array.from(spans, ([, start]) => start),
    ends: Uint32Array.from(spans, ([, , end]) => end),
    partial: [],
    special: [],
    characters: 11,
    contextWindow: 128000,
    cost: 0.0001,
    ...rest,
  };
}

function promptMessage(columns: unknown[] = [column()], text = 'Hello world'): Record<string, unknown> {
  return {
    type: 'prompt',
    version: PROTOCOL_VERSION,
    prompt: {
      id: 'p1',
      title: 'system prompt · bot.py:3',
      text,
      segments: [{ kind: 'static', source: text, start: 0, end: text.length }],
      dynamicValues: {},
      pinned: false,
    },
    columns,
  };
}

test('a well-formed prompt message is accepted as is', () => {
  const message = promptMessage();
  assert.equal(parseHostMessage(message), message);
});

test('host messages of another protocol version, of unknown type or not objects are rejected', () => {
  assert.equal(parseHostMessage({ ...promptMessage(), version: PROTOCOL_VERSION + 1 }), undefined);
  assert.equal(parseHostMessage({ type: 'explode', version: PROTOCOL_VERSION }), undefined);
  for (const junk of [null, undefined, 'prompt', 42, [], [promptMessage()]]) assert.equal(parseHostMessage(junk), undefined);
});

test('a prompt whose tokens point outside its text, go backwards or carry impossible bytes is rejected', () => {
  assert.equal(parseHostMessage(promptMessage([column({ spans: [[1, 0, 12]] })])), undefined, 'end past the text');
  assert.equal(parseHostMessage(promptMessage([column({ spans: [[1, 3, 2]] })])), undefined, 'end before start');
  assert.equal(parseHostMessage(promptMessage([column({ spans: [[1, 5, 11], [2, 0, 5]] })])), undefined, 'starts out of order');
  const badByte = column({ partial: [{ index: 0, bytes: [0xe2, 256] }] });
  assert.equal(parseHostMessage(promptMessage([badByte])), undefined);
  assert.equal(parseHostMessage(promptMessage([column({ partial: [{ index: 2, bytes: [0xe2] }] })])), undefined, 'partial index past the tokens');
  assert.equal(parseHostMessage(promptMessage([column({ special: [1, 0] })])), undefined, 'special indexes out of order');
  assert.equal(parseHostMessage(promptMessage([column({ special: [2] })])), undefined, 'special index past the tokens');
  const nanCost = column({ cost: Number.NaN });
  assert.equal(parseHostMessage(promptMessage([nanCost])), undefined);
});

test('token arrays must be Uint32Arrays of one length', () => {
  assert.equal(parseHostMessage(promptMessage([column({ ends: Uint32Array.of(5) })])), undefined, 'ends shorter');
  // A plain array (what a JSON round trip of a typed array is not even) or an object is not a column.
  assert.equal(parseHostMessage(promptMessage([{ ...column(), ids: [9906, 1917] }])), undefined);
  assert.equal(parseHostMessage(promptMessage([{ ...column(), starts: { 0: 0, 1: 5 } }])), undefined);
  assert.equal(parseHostMessage(promptMessage([{ ...column(), starts: Int32Array.of(0, 5) }])), undefined);
});

test('partial-character tokens with bytes and special tokens are accepted', () => {
  const emoji = column({
    spans: [[9468, 0, 2], [222, 0, 2], [200264, 2, 14]],
    partial: [
      { index: 0, bytes: [0xf0, 0x9f] },
      { index: 1, bytes: [0x98, 0x80] },
    ],
    special: [2],
  });
  assert.ok(parseHostMessage(promptMessage([emoji], '😀<|im_start|>')));
});

test('more than four columns are rejected', () => {
  assert.ok(parseHostMessage(promptMessage([column(), column(), column(), column()])));
  assert.equal(parseHostMessage(promptMessage([column(), column(), column(), column(), column()])), undefined);
});

test('dynamic values must belong to an existing segment', () => {
  const message = promptMessage();
  (message.prompt as Record<string, unknown>).dynamicValues = { 0: 'Ada' };
  assert.ok(parseHostMessage(message));
  (message.prompt as Record<string, unknown>).dynamicValues = { 3: 'Ada' };
  assert.equal(parseHostMessage(message), undefined);
  (message.prompt as Record<string, unknown>).dynamicValues = { 0: 7 };
  assert.equal(parseHostMessage(message), undefined);
});

test('cursor, models, empty and error messages are checked field by field', () => {
  assert.ok(parseHostMessage({ type: 'cursor', version: PROTOCOL_VERSION, promptId: 'p1', offset: -1 }));
  assert.equal(parseHostMessage({ type: 'cursor', version: PROTOCOL_VERSION, promptId: 'p1', offset: -2 }), undefined);
  assert.equal(parseHostMessage({ type: 'cursor', version: PROTOCOL_VERSION, promptId: 'p1', offset: 1.5 }), undefined);
  const models = [{ id: 'gpt-4o', label: 'GPT-4o', tokenizer: 'o200k_base', approximate: false }];
  assert.ok(parseHostMessage({ type: 'models', version: PROTOCOL_VERSION, models, selected: ['gpt-4o'] }));
  assert.equal(parseHostMessage({ type: 'models', version: PROTOCOL_VERSION, models: [{ id: 'x' }], selected: [] }), undefined);
  assert.ok(parseHostMessage({ type: 'empty', version: PROTOCOL_VERSION, reason: 'No prompt at the cursor' }));
  assert.equal(parseHostMessage({ type: 'error', version: PROTOCOL_VERSION }), undefined);
});

test('webview messages: setModels takes 1 to 4 distinct model ids', () => {
  const setModels = (models: unknown) => parseWebviewMessage({ type: 'setModels', version: PROTOCOL_VERSION, models });
  assert.ok(setModels(['gpt-4o', 'claude-sonnet-4.5']));
  assert.equal(setModels([]), undefined);
  assert.equal(setModels(['a', 'b', 'c', 'd', 'e']), undefined);
  assert.equal(setModels(['a', 'a']), undefined);
  assert.equal(setModels([1]), undefined);
});

test('webview messages: ranges, dynamic values, pin, copy and PNG are checked', () => {
  const v = PROTOCOL_VERSION;
  assert.ok(parseWebviewMessage({ type: 'ready', version: v }));
  assert.ok(parseWebviewMessage({ type: 'revealRange', version: v, promptId: 'p', start: 2, end: 5 }));
  assert.equal(parseWebviewMessage({ type: 'revealRange', version: v, promptId: 'p', start: 5, end: 2 }), undefined);
  assert.ok(parseWebviewMessage({ type: 'setDynamicValue', version: v, promptId: 'p', segment: 1, value: null }));
  assert.ok(parseWebviewMessage({ type: 'setDynamicValue', version: v, promptId: 'p', segment: 1, value: 'Ada' }));
  assert.equal(parseWebviewMessage({ type: 'setDynamicValue', version: v, promptId: 'p', segment: 1, value: 3 }), undefined);
  assert.equal(parseWebviewMessage({ type: 'pin', version: v, pinned: 'yes' }), undefined);
  assert.ok(parseWebviewMessage({ type: 'copyText', version: v, text: '[]', what: 'tokens as JSON' }));
  assert.ok(parseWebviewMessage({ type: 'savePng', version: v, dataUrl: 'data:image/png;base64,iVBORw0KGgo=' }));
  assert.equal(parseWebviewMessage({ type: 'savePng', version: v, dataUrl: 'data:text/html;base64,PGI+' }), undefined);
  assert.equal(parseWebviewMessage({ type: 'savePng', version: v, dataUrl: 'https://example.com/x.png' }), undefined);
  assert.equal(parseWebviewMessage({ type: 'ready', version: 0 }), undefined);
});

/** A cache turn with every optional field; `overrides` may make it invalid. */
function cacheTurn(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...cacheTurnView({
      divergence: { tokenIndex: 1990, where: 'messages[1].content (user message)', previousWhere: 'messages[1].content (user message)', before: 'key?', after: 'key at once?' },
      causes: [{ kind: 'prefix-changed', message: 'the user message differs', tokensLost: 16 }],
      cost: { withCache: { min: 0.0026, max: 0.0026 }, withoutCache: 0.005 },
      actual: { inputTokens: 2006, cachedTokens: 1920, source: 'prompt_tokens_details.cached_tokens (subset of prompt_tokens)' },
      error: 0,
    }),
    ...overrides,
  };
}

function cacheMessage(overrides: Record<string, unknown> = {}, turns: unknown[] = [cacheTurn()]): Record<string, unknown> {
  return {
    type: 'cache',
    version: PROTOCOL_VERSION,
    providers: [{ value: 'openai', label: 'openai · OpenAI automatic prefix caching' }],
    provider: 'openai',
    pasted: false,
    result: {
      source: { kind: 'log', title: 'requests.jsonl', detail: '3 logged requests' },
      profile: { id: 'openai-automatic', label: 'OpenAI automatic prefix caching', notes: [] },
      turns,
      summary: {
        turns: 1,
        inputTokens: 2006,
        cached: { min: 1920, max: 1920 },
        cachedShare: { min: 0.957, max: 0.957 },
        cost: { withCache: { min: 0.0026, max: 0.0026 }, withoutCache: 0.005 },
        saved: { min: -0.0001, max: 0.0024 },
        topCauses: [{ kind: 'prefix-changed', turns: 1, tokensLost: 16 }],
        actual: { turns: 1, cachedTokens: 1920, meanAbsoluteError: 0 },
      },
      notices: ['line 3: no "model"'],
    },
    ...overrides,
  };
}

test('a cache message with a prediction, or with the reason there is none, is accepted as is', () => {
  const message = cacheMessage();
  assert.equal(parseHostMessage(message), message);
  const empty = cacheMessage({ result: undefined, reason: 'Open a request log' });
  assert.equal(parseHostMessage(empty), empty);
  const bare = cacheMessage({}, [cacheTurn({ line: undefined, reusedFrom: undefined, divergence: undefined, actual: undefined, error: undefined, cost: {} })]);
  assert.equal(parseHostMessage(bare), bare, 'optional fields may be absent');
});

test('a cache message with both or neither of result and reason is rejected', () => {
  assert.equal(parseHostMessage(cacheMessage({ reason: 'both' })), undefined);
  assert.equal(parseHostMessage(cacheMessage({ result: undefined })), undefined);
});

test('a cache message may instead say how far a prediction is, and only that, with done never past total', () => {
  const progress = cacheMessage({ result: undefined, progress: { done: 250, total: 1001 } });
  assert.equal(parseHostMessage(progress), progress);
  const reading = cacheMessage({ result: undefined, progress: { done: 0, total: 0 } });
  assert.equal(parseHostMessage(reading), reading, 'total 0: the log is still being read');
  assert.equal(parseHostMessage(cacheMessage({ progress: { done: 1, total: 2 } })), undefined, 'progress next to a result');
  assert.equal(parseHostMessage(cacheMessage({ result: undefined, reason: 'why', progress: { done: 1, total: 2 } })), undefined, 'progress next to a reason');
  for (const bad of [{ done: 3, total: 2 }, { done: -1, total: 2 }, { done: 1.5, total: 2 }, { done: 1 }, 'half'] as unknown[]) {
    assert.equal(parseHostMessage(cacheMessage({ result: undefined, progress: bad })), undefined, JSON.stringify(bad));
  }
});

test('a cache turn with an impossible number or a missing field is rejected', () => {
  const bad: Array<[string, Record<string, unknown>]> = [
    ['range backwards', { cached: { min: 10, max: 5 } }],
    ['negative tokens', { uncached: { min: -1, max: 3 } }],
    ['fractional tokens', { inputTokens: 2.5 }],
    ['unknown certainty', { certainty: 'sure' }],
    ['cause without message', { causes: [{ kind: 'prefix-changed', tokensLost: 1 }] }],
    ['divergence without excerpt', { divergence: { tokenIndex: 3, before: 'a' } }],
    ['cost not a number', { cost: { withoutCache: 'free' } }],
    ['actual without source', { actual: { cachedTokens: 3 } }],
    ['notes not text', { notes: [1] }],
    ['model missing', { model: undefined }],
  ];
  for (const [what, change] of bad) assert.equal(parseHostMessage(cacheMessage({}, [cacheTurn(change)])), undefined, what);
  const summary = (cacheMessage().result as { summary: Record<string, unknown> }).summary;
  const withShare = cacheMessage();
  (withShare.result as { summary: unknown }).summary = { ...summary, cachedShare: { min: 0.5, max: 1.5 } };
  assert.equal(parseHostMessage(withShare), undefined, 'a share above 100%');
  assert.equal(parseHostMessage(cacheMessage({ providers: [{ value: 'openai' }] })), undefined, 'provider choice without label');
  assert.equal(parseHostMessage(cacheMessage({ pasted: 'no' })), undefined);
});

test('the cache view’s requests to the host are checked: known tab, short provider name, bounded paste', () => {
  const message = (body: Record<string, unknown>) => ({ version: PROTOCOL_VERSION, ...body });
  assert.ok(parseWebviewMessage(message({ type: 'setTab', tab: 'cache' })));
  assert.ok(parseWebviewMessage(message({ type: 'setTab', tab: 'tokens' })));
  assert.equal(parseWebviewMessage(message({ type: 'setTab', tab: 'settings' })), undefined);
  assert.ok(parseWebviewMessage(message({ type: 'setCacheProvider', provider: 'anthropic' })));
  assert.equal(parseWebviewMessage(message({ type: 'setCacheProvider', provider: '' })), undefined);
  assert.equal(parseWebviewMessage(message({ type: 'setCacheProvider', provider: 'x'.repeat(65) })), undefined);
  assert.ok(parseWebviewMessage(message({ type: 'setCacheInput', text: '[{"role":"user","content":"hi"}]' })));
  assert.ok(parseWebviewMessage(message({ type: 'setCacheInput', text: null })));
  assert.equal(parseWebviewMessage(message({ type: 'setCacheInput', text: 42 })), undefined);
  assert.equal(parseWebviewMessage(message({ type: 'setCacheInput', text: 'x'.repeat(MAX_PASTED_CONVERSATION + 1) })), undefined);
});

// Model views (issue 5): host → webview messages, checked by the webview.

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
