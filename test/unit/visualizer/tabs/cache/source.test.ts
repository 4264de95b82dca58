import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { loadCatalog } from '../../../../../src/core/catalog';
import { extractPrompts, initExtractors } from '../../../../../src/core/extract';
import { loadTokenizer } from '../../../../../src/core/tokenize';
import { conversationCache, defaultProvider, isConversationFile, promptCache, turnView, type CacheSourceOptions } from '../../../../../src/visualizer/tabs/cache/source';
import { parseHostMessage } from '../../../../../common/protocol/validate';
import { PROTOCOL_VERSION } from '../../../../../common/protocol/index';
import { cacheCliJson } from '../../../../support/cli';
import { REPO_ROOT } from '../../../../support/paths';

const ROOT = REPO_ROOT;
const catalog = loadCatalog();
const requestsLog = path.join(ROOT, 'examples/logs/requests.jsonl');

function options(provider?: string, activeModel = 'gpt-4o'): CacheSourceOptions {
  return { provider, activeModel: catalog.find(activeModel)!, findModel: (id) => catalog.find(id), tokenizer: (name) => loadTokenizer(name) };
}

/** What the webview receives must pass its own validation, as it would in the editor. */
function delivered(outcome: Awaited<ReturnType<typeof conversationCache>>) {
  const message = parseHostMessage(JSON.parse(JSON.stringify({ type: 'cache', version: PROTOCOL_VERSION, pasted: false, ...outcome })));
  assert.ok(message && message.type === 'cache', 'the cache message validates');
  return message;
}

for (const provider of ['openai', 'anthropic']) {
  test(`a request log shows the same turns and summary as \`promptlens cache --provider ${provider}\``, async () => {
    const outcome = await conversationCache(fs.readFileSync(requestsLog, 'utf8'), { kind: 'log', title: 'requests.jsonl' }, options(provider));
    const expected = await cacheCliJson(requestsLog, provider, catalog);
    assert.equal(outcome.provider, provider);
    const result = delivered(outcome).result!;
    assert.deepEqual(result.turns, expected.turns.map(turnView));
    assert.deepEqual(result.summary, JSON.parse(JSON.stringify(expected.summary)));
    assert.equal(result.source.detail, '3 logged requests');
  });
}

test('another provider’s rules change the prediction of the same log', async () => {
  const text = fs.readFileSync(requestsLog, 'utf8');
  const openai = (await conversationCache(text, { kind: 'log', title: 'requests.jsonl' }, options('openai'))).result!;
  const anthropic = (await conversationCache(text, { kind: 'log', title: 'requests.jsonl' }, options('anthropic'))).result!;
  assert.notEqual(openai.profile.id, anthropic.profile.id);
  assert.notDeepEqual(openai.turns.map((turn) => turn.causes.map((cause) => cause.kind)), anthropic.turns.map((turn) => turn.causes.map((cause) => cause.kind)));
});

test('without a pick, the log’s first model chooses the rules, as the CLI does', async () => {
  const outcome = await conversationCache(fs.readFileSync(requestsLog, 'utf8'), { kind: 'log', title: 'requests.jsonl' }, options(undefined, 'claude-sonnet-4-5'));
  assert.equal(outcome.provider, 'openai');
  assert.equal(outcome.result?.profile.id, 'openai-automatic');
});

test('examples/conversation.json is two turns: the second reuses the first one’s prefix', async () => {
  const outcome = await conversationCache(fs.readFileSync(path.join(ROOT, 'examples/conversation.json'), 'utf8'), { kind: 'log', title: 'conversation.json' }, options('openai'));
  const result = delivered(outcome).result!;
  assert.equal(result.turns.length, 2);
  assert.equal(result.turns[1].reusedFrom, 1);
  assert.ok(result.turns[1].reusedPrefix > 20 && result.turns[1].reusedPrefix < result.turns[1].inputTokens);
  assert.match(result.source.detail, /one conversation split into 2 requests/);
});

test('a pasted messages array without a model is predicted with the active model', async () => {
  const text = JSON.stringify([{ role: 'user', content: 'Hello' }, { role: 'assistant', content: 'Hi!' }, { role: 'user', content: 'Bye' }]);
  const outcome = await conversationCache(text, { kind: 'pasted', title: 'pasted conversation' }, options(undefined, 'claude-sonnet-4-5'));
  assert.equal(outcome.provider, 'anthropic');
  assert.deepEqual(delivered(outcome).result!.turns.map((turn) => turn.model), ['claude-sonnet-4-5', 'claude-sonnet-4-5']);
});

test('text with no request gives the reason, and an unknown provider name falls back to OpenAI’s rules', async () => {
  const none = await conversationCache('{"hello": 1}', { kind: 'pasted', title: 'pasted conversation' }, options());
  assert.match(none.reason ?? '', /^No request in pasted conversation could be read: /);
  assert.equal(delivered(none).reason, none.reason);
  const stale = await conversationCache(fs.readFileSync(requestsLog, 'utf8'), { kind: 'log', title: 'requests.jsonl' }, options('no-such-provider'));
  assert.equal(stale.provider, 'openai');
});

test('a prompt in code shows its simulated calls', async () => {
  await initExtractors();
  const file = path.join(ROOT, 'examples/support_bot.py');
  const prompts = extractPrompts(file, fs.readFileSync(file, 'utf8')).prompts;
  const userMessage = prompts.find((prompt) => prompt.role === 'user')!;
  const outcome = await promptCache(userMessage, 'user message · support_bot.py:25', options('openai'));
  const result = delivered(outcome).result!;
  assert.equal(result.source.kind, 'code');
  assert.ok(result.turns.length >= 2, `${result.turns.length} calls`);
  assert.match(result.source.detail, /simulated calls with GPT-4o; static prefix \d+ of \d+ tokens; first dynamic part \{/);
});

test('the default provider is the one whose rules the model’s catalogue entry names', () => {
  assert.equal(defaultProvider(catalog.find('gpt-4o')!), 'openai');
  assert.equal(defaultProvider(catalog.find('claude-sonnet-4-5')!), 'anthropic');
  assert.equal(defaultProvider(catalog.find('llama-3.3-70b')!), 'vllm');
  assert.equal(defaultProvider(catalog.find('gemini-2.5-pro')!), 'gemini');
});

test('only JSON and JSONL files holding a request are conversations', () => {
  assert.equal(isConversationFile('requests.jsonl', fs.readFileSync(requestsLog, 'utf8')), true);
  assert.equal(isConversationFile('package.json', '{"name": "x"}'), false);
  assert.equal(isConversationFile('notes.txt', fs.readFileSync(requestsLog, 'utf8')), false);
});
