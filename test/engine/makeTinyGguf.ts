/**
 * Writes a tiny, deterministic llama-architecture model in GGUF v3 so a real inference engine
 * (llama.cpp through node-llama-cpp) can run in the tests with nothing downloaded and no binary
 * committed: 2 layers, 64-dim embeddings, F32 weights from a seeded generator, and a byte-level BPE
 * (GPT-2 style) vocabulary whose merges are learned from a fixed text. About half a megabyte.
 *
 * The weights are random. Prefix reuse in the KV cache depends only on token ids and positions, never on
 * what the model predicts, so a model that writes nonsense exercises the cache exactly like a trained one.
 *
 * Format: GGUF v3 [ggml-org/ggml docs/gguf.md]: little-endian header (magic, version, tensor count,
 * metadata count), metadata key/values, tensor infos, then tensor data, each tensor aligned to
 * `general.alignment` (32 by default). Metadata keys and tensor names are those llama.cpp reads for
 * the `llama` architecture [ggml-org/llama.cpp src/llama-arch.cpp, src/llama-model.cpp, src/llama-vocab.cpp].
 */
import { writeFileSync } from 'node:fs';
import { seededRandom } from '../support/seededRandom';

/** Special tokens of the vocabulary, in id order after the byte and merge tokens. */
// `<|endoftext|>` and `<|im_end|>` are names llama.cpp recognises as end-of-generation tokens, so the
// engine stops on them without a tokenizer-config warning [ggml-org/llama.cpp src/llama-vocab.cpp].
export const TINY_SPECIAL_TOKENS = ['<|bos|>', '<|endoftext|>', '<|im_start|>', '<|im_end|>'] as const;

export interface TinyModelShape {
  layers: number;
  embedding: number;
  heads: number;
  feedForward: number;
  contextLength: number;
  /** Most merges to learn; fewer when the corpus runs out of pairs seen twice. */
  merges: number;
  seed: number;
}

export const TINY_MODEL_SHAPE: TinyModelShape = { layers: 2, embedding: 64, heads: 4, feedForward: 128, contextLength: 1024, merges: 64, seed: 20240611 };

/** Text the merges are learned from: English chat phrasing, so prompts tokenize into multi-byte tokens. */
const MERGE_CORPUS = `You are a helpful assistant. Answer the user's question about the weather and the time.
The user asked what the weather is like today in the city, and the assistant answered that it is sunny.
Please summarise the conversation so far, then answer the next question with a short sentence.
What time is it now? It is ten o'clock in the morning. Thank you for the answer.`;

/** GPT-2's reversible byte → printable character map, which byte-level BPE vocabularies are written in. */
export function bytesToUnicode(): string[] {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const map: string[] = new Array(256);
  let extra = 0;
  for (let b = 0; b < 256; b++) map[b] = printable.includes(b) ? String.fromCodePoint(b) : String.fromCodePoint(256 + extra++);
  return map;
}

