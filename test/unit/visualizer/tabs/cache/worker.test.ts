import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { loadCatalog } from '../../../../../src/core/catalog';
import { loadTokenizer } from '../../../../../src/core/tokenize';
import { conversationCache, turnView } from '../../../../../src/visualizer/tabs/cache/source';
import type { CacheJob } from '../../../../../src/visualizer/tabs/cache/job';
import { CacheWorkerClient } from '../../../../../src/visualizer/tabs/cache/workerClient';
import { cacheCliJson } from '../../../../support/cli';
import { REPO_ROOT } from '../../../../support/paths';

const ROOT = REPO_ROOT;
const catalog = loadCatalog();
const requestsLog = path.join(ROOT, 'examples/logs/requests.jsonl');

// The worker's TypeScript entry, compiled by tsx in the worker thread as the extension's esbuild bundle is built from it.
const client = new CacheWorkerClient(`require('tsx/cjs'); require(${JSON.stringify(path.join(ROOT, 'src/visualizer/tabs/cache/worker.ts'))});`, { eval: true });
after(() => client.dispose());

function job(text: string, provider?: string, activeModel = 'gpt-4o'): CacheJob {
  return { text, source: { kind: 'log', title: 'log.jsonl' }, provider, activeModel, models: catalog.models };
}

/** A growing conversation of `turns` user/assistant exchanges: one request per reply when read. */
function conversation(turns: number): string {
  const messages: unknown[] = [{ role: 'system', content: 'You answer questions about orders. '.repeat(40) }];
  for (let turn = 0; turn < turns; turn++) messages.push({ role: 'user', content: `Where is order ${turn}?` }, { role: 'assistant', content: `Order ${turn} ships on day ${turn % 7}.` });
  return JSON.stringify({ model: 'gpt-4o', messages: [...messages, { role: 'user', content: 'Thanks!' }] });
}

for (const provider of ['openai', 'anthropic']) {
  test(`the worker predicts a request log as \`promptlens cache --provider ${provider} --json\` does`, async () => {
    const outcome = await client.run(job(fs.readFileSync(requestsLog, 'utf8'), provider));
    const expected = await cacheCliJson(requestsLog, provider, catalog);
    assert.equal(outcome?.provider, provider);
    assert.deepEqual(outcome?.result?.turns, expected.turns.map(turnView));
    assert.deepEqual(outcome?.result?.summary, JSON.parse(JSON.stringify(expected.summary)));
  });
}

test('a long conversation: the worker’s outcome is the extension host’s, with progress up to the last turn on the way', async () => {
  const text = conversation(150);
  const progress: Array<[number, number]> = [];
  const outcome = await client.run(job(text), (done, total) => progress.push([done, total]));
  const onHost = await conversationCache(text, { kind: 'log', title: 'log.jsonl' }, { activeModel: catalog.find('gpt-4o')!, findModel: (id) => catalog.find(id), tokenizer: loadTokenizer });
  assert.deepEqual(outcome, onHost);
  assert.equal(outcome?.result?.turns.length, 151);
  assert.ok(progress.length >= 1);
  assert.deepEqual(progress.at(-1), [151, 151]);
  assert.ok(progress.every(([done, total], index) => total === 151 && (index === 0 || done > progress[index - 1][0])), JSON.stringify(progress));
});

test('a newer job cancels the one in flight, which gives no outcome; the newer one gives its own', async () => {
  const older = client.run(job(conversation(400)));
  const newer = client.run(job(fs.readFileSync(requestsLog, 'utf8'), 'anthropic'));
  assert.equal(await older, undefined);
  assert.equal((await newer)?.provider, 'anthropic');
  const cancelled = client.run(job(conversation(400)));
  client.cancel();
  assert.equal(await cancelled, undefined);
});

test('text with no request gives the reason from the worker too', async () => {
  const outcome = await client.run(job('{"hello": 1}'));
  assert.match(outcome?.reason ?? '', /^No request in log\.jsonl could be read: /);
});
