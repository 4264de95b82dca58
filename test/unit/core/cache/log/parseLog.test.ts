import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { cacheProfile, parseLog, predictLog, readUsage } from '../../../../../src/core/cache';
import { loadCatalog } from '../../../../../src/core/catalog';
import { loadTokenizer, type Tokenizer } from '../../../../../src/core/tokenize';
import { REPO_ROOT } from '../../../../support/paths';

const ROOT = REPO_ROOT;
const fixture = (name: string) => fs.readFileSync(path.join(ROOT, 'test/fixtures/cache', name), 'utf8');
const catalog = loadCatalog();
let o200k: Tokenizer;
before(async () => {
  o200k = await loadTokenizer('o200k_base');
});

test('the example log: three requests, their APIs, timestamps and actual usage', () => {
  const log = parseLog(fs.readFileSync(path.join(ROOT, 'examples/logs/requests.jsonl'), 'utf8'));
  assert.deepEqual(log.notices, []);
  assert.deepEqual(log.requests.map((request) => request.api), ['openai-chat', 'openai-chat', 'anthropic-messages']);
  assert.equal(log.requests[1].timestamp, Date.parse('2026-11-20T09:16:40Z'));
  assert.deepEqual(log.requests[0].actual, { inputTokens: 41, cachedTokens: 0, source: 'prompt_tokens_details.cached_tokens (subset of prompt_tokens)' });
  assert.equal(log.requests[2].actual, undefined);
});

test('bad lines become notices with their line numbers; the good ones are still read', () => {
  const log = parseLog(fixture('bad-lines.jsonl'));
  assert.deepEqual(log.requests.map((request) => request.line), [1, 6, 8]);
  const byLine = new Map(log.notices.map((notice) => [notice.line! + 1, notice]));
  assert.match(byLine.get(2)!.message, /line 2 is not valid JSON/);
  assert.match(byLine.get(3)!.message, /not a JSON object/);
  assert.match(byLine.get(4)!.message, /no "messages" or "input"/);
  assert.match(byLine.get(6)!.message, /timestamp "yesterday-ish"/);
  assert.match(byLine.get(7)!.message, /not valid JSON/);
  assert.match(byLine.get(8)!.message, /no "model"/);
  // Unknown roles and content types are rendered, with a note, instead of failing the line.
  const prediction = predictLog(log, { profile: cacheProfile('openai-automatic'), defaultModel: 'gpt-4o', findModel: (id) => catalog.find(id), tokenizerFor: () => o200k });
  assert.equal(prediction.turns.length, 3);
  assert.match(prediction.turns[1].notes.join('\n'), /hologram content counted as one placeholder token/);
});

test('empty, binary and truncated logs give a clear error and never throw', () => {
  assert.match(parseLog('').notices[0].message, /empty/);
  assert.equal(parseLog('\u0000\u0001\u0002').requests.length, 0);
  assert.ok(parseLog('\u0000\u0001\u0002').notices.some((notice) => notice.severity === 'error'));
  const truncated = parseLog('[{"request": {"model": "gpt-4o", "messages": [');
  assert.ok(truncated.notices.some((notice) => /not valid JSON/.test(notice.message)));
  assert.equal(truncated.requests.length, 0);
});

test('a JSON array of Responses bodies with epoch-second timestamps and prompt_cache_key', () => {
  const log = parseLog(fixture('responses-array.json'));
  assert.deepEqual(log.notices, []);
  assert.deepEqual(log.requests.map((request) => [request.api, request.timestamp, request.promptCacheKey]), [
    ['openai-responses', 1763629200000, 'support'],
    ['openai-responses', 1763629260000, 'support'],
  ]);
  assert.equal(log.requests[0].actual?.source, 'input_tokens_details.cached_tokens (subset of input_tokens)');
});

