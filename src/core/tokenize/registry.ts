import { TOKENIZER_FAMILIES } from './families';
import type { EngineName, TokenizerFamily } from './families';
import { loadHuggingFace } from './engines/huggingface';
import { loadTiktoken } from './engines/tiktoken';
import type { Tokenizer } from './types';
import { errorMessage } from '../../../common/text';

export interface TokenizerInfo {
  name: string;
  label: string;
  /** The engine that runs it. */
  family: EngineName;
}

/** How each engine loads a family of its own: an engine added to EngineName needs its line here. */
const ENGINES: { [E in EngineName]: (family: Extract<TokenizerFamily, { engine: E }>) => Promise<Tokenizer> } = {
  tiktoken: loadTiktoken,
  huggingface: loadHuggingFace,
};

function load(family: TokenizerFamily): Promise<Tokenizer> {
  // TypeScript does not relate `family.engine` to `family` here; the table's type checks each engine's own family.
  return (ENGINES[family.engine] as (family: TokenizerFamily) => Promise<Tokenizer>)(family);
}

const byName = new Map(TOKENIZER_FAMILIES.map((family) => [family.name, family]));

export const TOKENIZER_NAMES: readonly string[] = TOKENIZER_FAMILIES.map((family) => family.name);

export function tokenizerInfo(name: string): TokenizerInfo | undefined {
  const family = byName.get(name);
  return family && { name: family.name, label: family.label, family: family.engine };
}

const pending = new Map<string, Promise<Tokenizer>>();
const loaded = new Map<string, Tokenizer>();

/** Loads a tokenizer on first use (tens to hundreds of ms, see bench/) and keeps it for the session. */
export function loadTokenizer(name: string): Promise<Tokenizer> {
  const family = byName.get(name);
  if (!family) {
    return Promise.reject(
      new Error(`Unknown tokenizer "${name}". Known tokenizers: ${TOKENIZER_NAMES.join(', ')}.`),
    );
  }
  let promise = pending.get(name);
  if (!promise) {
    promise = load(family).then(
      (tokenizer) => {
        loaded.set(name, tokenizer);
        return tokenizer;
      },
      (error: unknown) => {
        pending.delete(name); // a failed load (missing asset) may succeed later; do not cache it
        const reason = errorMessage(error);
        throw new Error(`Could not load the ${family.label} tokenizer: ${reason}`);
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
