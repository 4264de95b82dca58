import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import {
  cacheProfile,
  memoEncoder,
  partAt,
  predictConversation,
  renderAnthropic,
  renderOpenAiChat,
  renderOpenAiResponses,
  type RenderedRequest,
} from '../../../../../src/core/cache';
import { loadTokenizer, type Tokenizer } from '../../../../../src/core/tokenize';

let cl100k: Tokenizer;
let o200k: Tokenizer;
before(async () => {
  cl100k = await loadTokenizer('cl100k_base');
  o200k = await loadTokenizer('o200k_base');
});

// openai/openai-cookbook examples/How_to_count_tokens_with_tiktoken.ipynb: 129 prompt tokens for gpt-4-0613,
// counted by num_tokens_from_messages() and by the OpenAI API.
const COOKBOOK_MESSAGES = [
  { role: 'system', content: 'You are a helpful, pattern-following assistant that translates corporate jargon into plain English.' },
  { role: 'system', name: 'example_user', content: 'New synergies will help drive top-line growth.' },
  { role: 'system', name: 'example_assistant', content: 'Things working well together will increase revenue.' },
  { role: 'system', name: 'example_user', content: "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage." },
  { role: 'system', name: 'example_assistant', content: "Let's talk later when we're less busy about how to do better." },
  { role: 'user', content: "This late pivot means we don't have time to boil the ocean for the client deliverable." },
];

test('Chat Completions: per-message, per-name and reply-priming overhead reproduce the cookbook\'s 129 tokens', () => {
  const rendered = renderOpenAiChat({ model: 'gpt-4', messages: COOKBOOK_MESSAGES }, memoEncoder(cl100k));
  assert.equal(rendered.tokens.length, 129);
});

test('every token maps back to the request part that produced it', () => {
  const rendered = renderOpenAiChat({ model: 'gpt-4o', messages: COOKBOOK_MESSAGES }, memoEncoder(o200k));
  const last = partAt(rendered, rendered.tokens.length - 1);
  assert.equal(last?.kind, 'reply-priming');
  const contentStart = rendered.parts.find((span) => span.part.path === 'messages[1].content')!;
  assert.deepEqual(partAt(rendered, contentStart.start), { kind: 'message', index: 1, role: 'system', field: 'content', path: 'messages[1].content' });
  assert.equal(partAt(rendered, contentStart.start - 1)?.kind, 'overhead');
  assert.ok(rendered.parts.some((span) => span.part.path === 'messages[1].name'));
});

const TOOL = { type: 'function', function: { name: 'lookup', description: 'Find an order', parameters: { type: 'object', properties: { id: { type: 'string' } } } } };
const TOOL_REORDERED = { type: 'function', function: { description: 'Find an order', name: 'lookup', parameters: { properties: { id: { type: 'string' } }, type: 'object' } } };
const LONG_SYSTEM = 'You are the support assistant for Northwind Cloud. '.repeat(120);

function causesOf(first: RenderedRequest, second: RenderedRequest) {
  return predictConversation([{ rendered: first }, { rendered: second }], { profile: cacheProfile('openai-automatic'), decode: (ids) => o200k.decode(ids) }).turns[1];
}

test('a tool schema with the same content in another key order breaks the prefix, and says so', () => {
  const encode = memoEncoder(o200k);
  const messages = [{ role: 'system', content: LONG_SYSTEM }, { role: 'user', content: 'Where is order 7?' }];
  const turn = causesOf(renderOpenAiChat({ model: 'gpt-4o', tools: [TOOL], messages }, encode), renderOpenAiChat({ model: 'gpt-4o', tools: [TOOL_REORDERED], messages }, encode));
  assert.deepEqual(turn.cached, { min: 0, max: 0 });
  assert.equal(turn.causes[0].kind, 'tool-key-order');
  assert.equal(turn.divergence?.part?.path, 'tools[0]');
  assert.ok(turn.divergence!.tokenIndex >= 7, 'after the 7 function-init tokens');
});