test('usage fields keep each provider\'s meaning: subset, excludes, partition', () => {
  // OpenAI: cached is a subset of prompt_tokens.
  assert.deepEqual(readUsage({ prompt_tokens: 2006, prompt_tokens_details: { cached_tokens: 1920 } }), { inputTokens: 2006, cachedTokens: 1920, source: 'prompt_tokens_details.cached_tokens (subset of prompt_tokens)' });
  // Anthropic: input_tokens excludes both cache reads and writes.
  const anthropic = readUsage({ input_tokens: 50, cache_read_input_tokens: 1000, cache_creation_input_tokens: 200 });
  assert.deepEqual([anthropic?.inputTokens, anthropic?.cachedTokens, anthropic?.writtenTokens], [1250, 1000, 200]);
  // DeepSeek: hit + miss = prompt_tokens.
  const deepseek = readUsage({ prompt_tokens: 900, prompt_cache_hit_tokens: 640, prompt_cache_miss_tokens: 260 });
  assert.deepEqual([deepseek?.inputTokens, deepseek?.cachedTokens], [900, 640]);
  // Gemini: cachedContentTokenCount is part of promptTokenCount.
  const gemini = readUsage({ promptTokenCount: 5000, cachedContentTokenCount: 4096 });
  assert.deepEqual([gemini?.inputTokens, gemini?.cachedTokens], [5000, 4096]);
  // Bedrock excludes, like Anthropic.
  const bedrock = readUsage({ inputTokens: 10, cacheReadInputTokens: 2000, cacheWriteInputTokens: 0 });
  assert.deepEqual([bedrock?.inputTokens, bedrock?.cachedTokens], [2010, 2000]);
  // GPT-5.6+: cache_write_tokens.
  assert.equal(readUsage({ input_tokens: 3000, input_tokens_details: { cached_tokens: 0, cache_write_tokens: 2900 } })?.writtenTokens, 2900);
  // llama.cpp timings: cache_n reused, prompt_n processed.
  assert.deepEqual(readUsage(undefined, { cache_n: 99, prompt_n: 1 }), { cachedTokens: 99, inputTokens: 100, source: 'timings.cache_n (llama.cpp)' });
  // No cached field: unknown, not zero.
  assert.equal(readUsage({ prompt_tokens: 12 })?.cachedTokens, undefined);
});

test('an Anthropic conversation: system written, read two minutes later, expired after twelve', async () => {
  const claude = await loadTokenizer('hf:claude');
  const log = parseLog(fixture('anthropic-conversation.jsonl'));
  const { turns, summary } = predictLog(log, { profile: cacheProfile('anthropic-breakpoints'), defaultModel: 'claude-sonnet-4-5', findModel: (id) => catalog.find(id), tokenizerFor: () => claude });
  const firstWrite = turns[0].written.max;
  assert.ok(turns[0].written.min > 1024, 'the system prompt plus the first question is written');
  assert.deepEqual(turns[1].cached, { min: firstWrite, max: firstWrite }, 'turn 2 reads what turn 1 wrote at its last breakpoint');
  assert.ok(turns[1].written.min > 0);
  assert.deepEqual(turns[2].cached, { min: 0, max: 0 });
  assert.ok(turns[2].causes.some((cause) => cause.kind === 'ttl-expired'));
  // Same model, same scope: the miss is the TTL, not a model or key change.
  assert.equal(turns[2].causes.some((cause) => cause.kind === 'model-changed' || cause.kind === 'cache-key-changed'), false);
  // Turn 1's write was read by turn 2; turn 2's extra 24-odd tokens were not (turn 3 came too late).
  assert.equal(turns[0].causes.some((cause) => cause.kind === 'write-never-read'), false);
  assert.ok(turns[1].causes.some((cause) => cause.kind === 'write-never-read'));
  // The usage in this fixture is illustrative: the error is the distance from the prediction.
  assert.equal(turns[1].actual?.cachedTokens, 1650);
  assert.equal(turns[1].error, 1650 - firstWrite);
  assert.equal(summary.actual?.turns, 3);
});