/** Greedy BPE training over GPT-2 pre-tokenized words: the `count` most frequent pairs, ties broken by first occurrence. */
function learnMerges(corpus: string, count: number): string[] {
  const byteChar = bytesToUnicode();
  const encoder = new TextEncoder();
  const words = (corpus.match(/'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu) ?? []).map((word) =>
    Array.from(encoder.encode(word), (b) => byteChar[b]),
  );
  const merges: string[] = [];
  while (merges.length < count) {
    const pairs = new Map<string, number>();
    for (const word of words) {
      for (let i = 0; i + 1 < word.length; i++) {
        const pair = `${word[i]} ${word[i + 1]}`;
        pairs.set(pair, (pairs.get(pair) ?? 0) + 1);
      }
    }
    let best: string | undefined;
    let bestCount = 1; // a pair seen once is not worth a token
    for (const [pair, seen] of pairs) {
      if (seen > bestCount) {
        best = pair;
        bestCount = seen;
      }
    }
    if (best === undefined) break;
    merges.push(best);
    const [left, right] = best.split(' ');
    for (const word of words) {
      for (let i = 0; i + 1 < word.length; i++) {
        if (word[i] === left && word[i + 1] === right) word.splice(i, 2, left + right);
      }
    }
  }
  return merges;
}

// The GGUF metadata value type of an array [ggml docs/gguf.md]; the scalar types are in SCALARS.
const GGUF_ARRAY = 9;
const GGML_TYPE_F32 = 0;
const ALIGNMENT = 32;

type MetadataValue =
  | { type: 'u32'; value: number }
  | { type: 'f32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'strings'; value: string[] }
  | { type: 'i32s'; value: number[] }
  | { type: 'f32s'; value: number[] };

/** Little-endian byte sink that grows as needed. */
class ByteWriter {
  private buffer = Buffer.alloc(1 << 16);
  length = 0;

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = Buffer.alloc(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
  /** Reserves `bytes` and writes them with one of Buffer's little-endian writers, which returns the next offset. */
  private put(bytes: number, write: (buffer: Buffer, offset: number) => number): void {
    this.reserve(bytes);
    this.length = write(this.buffer, this.length);
  }
  u32(value: number): void {
    this.put(4, (buffer, offset) => buffer.writeUInt32LE(value, offset));
  }
  i32(value: number): void {
    this.put(4, (buffer, offset) => buffer.writeInt32LE(value, offset));
  }
  u64(value: number): void {
    this.put(8, (buffer, offset) => buffer.writeBigUInt64LE(BigInt(value), offset));
  }
  f32(value: number): void {
    this.put(4, (buffer, offset) => buffer.writeFloatLE(value, offset));
  }
  u8(value: number): void {
    this.put(1, (buffer, offset) => buffer.writeUInt8(value, offset));
  }
  /** GGUF string: u64 byte length, then UTF-8 bytes without a terminator. */
  string(value: string): void {
    const bytes = Buffer.from(value, 'utf8');
    this.u64(bytes.length);
    this.reserve(bytes.length);
    bytes.copy(this.buffer, this.length);
    this.length += bytes.length;
  }
  floats(values: Float32Array): void {
    this.reserve(values.byteLength);
    Buffer.from(values.buffer, values.byteOffset, values.byteLength).copy(this.buffer, this.length);
    this.length += values.byteLength;
  }
  padTo(alignment: number): void {
    while (this.length % alignment !== 0) this.u8(0);
  }
  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}

/** The GGUF value type [ggml docs/gguf.md] and the writer of one item, per scalar a metadata value can hold. */
const SCALARS = {
  u32: { tag: 4, write: (out: ByteWriter, value: number) => out.u32(value) },
  f32: { tag: 6, write: (out: ByteWriter, value: number) => out.f32(value) },
  i32: { tag: 5, write: (out: ByteWriter, value: number) => out.i32(value) },
  bool: { tag: 7, write: (out: ByteWriter, value: boolean) => out.u8(value ? 1 : 0) },
  string: { tag: 8, write: (out: ByteWriter, value: string) => out.string(value) },
};

type Scalar<T> = { tag: number; write: (out: ByteWriter, value: T) => void };

/** A GGUF scalar: its type, then its value. */
function writeScalar<T>(out: ByteWriter, scalar: Scalar<T>, value: T): void {
  out.u32(scalar.tag);
  scalar.write(out, value);
}

/** A GGUF array: its item type, its length, then the items. */
function writeArray<T>(out: ByteWriter, scalar: Scalar<T>, values: readonly T[]): void {
  out.u32(GGUF_ARRAY);
  out.u32(scalar.tag);
  out.u64(values.length);
  for (const value of values) scalar.write(out, value);
}

/** Each metadata type as its GGUF scalar, and whether the value is an array of them. */
const LAYOUT: Record<MetadataValue['type'], [keyof typeof SCALARS, 'one' | 'array']> = {
  u32: ['u32', 'one'], f32: ['f32', 'one'], bool: ['bool', 'one'], string: ['string', 'one'],
  strings: ['string', 'array'], i32s: ['i32', 'array'], f32s: ['f32', 'array'],
};

function writeValue(out: ByteWriter, entry: MetadataValue): void {
  const [name, arity] = LAYOUT[entry.type];
  const scalar = SCALARS[name] as Scalar<unknown>;
  if (arity === 'array') writeArray(out, scalar, entry.value as unknown[]);
  else writeScalar(out, scalar, entry.value);
}

interface Tensor {
  name: string;
  /** ggml order: `dims[0]` is the contiguous (row) dimension. */
  dims: number[];
  data: Float32Array;
}

export interface TinyVocabulary {
  tokens: string[];
  merges: string[];
  tokenTypes: number[];
  special: Record<(typeof TINY_SPECIAL_TOKENS)[number], number>;
}

/** 256 byte tokens, one token per learned merge, then the special (control) tokens. */
export function tinyVocabulary(shape: TinyModelShape = TINY_MODEL_SHAPE): TinyVocabulary {
  const tokens = [...bytesToUnicode()];
  const merges = learnMerges(MERGE_CORPUS, shape.merges);
  for (const merge of merges) tokens.push(merge.replace(' ', ''));
  // llama.cpp token types: 1 normal, 3 control [ggml-org/llama.cpp include/llama.h llama_token_type].
  const tokenTypes = tokens.map(() => 1);
  const special = {} as TinyVocabulary['special'];
  for (const name of TINY_SPECIAL_TOKENS) {
    special[name] = tokens.length;
    tokens.push(name);
    tokenTypes.push(3);
  }
  return { tokens, merges, tokenTypes, special };
}

/** Builds the GGUF file's bytes. */
export function tinyGguf(shape: TinyModelShape = TINY_MODEL_SHAPE): Buffer {
  const vocabulary = tinyVocabulary(shape);
  const vocab = vocabulary.tokens.length;
  const { embedding, heads, feedForward, layers } = shape;
  const random = seededRandom(shape.seed);
  // Uniform in ±1/√fan-in keeps activations finite through the layers; any finite values would do.
  const matrix = (rows: number, columns: number): Float32Array => {
    const scale = 1 / Math.sqrt(rows);
    return Float32Array.from({ length: rows * columns }, () => (random() * 2 - 1) * scale);
  };
  const ones = (length: number) => new Float32Array(length).fill(1);

  const tensors: Tensor[] = [
    { name: 'token_embd.weight', dims: [embedding, vocab], data: matrix(embedding, vocab) },
    { name: 'output_norm.weight', dims: [embedding], data: ones(embedding) },
    { name: 'output.weight', dims: [embedding, vocab], data: matrix(embedding, vocab) },
  ];
  for (let layer = 0; layer < layers; layer++) {
    const blk = `blk.${layer}`;
    tensors.push(
      { name: `${blk}.attn_norm.weight`, dims: [embedding], data: ones(embedding) },
      { name: `${blk}.attn_q.weight`, dims: [embedding, embedding], data: matrix(embedding, embedding) },
      { name: `${blk}.attn_k.weight`, dims: [embedding, embedding], data: matrix(embedding, embedding) },
      { name: `${blk}.attn_v.weight`, dims: [embedding, embedding], data: matrix(embedding, embedding) },
      { name: `${blk}.attn_output.weight`, dims: [embedding, embedding], data: matrix(embedding, embedding) },
      { name: `${blk}.ffn_norm.weight`, dims: [embedding], data: ones(embedding) },
      { name: `${blk}.ffn_gate.weight`, dims: [embedding, feedForward], data: matrix(embedding, feedForward) },
      { name: `${blk}.ffn_up.weight`, dims: [embedding, feedForward], data: matrix(embedding, feedForward) },
      { name: `${blk}.ffn_down.weight`, dims: [feedForward, embedding], data: matrix(feedForward, embedding) },
    );
  }

  const metadata: Array<[string, MetadataValue]> = [
    ['general.architecture', { type: 'string', value: 'llama' }],
    ['general.name', { type: 'string', value: 'prompt-lens-tiny-test' }],
    ['general.alignment', { type: 'u32', value: ALIGNMENT }],
    ['general.file_type', { type: 'u32', value: 0 }], // all F32
    ['llama.context_length', { type: 'u32', value: shape.contextLength }],
    ['llama.embedding_length', { type: 'u32', value: embedding }],
    ['llama.block_count', { type: 'u32', value: layers }],
    ['llama.feed_forward_length', { type: 'u32', value: feedForward }],
    ['llama.attention.head_count', { type: 'u32', value: heads }],
    ['llama.attention.head_count_kv', { type: 'u32', value: heads }],
    ['llama.attention.layer_norm_rms_epsilon', { type: 'f32', value: 1e-5 }],
    ['llama.rope.dimension_count', { type: 'u32', value: embedding / heads }],
    ['llama.rope.freq_base', { type: 'f32', value: 10000 }],
    ['llama.vocab_size', { type: 'u32', value: vocab }],
    ['tokenizer.ggml.model', { type: 'string', value: 'gpt2' }],
    ['tokenizer.ggml.pre', { type: 'string', value: 'gpt-2' }],
    ['tokenizer.ggml.tokens', { type: 'strings', value: vocabulary.tokens }],
    ['tokenizer.ggml.token_type', { type: 'i32s', value: vocabulary.tokenTypes }],
    ['tokenizer.ggml.merges', { type: 'strings', value: vocabulary.merges }],
    ['tokenizer.ggml.bos_token_id', { type: 'u32', value: vocabulary.special['<|bos|>'] }],
    ['tokenizer.ggml.eos_token_id', { type: 'u32', value: vocabulary.special['<|endoftext|>'] }],
    // The chat renders its own framing, BOS included, so the engine adds nothing to the ids it is given.
    ['tokenizer.ggml.add_bos_token', { type: 'bool', value: false }],
  ];

  const out = new ByteWriter();
  out.u32(0x46554747); // "GGUF" read as a little-endian u32
  out.u32(3);
  out.u64(tensors.length);
  out.u64(metadata.length);
  for (const [key, value] of metadata) {
    out.string(key);
    writeValue(out, value);
  }
  let offset = 0;
  for (const tensor of tensors) {
    out.string(tensor.name);
    out.u32(tensor.dims.length);
    for (const dim of tensor.dims) out.u64(dim);
    out.u32(GGML_TYPE_F32);
    out.u64(offset);
    offset += Math.ceil(tensor.data.byteLength / ALIGNMENT) * ALIGNMENT;
  }
  out.padTo(ALIGNMENT);
  for (const tensor of tensors) {
    out.floats(tensor.data);
    out.padTo(ALIGNMENT);
  }
  return out.bytes();
}

/** Writes the model to `path` and returns its size in bytes. */
export function writeTinyGguf(path: string, shape: TinyModelShape = TINY_MODEL_SHAPE): number {
  const bytes = tinyGguf(shape);
  writeFileSync(path, bytes);
  return bytes.length;
}
