import * as fs from 'node:fs';
import { resolvePackageFile } from '../../assets';
import type { HuggingFaceFamily } from '../families';
import { byteLevelDecoder } from './byteLevel';
import { byteTokenizer } from './byteTokenizer';
import type { Tokenizer } from '../types';

/**
 * Hugging Face `tokenizer.json` models through `@huggingface/tokenizers`, the engine inside
 * `@huggingface/transformers` (same ids; test/unit/core/tokenize/transformers.test.ts checks this), pure JS.
 *
 * Counting is of prompt text as the model receives it inside a request: no BOS/EOS (`add_special_tokens:
 * false`), because the chat template or the provider adds those once per request, not per string.
 *
 * Special-token text in user content (`<|begin_of_text|>`, `<start_of_turn>`) is ordinary text, as
 * with the Rust library's `encode_special_tokens=True` / transformers' `split_special_tokens=True`.
 * The JS engine has no such switch, so the special added tokens are left out of the vocabulary it
 * matches against; non-special added tokens (Qwen's `<think>`, Gemma's `<code>`, whitespace runs) stay,
 * because the model's own tokenizer always matches them.
 */

export interface AddedToken {
  id: number;
  content: string;
  special: boolean;
}

/** The fields of a `tokenizer.json` read here; the engine reads the rest. */
export interface TokenizerJson {
  added_tokens?: AddedToken[];
  decoder?: unknown;
}

const usesByteLevel = (decoder: unknown): boolean => JSON.stringify(decoder ?? null).includes('"ByteLevel"');

/** Turns a vocabulary piece into the bytes the model's decoder would produce for it. */
function pieceToBytes(byteLevel: boolean): (piece: string) => Uint8Array {
  const utf8 = new TextEncoder();
  if (byteLevel) {
    const table = byteLevelDecoder();
    return (piece) => {
      const bytes: number[] = [];
      for (const char of piece) {
        const byte = table.get(char);
        if (byte !== undefined) bytes.push(byte);
        else bytes.push(...utf8.encode(char));
      }
      return Uint8Array.from(bytes);
    };
  }
  // SentencePiece-style (Gemma): `▁` is a space, `<0xNN>` a byte-fallback token.
  return (piece) => {
    const byte = /^<0x([0-9A-Fa-f]{2})>$/.exec(piece);
    if (byte) return Uint8Array.of(parseInt(byte[1], 16));
    return utf8.encode(piece.replaceAll('\u2581', ' '));
  };
}

function readJson(packageName: string, file: string): unknown {
  return JSON.parse(fs.readFileSync(resolvePackageFile(packageName, file), 'utf8'));
}

/** The files of a family the engine reads (a HuggingFaceFamily, or another family's tokenizer.json as a reference). */
export type HuggingFaceFiles = Pick<HuggingFaceFamily, 'name' | 'label' | 'package' | 'tokenizerJson' | 'tokenizerConfig'>;

export async function loadHuggingFace(family: HuggingFaceFiles): Promise<Tokenizer> {
  const json = readJson(family.package, family.tokenizerJson) as TokenizerJson;
  const config = readJson(family.package, family.tokenizerConfig) as Record<string, unknown>;
  // Added tokens decode to their content as written, not through the byte-level table.
  return tokenizerFromJson(family.name, family.label, json, config, (token, byteLevel) => token.special || byteLevel);
}

/**
 * A tokenizer over a parsed `tokenizer.json` and `tokenizer_config.json`, with the conventions above.
 * `decodesAsWritten` picks the added tokens whose bytes are their `content` as written rather than their
 * vocabulary piece through the decoder's table (`byteLevel`: the decoder is byte-level).
 */
export async function tokenizerFromJson(
  name: string,
  label: string,
  json: TokenizerJson,
  config: Record<string, unknown>,
  decodesAsWritten: (token: AddedToken, byteLevel: boolean) => boolean,
): Promise<Tokenizer> {
  // A dynamic import: the package is an ES module and this code compiles to CommonJS.
  const { Tokenizer: HfTokenizer } = await import('@huggingface/tokenizers');
  const addedTokens = json.added_tokens ?? [];
  const byteLevel = usesByteLevel(json.decoder);

  const utf8 = new TextEncoder();
  const literal = new Map<number, Uint8Array>();
  for (const token of addedTokens) {
    if (decodesAsWritten(token, byteLevel)) literal.set(token.id, utf8.encode(token.content));
  }
  const engine = new HfTokenizer({ ...json, added_tokens: addedTokens.filter((token) => !token.special) }, config);
  const toBytes = pieceToBytes(byteLevel);
  const cache = new Map<number, Uint8Array>();

  return byteTokenizer(name, label, {
    encode: (text) => (text.length === 0 ? [] : engine.encode(text, { add_special_tokens: false }).ids),
    bytesOf(id) {
      const known = literal.get(id) ?? cache.get(id);
      if (known) return known;
      const piece = Number.isInteger(id) ? engine.id_to_token(id) : undefined;
      if (piece === undefined) return undefined;
      const bytes = toBytes(piece);
      cache.set(id, bytes);
      return bytes;
    },
  });
}
