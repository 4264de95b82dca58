import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { readConversation, splitConversation } from '../../../../../src/core/cache/log/conversation';
import type { LoggedRequest } from '../../../../../src/core/cache/log/parseLog';
import { REPO_ROOT } from '../../../../support/paths';

const examples = path.join(REPO_ROOT, 'examples');
const roles = (request: LoggedRequest, field = 'messages') => (request.body[field] as Array<{ role?: string; type?: string }>).map((item) => item.role ?? item.type);

test('examples/conversation.json becomes one request per assistant reply plus the pending user turn', () => {
  const log = readConversation(fs.readFileSync(path.join(examples, 'conversation.json'), 'utf8'));
  assert.deepEqual(log.notices, []);
  assert.equal(log.requests.length, 2);
  assert.deepEqual(roles(log.requests[0]), ['system', 'user']);
  assert.deepEqual(roles(log.requests[1]), ['system', 'user', 'assistant', 'user']);
  assert.ok(log.requests.every((request) => request.body.model === 'gpt-4o' && request.api === 'openai-chat'));
});

test('a log of several requests is left as the requests that were sent', () => {
  const text = fs.readFileSync(path.join(examples, 'logs/requests.jsonl'), 'utf8');
  const log = readConversation(text);
  assert.equal(log.requests.length, 3);
  assert.deepEqual(log.requests.map((request) => request.line), [1, 2, 3]);
  assert.equal(log.requests[1].actual?.inputTokens, 73, 'usage stays on its request');
});

test('a transcript that ends with the reply has no request for the reply itself', () => {
  const body = { model: 'gpt-4o', messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }, { role: 'user', content: 'c' }, { role: 'assistant', content: 'd' }] };
  const requests = readConversation(JSON.stringify(body)).requests;
  assert.deepEqual(requests.map((request) => roles(request)), [['user'], ['user', 'assistant', 'user']]);
});

test('usage and timestamp stay with the logged body only; the cache key stays with every turn', () => {
  const logged: LoggedRequest = {
    line: 4,
    api: 'openai-chat',
    timestamp: 1000,
    promptCacheKey: 'k',
    actual: { inputTokens: 50, cachedTokens: 0, source: 'test' },
    body: { messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }, { role: 'user', content: 'c' }] },
  };
  const [first, second] = splitConversation(logged);
  assert.equal(first.actual, undefined);
  assert.equal(first.timestamp, undefined);
  assert.equal(first.promptCacheKey, 'k');
  assert.equal(first.line, 4);
  assert.equal(second, logged);
});

test('a tool loop is one request per model step: before the tool call, and after the tool result', () => {
  const messages = [
    { role: 'user', content: 'weather?' },
    { role: 'assistant', tool_calls: [{ id: '1', type: 'function', function: { name: 'w', arguments: '{}' } }] },
    { role: 'tool', tool_call_id: '1', content: 'sunny' },
    { role: 'assistant', content: 'It is sunny.' },
    { role: 'user', content: 'thanks' },
  ];
  const requests = readConversation(JSON.stringify({ model: 'gpt-4o', messages })).requests;
  assert.deepEqual(requests.map((request) => roles(request).length), [1, 3, 5]);
});

test('a Responses input array is split at each run of output items', () => {
  const input = [
    { role: 'user', content: 'hi' },
    { type: 'reasoning', summary: [] },
    { type: 'function_call', call_id: 'c', name: 'f', arguments: '{}' },
    { type: 'function_call_output', call_id: 'c', output: 'x' },
    { role: 'assistant', content: 'done' },
    { role: 'user', content: 'more' },
  ];
  const requests = readConversation(JSON.stringify({ model: 'gpt-5', input })).requests;
  assert.equal(requests[0].api, 'openai-responses');
  assert.deepEqual(requests.map((request) => roles(request, 'input').length), [1, 4, 6]);
});

test('a bare messages array pasted on its own is read as one conversation without a model', () => {
  const text = JSON.stringify([{ role: 'system', content: 's' }, { role: 'user', content: 'u' }, { role: 'assistant', content: 'a' }, { role: 'user', content: 'v' }]);
  const log = readConversation(text);
  assert.deepEqual(log.notices, []);
  assert.equal(log.requests.length, 2);
  assert.equal(log.requests[0].body.model, undefined);
});

test('text that is no log says why, without throwing', () => {
  const log = readConversation('not json at all');
  assert.equal(log.requests.length, 0);
  assert.ok(log.notices.some((notice) => /not valid JSON/.test(notice.message)));
  assert.equal(readConversation('').requests.length, 0);
  assert.equal(readConversation('[1, 2]').requests.length, 0);
});
