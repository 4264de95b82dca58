import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { cacheProfile, memoEncoder, predictConversation, predictLog, RenderMemo, renderRequest, type RequestApi } from '../../../../../src/core/cache';
import { loadCatalog } from '../../../../../src/core/catalog';
import { readConversation } from '../../../../../src/core/cache/log/conversation';
import { loadTokenizer, type Tokenizer } from '../../../../../src/core/tokenize';

let o200k: Tokenizer;
before(async () => {
  o200k = await loadTokenizer('o200k_base');
});

/** A conversation whose messages exercise every part of the renderers: names, tool calls, content parts, breakpoints. */
function chatMessages(turns: number): Array<Record<string, unknown>> {
  const messages: Array<Record<string, unknown>> = [{ role: 'system', content: 'You are the support assistant for Northwind. '.repeat(20) }];
  for (let turn = 0; turn < turns; turn++) {
    messages.push({ role: 'user', name: `user${turn % 2}`, content: [{ type: 'text', text: `Where is order ${turn}?` }, { type: 'image_url', image_url: { url: `https://example.com/${turn}.png` } }] });
    messages.push({ role: 'assistant', content: null, tool_calls: [{ id: `c${turn}`, type: 'function', function: { name: 'lookup', arguments: `{"id":${turn}}` } }] });
    messages.push({ role: 'tool', tool_call_id: `c${turn}`, content: `Order ${turn} is in transit.`, prompt_cache_breakpoint: turn === 1 ? { ttl: '30m' } : undefined });
    // One long reply: a request, and a message on its own, outgrow the renderer's first buffer.
    messages.push({ role: 'assistant', content: turn === 3 ? `Order ${turn} history: ${'shipped, returned, refunded; '.repeat(2000)}` : `Order ${turn} ships tomorrow.` });
  }
  return messages;
}

function anthropicMessages(turns: number): Array<Record<string, unknown>> {
  const messages: Array<Record<string, unknown>> = [];
  for (let turn = 0; turn < turns; turn++) {
    messages.push({ role: 'user', content: [{ type: 'text', text: `Question ${turn}`, ...(turn === 2 ? { cache_control: { type: 'ephemeral' } } : {}) }] });
    messages.push({ role: 'assistant', content: [{ type: 'tool_use', id: `t${turn}`, name: 'lookup', input: { id: turn } }] });
    messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: `t${turn}`, content: [{ type: 'text', text: `result ${turn}` }] }] });
    messages.push({ role: 'assistant', content: turn === 3 ? `Answer ${turn}: ${'shipped, returned, refunded; '.repeat(2000)}` : `Answer ${turn}` });
  }
  return messages;
}

const BODIES: Array<[RequestApi, (messages: Array<Record<string, unknown>>) => Record<string, unknown>, Array<Record<string, unknown>>]> = [
  ['openai-chat', (messages) => ({ model: 'gpt-4o', tools: [{ type: 'function', function: { name: 'lookup', parameters: {} } }], messages }), chatMessages(6)],
  ['openai-responses', (input) => ({ model: 'gpt-4o', instructions: 'Be brief.', input: input.map((item) => (item.role === 'tool' ? { type: 'function_call_output', call_id: item.tool_call_id, output: item.content } : item)) }), chatMessages(6)],
  ['anthropic-messages', (messages) => ({ model: 'claude-sonnet-4-5', system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }], messages }), anthropicMessages(6)],
];

for (const [api, body, messages] of BODIES) {
  test(`${api}: every turn of a growing conversation renders the same with the memo as without it`, () => {
    const memo = new RenderMemo(memoEncoder(o200k));
    const plain = memoEncoder(o200k);
    for (let length = 1; length <= messages.length; length++) {
      const request = body(messages.slice(0, length));
      assert.deepEqual(renderRequest(api, request, memo.encode, memo), renderRequest(api, request, plain), `turn with ${length} messages`);
    }
  });

  test(`${api}: a message at another place (history trimmed, a message inserted before it) renders afresh, not from the memo`, () => {
    const memo = new RenderMemo(memoEncoder(o200k));
    const plain = memoEncoder(o200k);
    const variants = [
      messages,
      messages.slice(2),
      [{ role: 'user', content: 'inserted' }, ...messages],
      [{ role: 'system', content: 'Another system prompt, so every later message starts at another token.' }, ...messages.slice(1)],
      messages.slice(0, 5),
      [messages[3], messages[2], ...messages],
    ];
    for (const variant of variants) assert.deepEqual(renderRequest(api, body(variant), memo.encode, memo), renderRequest(api, body(variant), plain));
  });
}

