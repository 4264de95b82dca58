import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cacheProfile, predictConversation, type BlockSpan, type CacheProfileId, type ConversationRequest, type RenderedRequest } from '../../../../../src/core/cache';
import { loadCatalog } from '../../../../../src/core/catalog';

const MINUTE = 60_000;
const catalog = loadCatalog();

/** Token ids 0..n-1 shifted by `salt`, so two sequences share exactly the tokens before their salts differ. */
const ids = (n: number, salt = 0) => Array.from({ length: n }, (_, i) => i + salt * 1_000_000);

function request(tokens: number[], options: { model?: string; blocks?: BlockSpan[]; automatic?: '5m' | '1h'; at?: number; key?: string } = {}): ConversationRequest {
  const rendered: RenderedRequest = {
    api: 'openai-chat',
    model: options.model ?? 'gpt-4o',
    tokens: Int32Array.from(tokens),
    parts: [{ start: 0, end: tokens.length, part: { kind: 'message', index: 0, field: 'content', path: 'messages[0].content' } }],
    blocks: options.blocks ?? [],
    automaticBreakpoint: options.automatic ? { ttl: options.automatic } : undefined,
    tools: [],
    notes: [],
  };
  return { rendered, timestamp: options.at, promptCacheKey: options.key };
}

const predict = (profile: CacheProfileId, requests: ConversationRequest[]) =>
  predictConversation(requests, { profile: cacheProfile(profile), findModel: (id) => catalog.find(id) });

test('OpenAI: a repeated 2,006-token prompt is eligible for 1,920 cached tokens on the second call', () => {
  const { turns } = predict('openai-automatic', [request(ids(2006), { at: 0 }), request(ids(2006), { at: MINUTE })]);
  assert.deepEqual(turns[0].cached, { min: 0, max: 0 });
  assert.equal(turns[0].causes[0].kind, 'cold-start');
  assert.deepEqual(turns[1].cached, { min: 1920, max: 1920 });
  assert.deepEqual(turns[1].uncached, { min: 86, max: 86 });
  assert.equal(turns[1].reusedFrom, 1);
  assert.equal(turns[1].certainty, 'eligible');
  // gpt-4o: $2.50 input, $1.25 cached per 1M tokens (catalogue).
  assert.ok(Math.abs(turns[1].cost.withCache!.min - (86 * 2.5 + 1920 * 1.25) / 1e6) < 1e-12);
  assert.ok(Math.abs(turns[1].cost.withoutCache! - (2006 * 2.5) / 1e6) < 1e-12);
});

test('OpenAI: just below and just above the 1,024-token minimum', () => {
  const shared = (n: number) => [...ids(n), ...ids(500, 7)];
  const below = predict('openai-automatic', [request(shared(1023)), request([...ids(1023), ...ids(500, 8)])]).turns[1];
  assert.deepEqual(below.cached, { min: 0, max: 0 });
  assert.equal(below.reusedPrefix, 1023);
  assert.ok(below.causes.some((cause) => cause.kind === 'below-minimum'));
  const above = predict('openai-automatic', [request(shared(1024)), request([...ids(1024), ...ids(500, 8)])]).turns[1];
  assert.deepEqual(above.cached, { min: 1024, max: 1024 });
});

test('OpenAI: the prefix is found in ANY earlier request, not only the previous one', () => {
  const { turns } = predict('openai-automatic', [request(ids(3000, 0)), request(ids(3000, 1)), request(ids(3000, 0))]);
  assert.equal(turns[2].reusedFrom, 1);
  assert.deepEqual(turns[2].cached, { min: 2944, max: 2944 });
});

test('OpenAI: TTL — within 5 min certain, 5 min–1 h a range, past 1 h expired', () => {
  const at = (gap: number) => predict('openai-automatic', [request(ids(2006), { at: 0 }), request(ids(2006), { at: gap })]).turns[1];
  assert.deepEqual(at(4 * MINUTE).cached, { min: 1920, max: 1920 });
  const uncertain = at(7 * MINUTE);
  assert.deepEqual(uncertain.cached, { min: 0, max: 1920 });
  assert.ok(uncertain.causes.some((cause) => cause.kind === 'ttl-expired'));
  const expired = at(2 * 60 * MINUTE);
  assert.deepEqual(expired.cached, { min: 0, max: 0 });
  assert.match(expired.causes.find((cause) => cause.kind === 'ttl-expired')!.message, /idle 120 min/);
});

test('OpenAI: prompt_cache_key scopes the cache; a different model shares nothing and says so', () => {
  const keyed = predict('openai-automatic', [request(ids(2006), { key: 'a' }), request(ids(2006), { key: 'b' })]).turns[1];
  assert.deepEqual(keyed.cached, { min: 0, max: 0 });
  assert.equal(keyed.causes[0].kind, 'cache-key-changed');
  const model = predict('openai-automatic', [request(ids(2006)), request(ids(2006), { model: 'gpt-4o-mini' })]).turns[1];
  assert.deepEqual(model.cached, { min: 0, max: 0 });
  assert.equal(model.causes[0].kind, 'model-changed');
});

