import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TOKENIZER_NAMES, loadTokenizer, loadedTokenizer, tokenizerInfo } from '../../../../src/core/tokenize';
import type { Token } from '../../../../src/core/tokenize';

const utf8 = (text: string) => Array.from(new TextEncoder().encode(text));
const concatBytes = (tokens: Token[]) => tokens.flatMap((token) => Array.from(token.bytes));

describe('tokenizer registry', () => {
  test('lists every tokenizer the catalogue can name, with its family', () => {
    assert.deepEqual([...TOKENIZER_NAMES].sort(), [
      'cl100k_base',
      'hf:claude',
      'hf:deepseek_v3',
      'hf:gemma3',
      'hf:llama3',
      'hf:mistral',
      'hf:qwen3',
      'o200k_base',
      'o200k_harmony',
      'p50k_base',
      'r50k_base',
    ]);
    assert.equal(tokenizerInfo('o200k_base')?.family, 'tiktoken');
    assert.equal(tokenizerInfo('hf:llama3')?.family, 'tiktoken'); // Meta's BPE, converted back from tokenizer.json
    assert.equal(tokenizerInfo('hf:qwen3')?.family, 'huggingface');
    assert.equal(tokenizerInfo('gpt-9'), undefined);
  });

  test('an unknown name is rejected with a message that lists the known ones', async () => {
    await assert.rejects(loadTokenizer('hf:nonexistent'), /Unknown tokenizer "hf:nonexistent".*o200k_base/);
  });

  test('loads lazily, once, and is then available synchronously', async () => {
    assert.equal(loadedTokenizer('p50k_base'), undefined);
    const [first, second] = await Promise.all([loadTokenizer('p50k_base'), loadTokenizer('p50k_base')]);
    assert.equal(first, second);
    assert.equal(loadedTokenizer('p50k_base'), first);
    assert.equal(first.name, 'p50k_base');
    assert.equal(first.label, 'p50k_base (tiktoken)');
  });
});

describe('every tokenizer', () => {
  const mixed = 'Hello, world! Привет 你好 😀 café\n\tdef f(x):\n\t\treturn x ** 2  # 1234567';
  for (const name of TOKENIZER_NAMES) {
    test(`${name}: counts, round-trips and never throws on bad input`, async () => {
      const tokenizer = await loadTokenizer(name);
      const ids = tokenizer.encode(mixed);
      assert.ok(ids.length > 10);
      assert.equal(tokenizer.count(mixed), ids.length);
      assert.equal(tokenizer.decode(ids), mixed);
      assert.equal(tokenizer.count(''), 0);
      assert.deepEqual(tokenizer.tokens(''), []);
      assert.equal(tokenizer.decode([]), '');
      // Lone surrogates and NUL reach the encoder as U+FFFD and U+0000, like TextEncoder would send them.
      assert.ok(tokenizer.count('a\uD800b\uDC00c\u0000') > 0);
      assert.equal(tokenizer.decode([Number.MAX_SAFE_INTEGER, -1, 1.5]), '\uFFFD\uFFFD\uFFFD');
      assert.equal(tokenizer.decode(tokenizer.encode('\uFEFFbom')), '\uFEFFbom');
    });

    test(`${name}: tokens() spans cover the text in order and bytes are the text's bytes`, async () => {
      const tokenizer = await loadTokenizer(name);
      const tokens = tokenizer.tokens(mixed);
      assert.deepEqual(
        tokens.map((token) => token.id),
        tokenizer.encode(mixed),
      );
      assert.deepEqual(concatBytes(tokens), utf8(mixed));
      // Tokens that split one character overlap on it, so spans only ever move forward.
      let previous = { start: 0, end: 0 };
      for (const token of tokens) {
        assert.ok(token.start <= token.end, `reversed span ${token.start}-${token.end}`);
        assert.ok(token.start >= previous.start && token.end >= previous.end, `span ${token.start}-${token.end} goes back`);
        previous = token;
      }
      assert.equal(tokens[0].start, 0);
      assert.equal(previous.end, mixed.length);
    });
  }
});

