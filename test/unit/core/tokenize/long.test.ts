import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Tiktoken } from 'tiktoken/lite/init';
import { loadTokenizer } from '../../../../src/core/tokenize';
import { bytePairEncode, parseRanks } from '../../../../src/core/tokenize/engines/bytePairMerge';
import { pretokenizer, translatePattern } from '../../../../src/core/tokenize/engines/pretokenize';
import { tiktokenSetup } from '../../../../src/core/tokenize/engines/tiktoken';

// Long pre-tokenized pieces (a blank image as base64, CJK without punctuation) are merged by our own
// O(n log n) BPE instead of tiktoken's quadratic one; the ids must stay exactly tiktoken's. The sizes
// here are the largest at which plain tiktoken is still quick enough to serve as the reference.

const TIKTOKEN_ENGINE = ['o200k_base', 'cl100k_base', 'p50k_base', 'r50k_base', 'o200k_harmony', 'hf:mistral'];

/** Deterministic pseudo-random generator (LCG), so a failure can be reproduced. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const pick = (alphabet: string, length: number, seed: number): string => {
  const next = random(seed);
  const chars = Array.from(alphabet);
  let text = '';
  for (let k = 0; k < length; k++) text += chars[Math.floor(next() * chars.length)];
  return text;
};

const randomBytes = (length: number, seed: number): Buffer => {
  const next = random(seed);
  return Buffer.from(Array.from({ length }, () => Math.floor(next() * 256)));
};

const cjkWithoutPunctuation = (length: number, seed: number): string => {
  const next = random(seed);
  let text = '';
  for (let k = 0; k < length; k++) text += String.fromCharCode(0x4e00 + Math.floor(next() * 20000));
  return text;
};

const LONG_INPUTS: [string, string][] = [
  ['a run of A', 'A'.repeat(5000)],
  ['a run of a', 'a'.repeat(5000)],
  ['a mixed-case letter run', pick('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ', 4000, 1)],
  ['base64 of zeros in a data URI', `<img src="data:image/png;base64,${Buffer.alloc(4000).toString('base64')}">`],
  ['base64 of random bytes', randomBytes(4000, 2).toString('base64')],
  ['CJK without punctuation', cjkWithoutPunctuation(3000, 3)],
  ['a digit run', pick('0123456789', 5000, 4)],
  ['a space run before a word', `${' '.repeat(4000)}word`],
  ['a newline and tab run', `${'\n'.repeat(2000)}${'\t \r\n'.repeat(500)}x`],
  ['an emoji run', '😀🎉👍🏽🚀'.repeat(400)],
  ['a punctuation run with slashes and newlines (o200k tail)', `x ${'!/\n'.repeat(1500)}y`],
  ['a lone surrogate inside a long run', `${'b'.repeat(2000)}\uD800${'c'.repeat(2000)}\uDC00`],
  [
    'long pieces between ordinary prose',
    `Describe this image: ${'A'.repeat(3000)} and this one, please. It's ${'猫'.repeat(2000)}。 Thanks!`,
  ],
];

const plainEncoders = new Map<string, Tiktoken>();
after(() => plainEncoders.forEach((encoder) => encoder.free()));

/** A wasm encoder built like the tokenizer's, once per pattern (building one parses all ranks). */
async function plainEncoder(name: string, pattern = tiktokenSetup(name).pattern): Promise<Tiktoken> {
  await loadTokenizer(name); // initialises the wasm
  const key = `${name}\n${pattern}`;
  let encoder = plainEncoders.get(key);
  if (!encoder) {
    encoder = new Tiktoken(tiktokenSetup(name).ranks, {}, pattern);
    plainEncoders.set(key, encoder);
  }
  return encoder;
}

/** tiktoken as it is, without our long-piece path, in the tokenizer's ids. */
async function plainTiktoken(name: string): Promise<(text: string) => number[]> {
  const encoder = await plainEncoder(name);
  const { idOffset } = tiktokenSetup(name);
  return (text) => Array.from(encoder.encode_ordinary(text), (rank) => rank + idOffset);
}

for (const name of TIKTOKEN_ENGINE) {
  describe(`${name}: long pieces give exactly tiktoken's ids`, () => {
    for (const [label, text] of LONG_INPUTS) {
      test(label, async () => {
        const tokenizer = await loadTokenizer(name);
        const expected = (await plainTiktoken(name))(text);
        assert.deepEqual(tokenizer.encode(text), expected);
        assert.equal(tokenizer.count(text), expected.length);
        const tokens = tokenizer.tokens(text);
        assert.deepEqual(
          tokens.map((token) => token.id),
          expected,
        );
        assert.equal(tokens[tokens.length - 1].end, text.length);
      });
    }
  });
}