test('reordered tools, whitespace, a changing date and a reasoning effort change are told apart', () => {
  const encode = memoEncoder(o200k);
  const other = { type: 'function', function: { name: 'refund', parameters: { type: 'object', properties: {} } } };
  const user = { role: 'user', content: 'Hi' };
  const chat = (body: Record<string, unknown>) => renderOpenAiChat({ model: 'gpt-4o', ...body }, encode);
  const reordered = causesOf(chat({ tools: [TOOL, other], messages: [user] }), chat({ tools: [other, TOOL], messages: [user] }));
  assert.equal(reordered.causes[0].kind, 'tools-changed');
  assert.match(reordered.causes[0].message, /sort the tool list/);
  const spaced = causesOf(chat({ messages: [{ role: 'system', content: `${LONG_SYSTEM}Be brief.` }, user] }), chat({ messages: [{ role: 'system', content: `${LONG_SYSTEM}Be  brief.` }, user] }));
  assert.equal(spaced.causes[0].kind, 'whitespace');
  // The system prompt shares ~1,200 tokens up to the extra space: cached in 128-token increments.
  assert.ok(spaced.reusedPrefix > 1152 && spaced.reusedPrefix < 1280, String(spaced.reusedPrefix));
  assert.deepEqual(spaced.cached, { min: 1152, max: 1152 });
  const dated = causesOf(chat({ messages: [{ role: 'system', content: `Today is 2026-11-20. ${LONG_SYSTEM}` }, user] }), chat({ messages: [{ role: 'system', content: `Today is 2026-11-21. ${LONG_SYSTEM}` }, user] }));
  assert.equal(dated.causes[0].kind, 'volatile-content');
  assert.equal(dated.causes[0].part?.path, 'messages[0].content');
  assert.deepEqual(dated.cached, { min: 0, max: 0 });
  const effort = causesOf(chat({ reasoning_effort: 'low', messages: [user] }), chat({ reasoning_effort: 'high', messages: [user] }));
  assert.equal(effort.causes[0].kind, 'parameter-changed');
  const edited = causesOf(chat({ messages: [{ role: 'system', content: LONG_SYSTEM }, { role: 'user', content: 'Refund order 7' }] }), chat({ messages: [{ role: 'system', content: LONG_SYSTEM }, { role: 'user', content: 'Cancel order 7' }] }));
  assert.equal(edited.causes[0].kind, 'prefix-changed');
  assert.equal(edited.divergence?.part?.path, 'messages[1].content');
  assert.match(edited.divergence!.before, /Refund/);
  assert.match(edited.divergence!.after, /Cancel/);
});

test('Responses: instructions and input render like developer and user messages; tools are flat', () => {
  const encode = memoEncoder(o200k);
  const responses = renderOpenAiResponses({ model: 'gpt-4o', instructions: 'Be brief.', input: 'Hi', tools: [{ type: 'function', name: 'lookup', parameters: {} }] }, encode);
  const paths = responses.parts.map((span) => span.part.path);
  assert.ok(paths.indexOf('tools[0]') < paths.indexOf('instructions.content'));
  assert.ok(paths.indexOf('instructions.content') < paths.indexOf('input.content'));
  const chat = renderOpenAiChat({ model: 'gpt-4o', messages: [{ role: 'developer', content: 'Be brief.' }, { role: 'user', content: 'Hi' }] }, encode);
  // Same text, same framing: the messages part of the two renderings is the same token run.
  assert.deepEqual(Array.from(responses.tokens.slice(-chat.tokens.length)), Array.from(chat.tokens));
  const items = renderOpenAiResponses({ model: 'gpt-4o', input: [{ role: 'user', content: [{ type: 'input_text', text: 'Hi' }] }, { type: 'function_call_output', call_id: 'c1', output: '42' }] }, encode);
  assert.ok(items.parts.some((span) => span.part.path === 'input[0].content[0].text'));
  assert.ok(items.parts.some((span) => span.part.path === 'input[1].output'));
});

