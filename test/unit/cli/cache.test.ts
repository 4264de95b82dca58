import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { UsageError } from '../../../src/cli/exit';
import { runCli } from '../../support/cli';
import { REPO_ROOT } from '../../support/paths';

const ROOT = REPO_ROOT;
process.chdir(ROOT);
const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'promptlens-cache-'));
after(() => fs.rmSync(temp, { recursive: true, force: true }));

function writeLog(name: string, lines: unknown[]): string {
  const file = path.join(temp, name);
  fs.writeFileSync(file, lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n'));
  return file;
}

const SYSTEM = 'You are the support assistant for Northwind Cloud. Answer from the runbook below.\n' + 'Runbook step: check the deployment status page, then the billing queue. '.repeat(150);

test('cache prints the per-turn table and a summary; repeated long prompts are eligible for cache', async () => {
  const body = (question: string) => ({ model: 'gpt-4o', messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: question }] });
  const file = writeLog('openai.jsonl', [
    { timestamp: '2026-11-20T09:00:00Z', request: body('How do I rotate a key?'), response: { usage: { prompt_tokens: 1800, prompt_tokens_details: { cached_tokens: 0 } } } },
    { timestamp: '2026-11-20T09:01:00Z', request: body('How do I delete a key?'), response: { usage: { prompt_tokens: 1800, prompt_tokens_details: { cached_tokens: 1664 } } } },
  ]);
  const run = await runCli(['cache', file, '--provider', 'openai']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /turn\s+line\s+from\s+input\s+cached\s+written\s+uncached/);
  const second = run.stdout.split('\n').find((line) => /^\s+2\s/.test(line))!;
  // 2,278 shared tokens (up to the question) → 1,024 + 9 × 128.
  assert.match(second, /≤2,176/);
  assert.match(second, /messages\[1\]\.content prefix-changed/);
  assert.match(run.stdout, /Summary: 2 turns/);
  assert.match(run.stdout, /Cost: \$\d/);
  assert.match(run.stdout, /Actual usage on 2 turns: 1,664 cached/);
  assert.match(second, /1,664 \(-512\)/);
});

test('cache --json gives turns, summary and notices; the provider defaults to the model\'s rules', async () => {
  const run = await runCli(['cache', 'examples/logs/requests.jsonl', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const json = JSON.parse(run.stdout);
  assert.equal(json.version, 1);
  assert.equal(json.profile.id, 'openai-automatic');
  assert.equal(json.turns.length, 3);
  assert.deepEqual(Object.keys(json.turns[1].cached), ['min', 'max']);
  assert.equal(json.turns[0].actual.cachedTokens, 0);
  assert.equal(typeof json.summary.cachedShare.max, 'number');
});

test('bad lines are reported with their line numbers and do not change the exit code', async () => {
  const run = await runCli(['cache', 'test/fixtures/cache/bad-lines.jsonl', '--provider', 'openai']);
  assert.equal(run.code, 0);
  assert.match(run.stderr, /bad-lines\.jsonl:2: warning: line 2 is not valid JSON/);
  assert.match(run.stderr, /bad-lines\.jsonl:4: warning/);
  assert.match(run.stdout, /Summary: 3 turns/);
});

test('a log with nothing readable, or no file, exits 3; usage mistakes exit 2', async () => {
  const junk = writeLog('junk.jsonl', ['not json', '{"also": "not a request"}']);
  const nothing = await runCli(['cache', junk, '--provider', 'anthropic']);
  assert.equal(nothing.code, 3);
  assert.match(nothing.stderr, /no request in the log could be read/);
  const binary = path.join(temp, 'binary.jsonl');
  fs.writeFileSync(binary, Buffer.from([0x7b, 0x00, 0xff, 0x10, 0x0a]));
  const binaryRun = await runCli(['cache', binary]);
  assert.equal(binaryRun.code, 3);
  assert.match(binaryRun.stderr, /looks binary/);
  const withoutProvider = await runCli(['cache', junk]);
  assert.equal(withoutProvider.code, 3, 'an unreadable log is an input error, not a missing --provider');
  assert.match(withoutProvider.stderr, /junk\.jsonl:1: warning: line 1 is not valid JSON/);
  assert.equal((await runCli(['cache', path.join(temp, 'missing.jsonl'), '--provider', 'openai'])).code, 3);
  await assert.rejects(runCli(['cache', 'examples/logs/requests.jsonl', '--provider', 'acme']), (error: unknown) => error instanceof UsageError && /unknown provider "acme"/.test(error.message));
  await assert.rejects(runCli(['cache']), UsageError);
  await assert.rejects(runCli(['scan', 'src', '--provider', 'openai']), /only used by the cache command/);
  const unknownModel = writeLog('unknown-model.jsonl', [{ request: { model: 'my-finetune', messages: [{ role: 'user', content: 'hi' }] } }]);
  await assert.rejects(runCli(['cache', unknownModel]), /needs --provider/);
  const engine = await runCli(['cache', unknownModel, '--provider', 'vllm']);
  assert.equal(engine.code, 0);
  assert.match(engine.stderr, /my-finetune" is not in the catalogue: tokens counted with hf:llama3/);
});

test('a messages file is a conversation: one request per assistant reply, the second reusing the first', async () => {
  const run = await runCli(['cache', 'examples/conversation.json', '--provider', 'vllm', '--model', 'llama-3.3-70b', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const json = JSON.parse(run.stdout);
  assert.equal(json.turns.length, 2, 'before the assistant reply, and the whole conversation');
  assert.ok(json.turns[1].reusedPrefix >= json.turns[0].inputTokens - 1, 'the second request starts with the first');
  assert.equal(json.turns[1].cached.min % 16, 0, 'vLLM caches whole 16-token blocks');
});