test('the same messages after other tools, settings or system blocks render as they would afresh', () => {
  const memo = new RenderMemo(memoEncoder(o200k));
  const plain = memoEncoder(o200k);
  const chat = chatMessages(2);
  const tool = (name: string) => ({ type: 'function', function: { name, parameters: {} } });
  // Same token counts before the messages, other tokens: only the content tells them apart.
  // The same tool as `functions` then `tools`: the same tokens from another part of the body.
  const chatBodies = [
    { tools: [tool('lookup')], reasoning_effort: 'low' },
    { tools: [tool('search')], reasoning_effort: 'low' },
    { tools: [tool('search')], reasoning_effort: 'high' },
    { functions: [tool('search')], reasoning_effort: 'high' },
  ];
  for (const extra of chatBodies) {
    const body = { model: 'gpt-4o', ...extra, messages: chat };
    assert.deepEqual(renderRequest('openai-chat', body, memo.encode, memo), renderRequest('openai-chat', body, plain), JSON.stringify(extra));
  }
  const anthropic = anthropicMessages(2);
  // An image is one placeholder token without text: only the token says which image it is.
  const image = (data: string) => ({ type: 'image', source: { type: 'base64', media_type: 'image/png', data } });
  for (const system of [[image('A')], [image('B')], [{ type: 'text', text: 'Be brief.' }], [{ type: 'text', text: 'Be short.' }]]) {
    const body = { model: 'claude-sonnet-4-5', system, messages: anthropic };
    assert.deepEqual(renderRequest('anthropic-messages', body, memo.encode, memo), renderRequest('anthropic-messages', body, plain), JSON.stringify(system));
  }
  const automatic = { model: 'claude-sonnet-4-5', system: 'Be short.', messages: anthropic, cache_control: { type: 'ephemeral' } };
  assert.deepEqual(renderRequest('anthropic-messages', automatic, memo.encode, memo), renderRequest('anthropic-messages', automatic, plain));
});

test('the memo is used: a later turn shares the earlier turn’s spans of the messages both send', () => {
  const memo = new RenderMemo(memoEncoder(o200k));
  const messages = chatMessages(3);
  const first = renderRequest('openai-chat', { model: 'gpt-4o', messages: messages.slice(0, 5) }, memo.encode, memo);
  const second = renderRequest('openai-chat', { model: 'gpt-4o', messages }, memo.encode, memo);
  const shared = first.parts.filter((span) => second.parts.includes(span));
  assert.ok(shared.length > 10, `${shared.length} spans shared`);
  assert.equal(first.parts.at(-1)?.part.kind, 'reply-priming', 'the first request’s own spans are untouched by the second');
});

test('predictLog of a growing conversation gives the prediction of rendering every request from scratch', () => {
  const catalog = loadCatalog();
  const log = readConversation(JSON.stringify({ model: 'gpt-4o', messages: chatMessages(40) }));
  assert.equal(log.requests.length, 80);
  const options = { profile: cacheProfile('openai-automatic'), findModel: (id: string) => catalog.find(id), decode: (ids: number[]) => o200k.decode(ids) };
  const fresh = log.requests.map((request) => ({ rendered: renderRequest(request.api, { ...request.body, model: 'gpt-4o' }, memoEncoder(o200k)), line: request.line }));
  const progress: number[] = [];
  const memoised = predictLog(log, { ...options, defaultModel: 'gpt-4o', tokenizerFor: () => o200k, onProgress: (done, total) => progress.push(total - done) });
  const { notices, ...prediction } = memoised;
  assert.deepEqual(notices, []);
  assert.deepEqual(prediction, predictConversation(fresh, options));
  assert.equal(progress.length, 80);
  assert.equal(progress.at(-1), 0, 'the last progress call says every request is rendered');
});
