import * as fs from 'node:fs';
import * as path from 'node:path';
import { tokenizerFromJson, type TokenizerJson } from '../tokenize/engines/huggingface';
import type { Tokenizer } from '../tokenize';

/**
 * The tokenizer of a model folder, with per-token offsets into the prompt (the views point from a
 * matrix row back to the text). Same engine and conventions as src/core/tokenize/engines/huggingface.ts:
 * `@huggingface/tokenizers` (the engine inside @huggingface/transformers), no BOS/EOS added, and
 * special-token text in the prompt read as ordinary text.
 */
export async function loadFolderTokenizer(folder: string): Promise<Tokenizer> {
  const json = JSON.parse(fs.readFileSync(path.join(folder, 'tokenizer.json'), 'utf8')) as TokenizerJson;
  const config = JSON.parse(fs.readFileSync(path.join(folder, 'tokenizer_config.json'), 'utf8')) as Record<string, unknown>;
  // Every added token, special or not, decodes to its content as written.
  return tokenizerFromJson(`folder:${path.basename(folder)}`, `${path.basename(folder)} (model folder)`, json, config, () => true);
}