// Text that exercises every branch of the patterns and the places where Rust's regex and JavaScript's
// differ: Unicode whitespace (U+0085 is White_Space, U+FEFF is not), contractions in every case
// (and U+017F LONG S, which Rust's (?i) folds with s), digits of several scripts, marks, CJK, emoji.
const MIXED = [
  "Hello, world! It's John's book; THEY'RE here, we'VE gone, I'M sure, you'LL see, he'D go. it'ſ x'K",
  'def f(x):\n\treturn x ** 2  # 1234567 ١٢٣٤ ५६७\r\n\r\n\n   \n  y = [1,2,3]//comment\n/* c */',
  'a\u0085b \u0085 c\u00a0d \ufeffe\u3000f\u2028g\u2029h\u200bi\u000bj\u000ck   \t\n  end  ',
  'Ünïcödé ÉCOLE école ǅungla ᾈ x\u0301y İstanbul straße ΣΊΣΥΦΟΣ Привет, мир!',
  '你好，世界。これは日本語です。한국어 텍스트 😀🎉👍🏽 🇫🇷 <|endoftext|> [INST] ',
  '{"key": "value", "n": 12.5e-3, "list": [true, null]}   \n\n\t',
  'https://example.com/path?q=1&r=two#frag  ///  \\\\  $$$ %%% ^^^ !!!\n\n/\n',
  'lone \uD800 surrogate \uDC00 and 🎉\uDFFF',
].join('\n');

describe('the JavaScript pre-tokenizer cuts text as tiktoken does', () => {
  for (const name of TIKTOKEN_ENGINE) {
    test(`${name}: pieces rejoin to the text and encode to tiktoken's ids`, async () => {
      const encode = await plainTiktoken(name);
      const pieces = MIXED.match(pretokenizer(tiktokenSetup(name).pattern)) ?? [];
      assert.equal(pieces.join(''), MIXED);
      assert.deepEqual(
        pieces.flatMap((piece) => encode(piece)),
        encode(MIXED),
      );
    });
  }

  test("openai/tiktoken's possessive cl100k_base pattern translates to the same cuts", async () => {
    // tiktoken_ext/openai_public.py cl100k_base(), openai/tiktoken 0.9.0: `?+`, `++`, `*+`, `{1,3}+`.
    const possessive = String.raw`'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s`;
    const encoder = await plainEncoder('cl100k_base', possessive);
    const text = `${MIXED}   `; // trailing spaces: the \s++$ branch
    const pieces = text.match(pretokenizer(possessive)) ?? [];
    assert.equal(pieces.join(''), text);
    assert.deepEqual(
      pieces.flatMap((piece) => Array.from(encoder.encode_ordinary(piece))),
      Array.from(encoder.encode_ordinary(text)),
    );
  });

  test('a possessive quantifier never gives back what it matched', () => {
    // Greedy `a+a` matches "aaa" by giving one a back; possessive `a++a` cannot match at all.
    assert.equal('aaa'.match(pretokenizer('a++a')), null);
    assert.deepEqual(' \t\n'.match(pretokenizer(String.raw`\s*+\n|\s`)), [' ', '\t', '\n']);
    assert.deepEqual('x1234'.match(pretokenizer(String.raw`(?:x|\p{N}){1,3}+`)), ['x12', '34']);
  });

  test('syntax JavaScript would read differently is refused rather than mistranslated', () => {
    assert.throws(() => translatePattern(String.raw`\d+|\w+`), /unsupported escape/);
    assert.throws(() => translatePattern('(?i)abc'), /unsupported group/);
    assert.throws(() => translatePattern('(?i:[a-z])'), /range inside/);
  });
});

describe('byte-pair merge of one piece', () => {
  // Ranks in the encoder-file format: `! <first rank> <base64 token> …`.
  const b64 = (token: string) => Buffer.from(token, 'latin1').toString('base64');
  const ranks = parseRanks(`! 0 ${['a', 'b', 'c', 'aa', 'ab', 'bc', 'aaa'].map(b64).join(' ')}`);

  test('merges the lowest rank first', () => {
    // "abc": ab (4) beats bc (5), so a+b then c, never a + bc.
    assert.deepEqual(bytePairEncode('abc', ranks), [4, 2]);
  });

  test('of equal ranks, merges the leftmost', () => {
    // "aaaa": aa at 0, 1 and 2 all rank 3; leftmost first gives aa|aa, then no pair "aaaa" exists.
    assert.deepEqual(bytePairEncode('aaaa', ranks), [3, 3]);
    // "aaaaa": aa|aa|a, then aa+a? "aaa" ranks 6 and is the only pair left with a rank.
    assert.deepEqual(bytePairEncode('aaaaa', ranks), [3, 6]);
  });

  test('a piece that is itself a token is that token, and single bytes stay bytes', () => {
    assert.deepEqual(bytePairEncode('aaa', ranks), [6]);
    assert.deepEqual(bytePairEncode('cab', ranks), [2, 4]);
    assert.deepEqual(bytePairEncode('c', ranks), [2]);
  });
});
