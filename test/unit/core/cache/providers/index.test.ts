import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CACHE_PROFILE_IDS, cacheProfile, PROVIDER_NAMES, profileForProvider } from '../../../../../src/core/cache';

test('every profile is registered under its own id', () => {
  for (const id of CACHE_PROFILE_IDS) assert.equal(cacheProfile(id).id, id);
});

test('each provider name picks one profile when the model does not decide', () => {
  const names = new Set(CACHE_PROFILE_IDS.flatMap((id) => cacheProfile(id).providerNames));
  for (const name of names) {
    const defaults = CACHE_PROFILE_IDS.filter((id) => cacheProfile(id).providerNames.includes(name) && !cacheProfile(id).forModels);
    assert.equal(defaults.length, 1, `${name}: ${defaults.join(', ')}`);
  }
});

test('provider names are listed provider by provider, then the regimes by id', () => {
  assert.deepEqual(PROVIDER_NAMES, [
    'openai', 'anthropic', 'gemini', 'deepseek', 'xai', 'bedrock', 'vllm', 'sglang', 'llama.cpp',
    'openai-automatic', 'openai-breakpoints', 'anthropic-breakpoints', 'gemini-implicit', 'gemini-explicit',
  ]);
});

test('other names a user may type pick the same profiles', () => {
  const picks = [
    ['azure', 'gpt-4o', 'openai-automatic'],
    ['azure', 'gpt-5.6', 'openai-breakpoints'],
    ['claude', '', 'anthropic-breakpoints'],
    ['google', '', 'gemini-implicit'],
    ['gemini-explicit', '', 'gemini-explicit'],
    [' Grok ', '', 'xai'],
    ['aws', '', 'bedrock'],
    ['llamacpp', '', 'llama.cpp'],
    ['llama-cpp', '', 'llama.cpp'],
  ];
  assert.deepEqual(
    picks.map(([name, model]) => [name, model, profileForProvider(name, model)?.id]),
    picks,
  );
});

test('short names, fallback tokenizers, request APIs and chat-template engines per profile', () => {
  const rows = CACHE_PROFILE_IDS.map((id) => {
    const profile = cacheProfile(id);
    return [id, profile.shortName, profile.fallbackTokenizer, profile.requestApi, profile.chatTemplateEngine?.name ?? '-'];
  });
  assert.deepEqual(rows, [
    ['openai-automatic', 'OpenAI', 'o200k_base', 'openai-chat', '-'],
    ['openai-breakpoints', 'OpenAI', 'o200k_base', 'openai-chat', '-'],
    ['anthropic-breakpoints', 'Anthropic', 'hf:claude', 'anthropic-messages', '-'],
    ['gemini-implicit', 'Gemini', 'hf:gemma3', 'openai-chat', '-'],
    ['gemini-explicit', 'Gemini', 'hf:gemma3', 'openai-chat', '-'],
    ['deepseek', 'DeepSeek', 'hf:deepseek_v3', 'openai-chat', '-'],
    ['xai', 'xAI', 'o200k_base', 'openai-chat', '-'],
    ['bedrock', 'Bedrock', 'hf:claude', 'anthropic-messages', '-'],
    ['vllm', 'vLLM', 'hf:llama3', 'openai-chat', 'vllm'],
    ['sglang', 'SGLang', 'hf:llama3', 'openai-chat', 'sglang'],
    ['llama.cpp', 'llama.cpp', 'hf:llama3', 'openai-chat', 'llama.cpp'],
  ]);
});