test('OpenAI: more than ~15 requests a minute on one prefix makes hits uncertain (routing overflow)', () => {
  const requests = Array.from({ length: 17 }, (_, i) => request(ids(2006), { at: i * 1000 }));
  const { turns } = predict('openai-automatic', requests);
  assert.deepEqual(turns[14].cached, { min: 1920, max: 1920 });
  assert.deepEqual(turns[16].cached, { min: 0, max: 1920 });
  assert.ok(turns[16].causes.some((cause) => cause.kind === 'routing'));
});

test('vLLM: hits stop at the last full 16-token block and at n−1', () => {
  const partial = predict('vllm', [request(ids(100)), request([...ids(47), ...ids(53, 3)])]).turns[1];
  assert.equal(partial.reusedPrefix, 47);
  assert.deepEqual(partial.cached, { min: 32, max: 32 });
  assert.ok(partial.causes.some((cause) => cause.kind === 'granularity'));
  const identical = predict('vllm', [request(ids(64)), request(ids(64))]).turns[1];
  assert.deepEqual(identical.cached, { min: 48, max: 48 });
});

test('SGLang keeps every earlier request (radix); llama.cpp with one slot only the last one', () => {
  const conversation = () => [request(ids(100, 0)), request(ids(100, 1)), request(ids(100, 0))];
  assert.deepEqual(predict('sglang', conversation()).turns[2].cached, { min: 99, max: 99 });
  const llama = predict('llama.cpp', conversation()).turns[2];
  assert.deepEqual(llama.cached, { min: 0, max: 0 });
  const twoSlots = predictConversation(conversation(), { profile: cacheProfile('llama.cpp'), engine: { slots: 2 } }).turns[2];
  assert.deepEqual(twoSlots.cached, { min: 99, max: 99 });
  assert.equal(twoSlots.reusedFrom, 1);
});

/** Blocks every `size` tokens; `marks` lists the block indexes with a cache_control breakpoint. */
function blocks(count: number, size: number, marks: number[], ttl: '5m' | '1h' = '5m'): BlockSpan[] {
  return Array.from({ length: count }, (_, index) => ({ end: (index + 1) * size, path: `messages[${index}].content`, ...(marks.includes(index) ? { breakpoint: { ttl } } : {}) }));
}

const claude = (tokens: number[], blockList: BlockSpan[], at = 0, model = 'claude-sonnet-4-5') => request(tokens, { model, blocks: blockList, at });

test('Anthropic: a breakpoint above the minimum is written, then read by the next request', () => {
  const { turns } = predict('anthropic-breakpoints', [claude(ids(1500), blocks(3, 500, [2])), claude(ids(2000), blocks(4, 500, [3]), MINUTE)]);
  assert.deepEqual(turns[0].written, { min: 1500, max: 1500 });
  assert.deepEqual(turns[0].cached, { min: 0, max: 0 });
  assert.deepEqual(turns[1].cached, { min: 1500, max: 1500 });
  assert.deepEqual(turns[1].written, { min: 500, max: 500 });
  assert.deepEqual(turns[1].uncached, { min: 0, max: 0 });
  // Sonnet 4.5: $3 input, $0.30 read, $3.75 5-minute write per 1M tokens.
  assert.ok(Math.abs(turns[1].cost.withCache!.max - (1500 * 0.3 + 500 * 3.75) / 1e6) < 1e-12);
  assert.equal(turns[1].causes.find((cause) => cause.kind === 'write-never-read')?.kind, 'write-never-read');
  assert.equal(turns[0].causes.some((cause) => cause.kind === 'write-never-read'), false);
});

test('Anthropic: below the model minimum nothing is written (Sonnet 4.5: 1,024; Haiku 4.5: 4,096)', () => {
  const just = (n: number, model: string) => predict('anthropic-breakpoints', [claude(ids(n), blocks(1, n, [0]), 0, model)]).turns[0];
  assert.deepEqual(just(1023, 'claude-sonnet-4-5').written, { min: 0, max: 0 });
  assert.ok(just(1023, 'claude-sonnet-4-5').causes.some((cause) => cause.kind === 'below-minimum'));
  assert.deepEqual(just(1024, 'claude-sonnet-4-5').written, { min: 1024, max: 1024 });
  assert.deepEqual(just(3000, 'claude-haiku-4-5').written, { min: 0, max: 0 });
  // Sonnet 4.6: 1,024 or 2,048 depending on the source, so a range.
  assert.deepEqual(just(1500, 'claude-sonnet-4-6').written, { min: 0, max: 1500 });
});

test('Anthropic: an entry more than 20 blocks before the only breakpoint is not found (lookback)', () => {
  const first = claude(ids(9000), blocks(30, 300, [5]));
  const tooFar = predict('anthropic-breakpoints', [first, claude(ids(9300), blocks(31, 300, [30]), MINUTE)]).turns[1];
  // Breakpoint at block 30 looks at blocks 30..11; the entry is at block 5.
  assert.deepEqual(tooFar.cached, { min: 0, max: 0 });
  assert.ok(tooFar.causes.some((cause) => cause.kind === 'lookback-exceeded'));
  const nearEnough = predict('anthropic-breakpoints', [first, claude(ids(9300), blocks(31, 300, [24]), MINUTE)]).turns[1];
  assert.deepEqual(nearEnough.cached, { min: 1800, max: 1800 });
  assert.equal(nearEnough.causes.some((cause) => cause.kind === 'lookback-exceeded'), false);
});

