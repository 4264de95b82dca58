import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cacheProfile, fullBlocks, isOpenAiBreakpointModel, openAiIncrements, profileForProvider } from '../../../../../src/core/cache';

test('OpenAI: the documented repeated 2,006-token prompt reports 1,920 cached tokens', () => {
  assert.deepEqual(openAiIncrements(2006, 2006), { min: 1920, max: 1920 });
});

test('OpenAI: nothing below 1,024 shared tokens, then 128-token increments', () => {
  assert.equal(openAiIncrements(1023, 5000).max, 0);
  assert.deepEqual(openAiIncrements(1024, 5000), { min: 1024, max: 1024 });
  assert.deepEqual(openAiIncrements(1151, 5000), { min: 1024, max: 1024 });
  assert.deepEqual(openAiIncrements(1152, 5000), { min: 1152, max: 1152 });
});

test('OpenAI: an identical resend whose length is a multiple of 128 is a range (undocumented last increment)', () => {
  assert.deepEqual(openAiIncrements(2048, 2048), { min: 1920, max: 2048 });
});

test('vLLM: full 16-token blocks, at most n−1 tokens, block size configurable', () => {
  assert.equal(fullBlocks(47, 100, 16), 32);
  assert.equal(fullBlocks(48, 100, 16), 48);
  // An identical 64-token prompt loses its last block: the last token is recomputed for logits.
  assert.equal(fullBlocks(64, 64, 16), 48);
  assert.equal(fullBlocks(65, 65, 16), 64);
  const vllm = cacheProfile('vllm');
  assert.deepEqual(vllm.hit(100, 200, '', { blockSize: 32 }), { min: 96, max: 96 });
});

test('SGLang and llama.cpp: token-level, capped at n−1', () => {
  assert.deepEqual(cacheProfile('sglang').hit(100, 100, '', {}), { min: 99, max: 99 });
  assert.deepEqual(cacheProfile('sglang').hit(57, 100, '', {}), { min: 57, max: 57 });
  assert.deepEqual(cacheProfile('sglang').hit(57, 100, '', { blockSize: 16 }), { min: 48, max: 48 });
  assert.deepEqual(cacheProfile('llama.cpp').hit(100, 100, '', {}), { min: 99, max: 99 });
});

test('Anthropic minimums per model follow the 2026 table; conflicts and unknown models are ranges', () => {
  const minimum = cacheProfile('anthropic-breakpoints').minimum;
  assert.deepEqual(minimum('claude-sonnet-4-5'), { min: 1024, max: 1024 });
  assert.deepEqual(minimum('claude-opus-4-1'), { min: 1024, max: 1024 });
  assert.deepEqual(minimum('claude-haiku-4-5'), { min: 4096, max: 4096 });
  assert.deepEqual(minimum('claude-opus-4-5-20251101'), { min: 4096, max: 4096 });
  assert.deepEqual(minimum('claude-opus-4-7'), { min: 2048, max: 2048 });
  assert.deepEqual(minimum('claude-3-5-haiku-20241022'), { min: 2048, max: 2048 });
  assert.deepEqual(minimum('claude-opus-5'), { min: 512, max: 512 });
  assert.deepEqual(minimum('claude-sonnet-4-6'), { min: 1024, max: 2048 });
  assert.deepEqual(minimum('claude-next'), { min: 512, max: 4096 });
});

test('Gemini minimums are ranges where the documentation changed', () => {
  const minimum = cacheProfile('gemini-implicit').minimum;
  assert.deepEqual(minimum('gemini-2.5-flash'), { min: 1024, max: 2048 });
  assert.deepEqual(minimum('gemini-2.5-pro'), { min: 2048, max: 4096 });
  assert.deepEqual(minimum('gemini-3.5-flash'), { min: 4096, max: 4096 });
  assert.deepEqual(cacheProfile('gemini-implicit').hit(5000, 6000, 'gemini-2.5-flash', {}), { min: 0, max: 5000 });
});

test('DeepSeek: 64-token units; V4 units are unpublished, so a range', () => {
  assert.deepEqual(cacheProfile('deepseek').hit(200, 300, 'deepseek-v3', {}), { min: 192, max: 192 });
  assert.deepEqual(cacheProfile('deepseek').hit(200, 300, 'deepseek-v4-flash', {}), { min: 192, max: 200 });
});

test('TTLs: Anthropic 5 min or 1 h; OpenAI in-memory is 5 min certain, up to 1 h; 24h retention', () => {
  const anthropic = cacheProfile('anthropic-breakpoints');
  assert.equal(anthropic.ttl({ model: 'claude-sonnet-4-5' })?.maxMs, 5 * 60_000);
  assert.equal(anthropic.ttl({ model: 'claude-sonnet-4-5', breakpointTtl: '1h' })?.maxMs, 60 * 60_000);
  const openai = cacheProfile('openai-automatic');
  assert.deepEqual([openai.ttl({ model: 'gpt-4o' })?.minMs, openai.ttl({ model: 'gpt-4o' })?.maxMs], [5 * 60_000, 60 * 60_000]);
  assert.equal(openai.ttl({ model: 'gpt-4o', retention: '24h' })?.maxMs, 24 * 60 * 60_000);
  assert.equal(openai.ttl({ model: 'gpt-5.5' })?.maxMs, 24 * 60 * 60_000);
  assert.equal(cacheProfile('vllm').ttl({ model: 'x' }), undefined);
});

test('provider names pick the regime; GPT-5.6+ uses breakpoints', () => {
  assert.equal(isOpenAiBreakpointModel('gpt-5.6-sol'), true);
  assert.equal(isOpenAiBreakpointModel('gpt-6'), true);
  assert.equal(isOpenAiBreakpointModel('gpt-5.5'), false);
  assert.equal(isOpenAiBreakpointModel('gpt-4o'), false);
  assert.equal(profileForProvider('openai', 'gpt-4o')?.id, 'openai-automatic');
  assert.equal(profileForProvider('openai', 'gpt-5.6-terra')?.id, 'openai-breakpoints');
  assert.equal(profileForProvider('Anthropic')?.id, 'anthropic-breakpoints');
  assert.equal(profileForProvider('gemini')?.id, 'gemini-implicit');
  assert.equal(profileForProvider('llama.cpp')?.id, 'llama.cpp');
  assert.equal(profileForProvider('bedrock')?.id, 'bedrock');
  assert.equal(profileForProvider('nonsense'), undefined);
});