test('Anthropic: tools → system → messages, one block each, cache_control is a breakpoint but not content', () => {
  const encode = memoEncoder(o200k);
  const body = (marked: boolean) => ({
    model: 'claude-sonnet-4-5',
    tools: [{ name: 'lookup', input_schema: { type: 'object' } }],
    system: [{ type: 'text', text: 'Be brief.', ...(marked ? { cache_control: { type: 'ephemeral', ttl: '1h' } } : {}) }],
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }, { type: 'text', text: '' }] }],
  });
  const marked = renderAnthropic(body(true), encode);
  const plain = renderAnthropic(body(false), encode);
  assert.deepEqual(Array.from(marked.tokens), Array.from(plain.tokens));
  assert.deepEqual(marked.blocks.map((block) => block.path), ['tools[0]', 'system[0]', 'messages[0].content[0]', 'messages[0].content[1]']);
  assert.deepEqual(marked.blocks[1].breakpoint, { ttl: '1h' });
  assert.equal(marked.blocks[3].uncacheable, true);
  const kinds = marked.parts.filter((span) => span.part.kind !== 'overhead').map((span) => span.part.kind);
  assert.deepEqual([...new Set(kinds)], ['tool', 'system', 'message']);
  const automatic = renderAnthropic({ ...body(false), cache_control: { type: 'ephemeral' } }, encode);
  assert.deepEqual(automatic.automaticBreakpoint, { ttl: '5m' });
});

test('images and unknown content become one placeholder token that still changes with the content', () => {
  const encode = memoEncoder(o200k);
  const image = (url: string, detail: string) => renderOpenAiChat({ model: 'gpt-4o', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url, detail } }] }] }, encode);
  assert.deepEqual(Array.from(image('a.png', 'low').tokens), Array.from(image('a.png', 'low').tokens));
  assert.notDeepEqual(Array.from(image('a.png', 'low').tokens), Array.from(image('a.png', 'high').tokens));
  assert.match(image('a.png', 'low').notes[0], /placeholder/);
});

test('GPT-5.6+: the latest message is an implicit breakpoint; the next turn reads it and pays 1.25× for its own write', () => {
  const encode = memoEncoder(o200k);
  const history = [{ role: 'system', content: LONG_SYSTEM }, { role: 'user', content: 'Where is order 7?' }];
  const first = renderOpenAiChat({ model: 'gpt-5.6-sol', messages: history }, encode);
  const second = renderOpenAiChat({ model: 'gpt-5.6-sol', messages: [...history, { role: 'assistant', content: 'In transit.' }, { role: 'user', content: 'And order 8?' }] }, encode);
  const turns = predictConversation([{ rendered: first, timestamp: 0 }, { rendered: second, timestamp: 60_000 }], { profile: cacheProfile('openai-breakpoints') }).turns;
  const firstWrite = first.blocks[first.blocks.length - 1].end;
  assert.deepEqual(turns[0].written, { min: firstWrite, max: firstWrite });
  // Exact breakpoint match, no 128-token rounding.
  assert.deepEqual(turns[1].cached, { min: firstWrite, max: firstWrite });
  assert.equal(turns[1].written.max, second.blocks[second.blocks.length - 1].end - firstWrite);
  const explicit = renderOpenAiChat({ model: 'gpt-5.6-sol', messages: history, prompt_cache_options: { mode: 'explicit' } }, encode);
  const none = predictConversation([{ rendered: explicit }], { profile: cacheProfile('openai-breakpoints') }).turns[0];
  assert.deepEqual(none.written, { min: 0, max: 0 });
  assert.ok(none.causes.some((cause) => cause.kind === 'no-breakpoint'));
});
