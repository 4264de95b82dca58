import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROTOCOL_VERSION, type TokenColumn } from '../../../../../common/protocol/index';
import { parseHostMessage, parseWebviewMessage } from '../../../../../common/protocol/validate';

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

test('a type with no parser in the table is rejected both ways, names of Object.prototype included', () => {
  for (const type of ['explode', 'constructor', 'toString', 'hasOwnProperty', '__proto__', '']) {
    assert.equal(parseHostMessage({ type, version: PROTOCOL_VERSION }), undefined, `host ${type}`);
    assert.equal(parseWebviewMessage({ type, version: PROTOCOL_VERSION }), undefined, `webview ${type}`);
  }
  assert.equal(parseWebviewMessage({ type: 'prompt', version: PROTOCOL_VERSION }), undefined, 'a host message sent by the webview');
  assert.equal(parseHostMessage({ type: 'ready', version: PROTOCOL_VERSION }), undefined, 'a webview message sent by the host');
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