test('Anthropic: the 5-minute TTL expires, the 1-hour one does not, and a read refreshes it', () => {
  const after = (gap: number, ttl: '5m' | '1h') =>
    predict('anthropic-breakpoints', [claude(ids(2000), blocks(2, 1000, [1], ttl)), claude(ids(2000), blocks(2, 1000, [1], ttl), gap)]).turns[1];
  assert.deepEqual(after(4 * MINUTE, '5m').cached, { min: 2000, max: 2000 });
  const expired = after(6 * MINUTE, '5m');
  assert.deepEqual(expired.cached, { min: 0, max: 0 });
  assert.ok(expired.causes.some((cause) => cause.kind === 'ttl-expired'));
  assert.deepEqual(after(30 * MINUTE, '1h').cached, { min: 2000, max: 2000 });
  const refreshed = predict('anthropic-breakpoints', [0, 4, 8, 12].map((minute) => claude(ids(2000), blocks(2, 1000, [1]), minute * MINUTE))).turns;
  assert.deepEqual(refreshed[3].cached, { min: 2000, max: 2000 });
});

test('Anthropic: no cache_control means nothing cached; automatic mode marks the last block; 5 breakpoints are rejected', () => {
  const none = predict('anthropic-breakpoints', [claude(ids(2000), blocks(2, 1000, [])), claude(ids(2000), blocks(2, 1000, []))]).turns[1];
  assert.deepEqual(none.cached, { min: 0, max: 0 });
  assert.ok(none.causes.some((cause) => cause.kind === 'no-breakpoint'));
  const automatic = predict('anthropic-breakpoints', [request(ids(2000), { model: 'claude-sonnet-4-5', blocks: blocks(2, 1000, []), automatic: '5m' }), request(ids(3000), { model: 'claude-sonnet-4-5', blocks: blocks(3, 1000, []), automatic: '5m' })]).turns;
  assert.deepEqual(automatic[0].written, { min: 2000, max: 2000 });
  assert.deepEqual(automatic[1].cached, { min: 2000, max: 2000 });
  const five = predict('anthropic-breakpoints', [claude(ids(5000), blocks(5, 1000, [0, 1, 2, 3, 4]))]).turns[0];
  assert.deepEqual(five.written, { min: 0, max: 0 });
  assert.ok(five.causes.some((cause) => cause.kind === 'too-many-breakpoints'));
});

test('Anthropic rules on a model they do not name: the unknown minimum makes a range, said so, never "exact"', () => {
  const { turns } = predict('anthropic-breakpoints', [claude(ids(1500), blocks(3, 500, [2]), 0, 'gpt-4o'), claude(ids(2000), blocks(4, 500, [3]), MINUTE, 'gpt-4o')]);
  assert.ok(turns[1].cached.max > turns[1].cached.min, 'a range');
  assert.equal(turns[1].certainty, 'eligible');
  assert.match(turns[1].causes.find((cause) => cause.kind === 'below-minimum')?.message ?? '', /not published for these rules/);
});

test('Bedrock: each checkpoint needs another minimum after the previous one', () => {
  const turn = predictConversation([claude(ids(1500), blocks(3, 500, [0, 2]), 0, 'anthropic.claude-opus-4-20250514-v1:0')], { profile: cacheProfile('bedrock') }).turns[0];
  // Opus 4: 1,024. Checkpoint at 500 is too short; the one at 1,500 is 1,500 after 0, so it is written.
  assert.deepEqual(turn.written, { min: 1500, max: 1500 });
});

test('Gemini implicit: a range from 0 to the shared prefix, never an exact number', () => {
  const turn = predict('gemini-implicit', [request(ids(6000), { model: 'gemini-2.5-flash' }), request(ids(6000), { model: 'gemini-2.5-flash' })]).turns[1];
  assert.deepEqual(turn.cached, { min: 0, max: 6000 });
  assert.equal(turn.certainty, 'probabilistic');
  assert.ok(turn.causes.some((cause) => cause.kind === 'probabilistic'));
});

test('predicted next to actual: the error is the distance to the predicted range', () => {
  const second = request(ids(2006));
  second.actual = { inputTokens: 2006, cachedTokens: 1792, source: 'test' };
  const turn = predict('openai-automatic', [request(ids(2006)), second]).turns[1];
  assert.equal(turn.error, 1792 - 1920);
  const { summary } = predict('openai-automatic', [request(ids(2006)), second]);
  assert.equal(summary.actual?.meanAbsoluteError, 128);
  assert.ok(summary.cachedShare.max > 0.47 && summary.cachedShare.max < 0.48);
  assert.ok(summary.saved!.max > 0);
});
