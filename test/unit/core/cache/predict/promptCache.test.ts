import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { analyzePromptCache, generatedValue, openAiIncrements, type PromptCacheOptions } from '../../../../../src/core/cache';
import { loadChatTemplate } from '../../../../../src/core/cache/render/chatTemplateFiles';
import { loadCatalog, type ModelInfo } from '../../../../../src/core/catalog';
import { extractPrompts, initExtractors } from '../../../../../src/core/extract/index';
import { loadTokenizer, type Tokenizer } from '../../../../../src/core/tokenize';
import type { Prompt } from '../../../../../src/core/prompt/types';

const catalog = loadCatalog();
let o200k: Tokenizer;
let claude: Tokenizer;
let gemma: Tokenizer;
let llama: Tokenizer;

before(async () => {
  await initExtractors();
  [o200k, claude, gemma, llama] = await Promise.all([loadTokenizer('o200k_base'), loadTokenizer('hf:claude'), loadTokenizer('hf:gemma3'), loadTokenizer('hf:llama3')]);
});

/** About 2,300 o200k tokens of prose that is the same on every call. */
const HANDBOOK = Array.from({ length: 100 }, (_, i) => `Rule ${i}: answer questions about topic ${i} in two sentences and cite section ${i} of the handbook.`).join('\n');

function promptIn(source: string, file = 'app.ts'): Prompt {
  const { prompts } = extractPrompts(file, source);
  assert.equal(prompts.length, 1, `one prompt in ${source.slice(0, 80)}`);
  return prompts[0];
}

const model = (id: string): ModelInfo => catalog.find(id)!;
const options = (id: string, tokenizer: Tokenizer, extra: Partial<PromptCacheOptions> = {}): PromptCacheOptions => ({ model: model(id), tokenizer, findModel: (name) => catalog.find(name), ...extra });

test('a static prompt is cached from the second call in OpenAI increments of 128, and has no dynamic part', () => {
  const prompt = promptIn(`const systemPrompt = \`You are a support bot.\n${HANDBOOK}\`;`);
  const report = analyzePromptCache(prompt, options('gpt-4o', o200k));
  assert.equal(report.profile.id, 'openai-automatic');
  assert.equal(report.firstDynamic, undefined);
  assert.equal(report.staticPrefixTokens, o200k.count(`You are a support bot.\n${HANDBOOK}`));
  // [start] system [message] text [end] + reply priming: every call renders the same tokens.
  assert.equal(report.cacheablePrefixTokens, report.totalTokens);
  assert.deepEqual(report.cachedFromSecondCall, { min: openAiIncrements(report.totalTokens, report.totalTokens).max, max: openAiIncrements(report.totalTokens, report.totalTokens).max });
  assert.equal(report.certainty, 'eligible');
  assert.equal(report.calls.turns.length, 5);
  assert.equal(report.calls.turns[0].cached.max, 0);
});

test('a user field at the top of a long prompt leaves nothing to cache, and the report points at it', () => {
  const prompt = promptIn(`const systemPrompt = \`Hello \${user.name}, welcome back.\n${HANDBOOK}\`;`);
  const report = analyzePromptCache(prompt, options('gpt-4o', o200k));
  assert.equal(report.staticPrefixTokens, o200k.count('Hello '));
  assert.deepEqual(report.firstDynamic && { source: report.firstDynamic.source, segmentIndex: report.firstDynamic.segmentIndex, tokenIndex: report.firstDynamic.tokenIndex }, {
    source: '${user.name}',
    segmentIndex: 1,
    tokenIndex: report.contentStart + report.staticPrefixTokens,
  });
  assert.deepEqual(report.cachedFromSecondCall, { min: 0, max: 0 });
  // Each call has another user: the calls part right where the name starts.
  assert.ok(report.cacheablePrefixTokens <= report.firstDynamic!.tokenIndex, `${report.cacheablePrefixTokens}`);
  assert.ok(report.calls.turns[1].causes.some((cause) => cause.kind === 'below-minimum' || cause.kind === 'prefix-changed'));
});

test('the same field at the end leaves the handbook cacheable', () => {
  const prompt = promptIn(`const systemPrompt = \`${HANDBOOK}\nThe user is \${user.name}.\`;`);
  const report = analyzePromptCache(prompt, options('gpt-4o', o200k));
  const expected = openAiIncrements(report.cacheablePrefixTokens, report.totalTokens);
  assert.ok(report.cachedFromSecondCall.max >= 1024 && report.cachedFromSecondCall.max === expected.max);
  assert.ok(report.cacheablePrefixTokens >= report.contentStart + report.staticPrefixTokens - 1);
});

test('values given by the user replace the generated ones: the same value on every call caches the whole prompt', () => {
  const prompt = promptIn(`const systemPrompt = \`Hello \${user.name}.\n${HANDBOOK}\`;`);
  const report = analyzePromptCache(prompt, options('gpt-4o', o200k, { values: { 'user.name': ['Ada'] } }));
  assert.equal(report.cacheablePrefixTokens, report.totalTokens);
  assert.ok(report.cachedFromSecondCall.max >= 1024);
});