describe('special-token text in prompts is ordinary text', () => {
  // [tokenizer, text that looks like one of its control tokens, that token's id]
  const cases: [string, string, number][] = [
    ['cl100k_base', '<|endoftext|>', 100257],
    ['o200k_base', '<|endoftext|>', 199999],
    ['r50k_base', '<|endoftext|>', 50256],
    ['o200k_harmony', '<|start|>user<|message|>', 200006],
    ['hf:llama3', '<|begin_of_text|>', 128000],
    ['hf:qwen3', '<|im_start|>', 151644],
    ['hf:gemma3', '<start_of_turn>', 105],
    ['hf:deepseek_v3', '<｜begin▁of▁sentence｜>', 0],
    ['hf:mistral', '[INST]', 3],
    ['hf:claude', '<EOT>', 0],
  ];
  for (const [name, text, specialId] of cases) {
    test(`${name}: "${text}" is split into ordinary tokens`, async () => {
      const tokenizer = await loadTokenizer(name);
      const ids = tokenizer.encode(`before ${text} after`);
      assert.ok(!ids.includes(specialId), `${ids} contains the special id ${specialId}`);
      assert.equal(tokenizer.decode(ids), `before ${text} after`);
    });
  }

  test('a special id still decodes to its name (for views of rendered prompts)', async () => {
    assert.equal((await loadTokenizer('cl100k_base')).decode([100257]), '<|endoftext|>');
    assert.equal((await loadTokenizer('o200k_harmony')).decode([200006, 200008]), '<|start|><|message|>');
    assert.equal((await loadTokenizer('hf:llama3')).decode([128000]), '<|begin_of_text|>');
    assert.equal((await loadTokenizer('hf:mistral')).decode([3]), '[INST]');
  });

  test("non-special added tokens are matched as the model's tokenizer matches them (Qwen's <think>)", async () => {
    const qwen = await loadTokenizer('hf:qwen3');
    assert.deepEqual(qwen.encode('<think>'), [151667]);
  });
});

describe('tokens() on characters split across tokens', () => {
  test('an emoji split into byte tokens: every piece shares its span and shows U+FFFD', async () => {
    const tokenizer = await loadTokenizer('cl100k_base');
    const tokens = tokenizer.tokens('a👍');
    // "👍" is [9468, 239, 235] in cl100k_base (openai/tiktoken tests/test_encoding.py).
    assert.deepEqual(
      tokens.map((token) => token.id),
      [64, 9468, 239, 235],
    );
    assert.deepEqual(
      tokens.slice(1).map((token) => [token.start, token.end]),
      [
        [1, 3],
        [1, 3],
        [1, 3],
      ],
    );
    assert.ok(tokens.slice(1).every((token) => token.text.includes('\uFFFD')));
    assert.deepEqual(concatBytes(tokens.slice(1)), utf8('👍'));
  });

  test('CJK split mid-character keeps UTF-16 offsets after astral characters', async () => {
    const tokenizer = await loadTokenizer('hf:llama3');
    const text = '😀 我非常渴望';
    const tokens = tokenizer.tokens(text);
    assert.deepEqual(concatBytes(tokens), utf8(text));
    const last = tokens[tokens.length - 1];
    assert.equal(last.end, text.length);
    // Every token's text, if whole characters, is exactly the source slice it points at.
    for (const token of tokens) {
      if (!token.text.includes('\uFFFD')) assert.equal(text.slice(token.start, token.end), token.text);
    }
  });

  test('a combining mark composed by NFC (Qwen) maps back to both source code units', async () => {
    const tokenizer = await loadTokenizer('hf:qwen3');
    const tokens = tokenizer.tokens('e\u0301!');
    assert.equal(tokenizer.decode(tokens.map((token) => token.id)), '\u00e9!');
    assert.equal(tokens[0].start, 0);
    assert.equal(tokens[tokens.length - 1].end, 3);
    const bang = tokens.find((token) => token.text === '!');
    assert.deepEqual([bang?.start, bang?.end], [2, 3]);
  });

  test('NFKC (Claude approximation) expands a ligature without losing the offsets', async () => {
    const tokenizer = await loadTokenizer('hf:claude');
    const tokens = tokenizer.tokens('\uFB01ne day');
    assert.equal(tokens[0].start, 0);
    const day = tokens.find((token) => token.text === ' day');
    assert.deepEqual([day?.start, day?.end], [3, 7]); // 'ﬁ' is one UTF-16 unit, 'fi' two model characters
  });

  test('SentencePiece spaces (Gemma) belong to the word after them', async () => {
    const tokenizer = await loadTokenizer('hf:gemma3');
    const tokens = tokenizer.tokens('Hello world');
    assert.deepEqual(
      tokens.map((token) => [token.text, token.start, token.end]),
      [
        ['Hello', 0, 5],
        [' world', 5, 11],
      ],
    );
  });

  test('a lone surrogate is one U+FFFD token span, not a crash', async () => {
    const tokenizer = await loadTokenizer('o200k_base');
    // openai/tiktoken tests/test_encoding.py: a lone surrogate encodes like U+FFFD.
    assert.deepEqual(tokenizer.encode('\uD83D'), tokenizer.encode('\uFFFD'));
    const tokens = tokenizer.tokens('x\uD83Dy');
    assert.equal(tokens[tokens.length - 1].end, 3);
  });
});
