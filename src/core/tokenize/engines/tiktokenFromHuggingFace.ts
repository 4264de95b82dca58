import { byteLevelDecoder, byteLevelPieceToLatin1 } from './byteLevel';
import type { TiktokenSetup } from './tiktoken';

/**
 * A Hugging Face `tokenizer.json` that is a converted tiktoken encoding (Llama 3: Meta ships it as a
 * tiktoken model, meta-llama/llama3 llama/tokenizer.py), turned back into tiktoken's ranks so it runs on
 * the tiktoken engine: a fraction of the memory of @huggingface/tokenizers and ~2.5× its speed.
 *
 * The two engines agree only when the file is exactly such a conversion; the shape is checked here at
 * load time (cheap), the merges in test/unit/core/tokenize/llama3.test.ts (every merge (a, b) has a+b in the
 * vocabulary, merge order follows the rank of a+b, and every split of a token into two tokens is a merge:
 * then "merge the pair of lowest merge priority" and "merge the pair whose result has the lowest rank"
 * pick the same pair). Anything else throws, so a changed file fails loudly instead of miscounting.
 */

export interface TokenizerJson {
  added_tokens: { id: number; content: string; special: boolean }[];
  normalizer: unknown;
  pre_tokenizer: unknown;
  model: {
    type: string;
    vocab: Record<string, number>;
    ignore_merges?: boolean;
    byte_fallback?: boolean;
    continuing_subword_prefix?: string | null;
    end_of_word_suffix?: string | null;
    dropout?: number | null;
  };
}

interface SplitThenByteLevel {
  type: 'Sequence';
  pretokenizers: [
    { type: 'Split'; pattern: { Regex: string }; behavior: string; invert: boolean },
    { type: 'ByteLevel'; add_prefix_space: boolean; use_regex: boolean },
  ];
}

/** The Split regex of a `Sequence[Split(regex, Isolated), ByteLevel(no prefix space, no regex)]`. */
function splitPattern(preTokenizer: unknown): string | undefined {
  const sequence = preTokenizer as Partial<SplitThenByteLevel> | null;
  const [split, byteLevel] = sequence?.type === 'Sequence' ? (sequence.pretokenizers ?? []) : [];
  const isSplit =
    split?.type === 'Split' && split.behavior === 'Isolated' && !split.invert && typeof split.pattern?.Regex === 'string';
  const isPlainByteLevel = byteLevel?.type === 'ByteLevel' && !byteLevel.add_prefix_space && !byteLevel.use_regex;
  return isSplit && isPlainByteLevel && sequence?.pretokenizers?.length === 2 ? split.pattern.Regex : undefined;
}

/** Why the engines could disagree on this file, or undefined when its shape is a tiktoken conversion. */
function unsupported(json: TokenizerJson): string | undefined {
  const model = json.model;
  if (model?.type !== 'BPE') return 'the model is not BPE';
  // tiktoken looks a whole piece up before merging; HF does so only with ignore_merges.
  if (model.ignore_merges !== true) return 'ignore_merges is off';
  if (model.byte_fallback || model.continuing_subword_prefix || model.end_of_word_suffix || model.dropout) {
    return 'the BPE model has options tiktoken does not have';
  }
  if (json.normalizer !== null) return 'it has a normalizer';
  // Non-special added tokens are matched before BPE by HF; tiktoken's encode_ordinary never matches them.
  if (json.added_tokens.some((token) => !token.special)) return 'it has non-special added tokens';
  if (splitPattern(json.pre_tokenizer) === undefined) return 'its pre-tokenizer is not one Split regex + ByteLevel';
  return undefined;
}

/**
 * Ranks in the `tiktoken` package's encoder-file format (`! <first rank> <base64 token> …`, one line
 * per run of consecutive ranks), the text `new Tiktoken(ranks, …)` reads. Built from an array indexed
 * by id, with no per-token objects kept alive: V8 keeps the heap this step peaks at as process memory.
 */
function encoderFileRanks(vocab: Record<string, number>): string {
  const table = byteLevelDecoder();
  const base64ById: string[] = [];
  const singleBytes = new Set<string>();
  for (const piece in vocab) {
    const id = vocab[piece];
    // Distinct pieces spell distinct bytes: the alphabet maps one character to one byte and back.
    const bytes = byteLevelPieceToLatin1(table, piece);
    if (bytes === undefined) throw new Error(`the vocabulary piece ${JSON.stringify(piece)} is not byte-level`);
    if (!Number.isInteger(id) || id < 0 || base64ById[id] !== undefined) throw new Error(`the id ${id} is not unique`);
    if (bytes.length === 1) singleBytes.add(bytes);
    base64ById[id] = btoa(bytes);
  }
  // tiktoken starts every piece from single bytes, so each byte needs a rank.
  if (singleBytes.size !== 256) throw new Error('some bytes have no token of their own');
  const lines: string[] = [];
  for (let first = 0; first < base64ById.length; ) {
    if (base64ById[first] === undefined) {
      first++;
      continue;
    }
    let end = first;
    while (end < base64ById.length && base64ById[end] !== undefined) end++;
    lines.push(`! ${first} ${base64ById.slice(first, end).join(' ')}`);
    first = end;
  }
  return lines.join('\n');
}

/**
 * The parts of a tokenizer.json the tiktoken engine needs: all but `model.merges`, which for Llama 3
 * are 280,147 strings that would double the memory parsing takes (and V8 keeps that peak as process
 * memory). Hugging Face tokenizers writes `merges` last in `model` and `model` last in the file; a file
 * laid out otherwise is parsed whole, and one missing a field after the cut fails unsupported().
 * The cut is made in the bytes, so the merges never become a (two-byte, 2× larger) JS string either.
 */
export function parseWithoutMerges(file: Buffer): TokenizerJson {
  const at = file.lastIndexOf('"merges"');
  try {
    return JSON.parse(`${file.toString('utf8', 0, Math.max(at, 0))}"merges": []}}`) as TokenizerJson;
  } catch {
    return JSON.parse(file.toString('utf8')) as TokenizerJson;
  }
}

export function tiktokenFromTokenizerJson(json: TokenizerJson): TiktokenSetup {
  const reason = unsupported(json);
  if (reason) throw new Error(`this tokenizer.json cannot run on the tiktoken engine: ${reason}`);
  const special: Record<string, number> = {};
  for (const token of json.added_tokens) special[token.content] = token.id;
  // The Split regex is in the Rust regex dialect, which tiktoken's fancy_regex reads as it is; the JS
  // long-piece splitter translates it (pretokenize.ts).
  return { ranks: encoderFileRanks(json.model.vocab), pattern: splitPattern(json.pre_tokenizer)!, special, idOffset: 0 };
}
