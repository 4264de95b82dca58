import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadCatalog } from '../../../../src/core/catalog';

const catalog = loadCatalog();
const resolved = (id: string) => catalog.find(id)?.id;

test('ids as gateways, clouds and SDKs write them find the catalogue model', () => {
  const cases: Array<[string, string]> = [
    // LiteLLM / OpenRouter / Vercel AI SDK gateway prefixes
    ['openai/gpt-4o', 'gpt-4o'],
    ['anthropic/claude-sonnet-4-5', 'claude-sonnet-4-5'],
    ['openrouter/anthropic/claude-sonnet-4.5', 'claude-sonnet-4-5'],
    ['anthropic/claude-opus-4.1', 'claude-opus-4-1'],
    ['deepseek/deepseek-chat:free', 'deepseek-v3'],
    ['gemini/gemini-2.5-flash', 'gemini-2.5-flash'],
    // Vertex AI
    ['publishers/google/models/gemini-2.5-pro', 'gemini-2.5-pro'],
    ['claude-sonnet-4-5@20250929', 'claude-sonnet-4-5'],
    // Amazon Bedrock model ids and cross-region inference profiles
    ['anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5'],
    ['us.anthropic.claude-haiku-4-5-20251001-v1:0', 'claude-haiku-4-5'],
    ['global.anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5'],
    ['meta.llama3-3-70b-instruct-v1:0', 'llama-3.3-70b'],
    // dated snapshots the catalogue does not list one by one
    ['gpt-4o-2024-05-13', 'gpt-4o'],
    ['gpt-4.1-mini-2025-04-14', 'gpt-4.1-mini'],
    ['o3-2025-04-16', 'o3'],
    ['gpt-3.5-turbo-1106', 'gpt-3.5-turbo'],
    // OpenAI fine-tunes count with their base model
    ['ft:gpt-4o-mini-2024-07-18:my-org::abc123', 'gpt-4o-mini'],
    // Hugging Face names
    ['meta-llama/Llama-3.3-70B-Instruct', 'llama-3.3-70b'],
    ['Qwen/Qwen3-235B-A22B', 'qwen3-235b-a22b'],
    [' GPT-4o ', 'gpt-4o'],
  ];
  assert.deepEqual(
    cases.map(([id]) => [id, resolved(id)]),
    cases,
  );
});

test('an exact id or alias wins over a shortened form, and unknown models stay unknown', () => {
  // gpt-4.1 is a model of its own, not a dotted gpt-4-1; gpt-4o-mini is not gpt-4o.
  assert.equal(resolved('gpt-4.1'), 'gpt-4.1');
  assert.equal(resolved('openai/gpt-4o-mini'), 'gpt-4o-mini');
  for (const id of ['gpt-9', 'anthropic/claude-3-5-sonnet-20241022', 'mystery-model-2024-01-01', 'us.amazon.nova-pro-v1:0', '', '/', 'ft:']) {
    assert.equal(resolved(id), undefined, id);
  }
});

test('a model added in the settings under a gateway id is found by exactly that id', () => {
  const custom = loadCatalog([{ id: 'openrouter/acme/acme-7b', label: 'Acme 7B', tokenizer: 'o200k_base', contextWindow: 8192, cacheProfile: 'none' }]);
  assert.equal(custom.find('openrouter/acme/acme-7b')?.label, 'Acme 7B');
  assert.equal(custom.find('openai/gpt-4o')?.id, 'gpt-4o');
});