test('Anthropic: as written nothing is cached (no cache_control); the reported figure assumes a breakpoint after the static prefix', () => {
  const prompt = promptIn(`const systemPrompt = \`${HANDBOOK}\nThe user is \${user.name}.\`;`);
  const report = analyzePromptCache(prompt, options('claude-sonnet-4-5', claude));
  assert.equal(report.profile.id, 'anthropic-breakpoints');
  assert.equal(report.assumesBreakpoint, true);
  assert.ok(report.calls.turns.every((turn) => turn.cached.max === 0));
  assert.ok(report.calls.turns[1].causes.some((cause) => cause.kind === 'no-breakpoint'));
  // The breakpoint sits after the static prefix: its tokens and the block framing before it, read on calls 2..N.
  assert.ok(report.breakpointCalls);
  assert.equal(report.cachedFromSecondCall.min, report.cachedFromSecondCall.max);
  assert.ok(Math.abs(report.cachedFromSecondCall.max - (report.contentStart + report.staticPrefixTokens)) <= 1, JSON.stringify(report.cachedFromSecondCall));
  assert.ok(report.notes.some((note) => /breakpoint/.test(note)));
});

test('Gemini implicit caching is a range from 0, never one exact number', () => {
  const prompt = promptIn(`const systemPrompt = \`${HANDBOOK}\nThe user is \${user.name}.\`;`);
  const report = analyzePromptCache(prompt, options('gemini-2.5-flash', gemma));
  assert.equal(report.certainty, 'probabilistic');
  assert.equal(report.cachedFromSecondCall.min, 0);
  assert.ok(report.cachedFromSecondCall.max > 1024);
});

test('vLLM serving Llama: the calls are the chat template\'s tokens, header special tokens included, cached in 16-token blocks', () => {
  const prompt = promptIn(`const systemPrompt = \`${HANDBOOK}\nThe user is \${user.name}.\`;`);
  const values = { 'user.name': ['Ada', 'Grace', 'Alan'] };
  const report = analyzePromptCache(prompt, options('llama-3.3-70b', llama, { values, chatTemplate: loadChatTemplate('hf:llama3') }));
  assert.equal(report.profile.id, 'vllm');
  // <|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n, then the text, <|eot_id|> and the reply header
  // <|start_header_id|>assistant<|end_header_id|>\n\n (Llama 3 Instruct's chat_template).
  assert.equal(report.contentStart, 5);
  assert.equal(report.totalTokens, 5 + llama.count(`${HANDBOOK}\nThe user is Ada.`) + 1 + 4);
  assert.ok(Math.abs(report.cacheablePrefixTokens - (report.contentStart + report.staticPrefixTokens)) <= 1, `${report.cacheablePrefixTokens}`);
  // vLLM reuses whole blocks of 16 tokens [reference §11].
  assert.equal(report.cachedFromSecondCall.max, Math.floor(report.cacheablePrefixTokens / 16) * 16);
  assert.ok(!report.notes.some((note) => /approximated/.test(note)), report.notes.join('; '));

  // Without the template the count falls back to OpenAI's framing, and the report says so.
  const framed = analyzePromptCache(prompt, options('llama-3.3-70b', llama, { values }));
  assert.notEqual(framed.totalTokens, report.totalTokens);
  assert.ok(framed.notes.some((note) => /approximated here with OpenAI's message framing/.test(note)), framed.notes.join('; '));
});

test('generated values: times advance per call, dates stay on the day, ids and users differ from their first character', () => {
  const times = [0, 1, 2].map((call) => generatedValue('datetime.now()', '{datetime.now()}', call));
  assert.equal(new Set(times).size, 3);
  assert.ok(times.every((time) => /^\d{4}-\d{2}-\d{2}T/.test(time)));
  assert.equal(new Set([0, 1, 2].map((call) => generatedValue('datetime.now()', '{datetime.now():%Y-%m-%d}', call))).size, 1);
  const ids = [0, 1, 2, 3].map((call) => generatedValue('uuid4()', '{uuid4()}', call));
  assert.equal(new Set(ids.map((id) => id[0])).size, 4);
  const names = [0, 1].map((call) => generatedValue('user.name', '${user.name}', call));
  assert.notEqual(names[0][0], names[1][0]);
  assert.notEqual(generatedValue('question', '{question}', 0)[0], generatedValue('question', '{question}', 1)[0]);
});

test('a prompt with odd segments (half-typed code) gives a report, never an exception', () => {
  const broken: Prompt = {
    id: 'template@0:0',
    kind: 'template',
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } },
    reason: 'name:prompt',
    segments: [
      { kind: 'dynamic', text: '${', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 2 } } },
      { kind: 'static', text: '', range: { start: { line: 9, character: 0 }, end: { line: 0, character: 0 } } },
    ],
  };
  const report = analyzePromptCache(broken, options('gpt-4o', o200k));
  assert.equal(report.firstDynamic?.source, '${');
  assert.equal(report.cachedFromSecondCall.max, 0);
  const empty = analyzePromptCache({ ...broken, segments: [] }, options('gpt-4o', o200k, { calls: 1 }));
  assert.equal(empty.staticPrefixTokens, 0);
  assert.equal(empty.calls.turns.length, 2, 'at least two calls are simulated');
});
