import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROTOCOL_VERSION, type TokenColumn } from '../../webview/src/protocol';
import { MAX_PASTED_CONVERSATION, parseHostMessage, parseWebviewMessage } from '../../webview/src/validate';

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

function cacheTurn(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    turn: 2,
    line: 2,
    model: 'gpt-4o',
    inputTokens: 2006,
    reusedPrefix: 1990,
    reusedFrom: 1,
    cached: { min: 1920, max: 1920 },
    written: { min: 0, max: 0 },
    uncached: { min: 86, max: 86 },
    certainty: 'eligible',
    divergence: { tokenIndex: 1990, where: 'messages[1].content (user message)', previousWhere: 'messages[1].content (user message)', before: 'key?', after: 'key at once?' },
    causes: [{ kind: 'prefix-changed', message: 'the user message differs', tokensLost: 16 }],
    cost: { withCache: { min: 0.0026, max: 0.0026 }, withoutCache: 0.005 },
    actual: { inputTokens: 2006, cachedTokens: 1920, source: 'prompt_tokens_details.cached_tokens (subset of prompt_tokens)' },
    error: 0,
    notes: [],
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
