import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PartialToken, SegmentView, TokenColumn } from '../../../../../common/protocol/index';
import { boundaries, byteRanges, differingTokens, dynamicSegmentOf, tokensAt, tokensJson } from '../../../../../webview/src/tabs/tokens/tokenMath';
import { byteLabel, cellWidth, displayText, fitCells } from '../../../../../webview/src/tabs/tokens/tokenText';

/** Tokens covering `text` split at the given offsets. */
function split(text: string, cuts: number[]): { starts: Uint32Array; ends: Uint32Array } {
  const edges = [0, ...cuts, text.length];
  return { starts: Uint32Array.from(edges.slice(0, -1)), ends: Uint32Array.from(edges.slice(1)) };
}

/** 'a😀b' with the emoji split over two byte tokens, as byte-level BPE does. */
const EMOJI_SPANS = { starts: Uint32Array.of(0, 1, 1, 3), ends: Uint32Array.of(1, 3, 3, 4) };
const EMOJI_PARTIAL: PartialToken[] = [
  { index: 1, bytes: [0xf0, 0x9f] },
  { index: 2, bytes: [0x98, 0x80] },
];

test('partial UTF-8 characters are shown as their bytes', () => {
  assert.equal(byteLabel([0xe2, 0x80]), '<0xE2><0x80>');
  assert.equal(displayText('😀', [0xf0, 0x9f], false), '<0xF0><0x9F>');
  assert.equal(displayText('😀', [0x98, 0x80], true), '<0x98><0x80>');
  // A whole character (no bytes sent) is shown as its text.
  assert.equal(displayText('é', undefined, false), 'é');
});

test('whitespace is made visible only when asked, and newlines still break the line', () => {
  assert.equal(displayText(' the\tend\n', undefined, true), '·the→end↵\n');
  assert.equal(displayText(' the\tend\n', undefined, false), ' the    end \n');
  assert.equal(displayText('\r\n', undefined, true), '␍↵\n');
});

test('control characters and empty tokens are always drawn as something visible', () => {
  assert.equal(displayText('\u0000\u001b', undefined, false), '\u2400\u241b');
  assert.equal(displayText('', undefined, false), '∅');
});

test('wide characters take two monospace cells and are never split in half', () => {
  assert.equal(cellWidth('hello'), 5);
  assert.equal(cellWidth('日本'), 4);
  assert.equal(cellWidth('😀a'), 3);
  assert.equal(cellWidth('é'), 1);
  assert.equal(fitCells('😀😀', 3), 2);
  assert.equal(fitCells('abcdef', 4), 4);
  // Always at least one character, even when it does not fit: layout must advance.
  assert.equal(fitCells('日', 1), 1);
});

test('tokens whose start or end is not a boundary of the first column are marked different', () => {
  const text = 'unbelievable';
  const reference = split(text, [2, 6]); // un|beli|evable
  const other = split(text, [2, 8]); // un|believ|able
  assert.deepEqual([...differingTokens(other, boundaries(reference, text.length))], [0, 1, 1]);
  assert.deepEqual([...differingTokens(reference, boundaries(reference, text.length))], [0, 0, 0]);
});

test('the tokens at an offset include every token sharing a split character', () => {
  const tokens = EMOJI_SPANS;
  assert.deepEqual(tokensAt(tokens, 0), [0]);
  assert.deepEqual(tokensAt(tokens, 2), [1, 2]);
  assert.deepEqual(tokensAt(tokens, 3), [3]);
  assert.deepEqual(tokensAt(tokens, 4), [3], 'a cursor at the very end shows the last token');
  assert.deepEqual(tokensAt(tokens, -1), []);
  assert.deepEqual(tokensAt(tokens, 9), []);
});

test('tokens inside a dynamic part know which part they came from', () => {
  const text = 'Hi Ada, welcome';
  const segments: SegmentView[] = [
    { kind: 'static', source: 'Hi ', start: 0, end: 3 },
    { kind: 'dynamic', source: '{name}', expression: 'name', start: 3, end: 6 },
    { kind: 'static', source: ', welcome', start: 6, end: 15 },
  ];
  const tokens = split(text, [2, 3, 6, 7]); // Hi| |Ada|,| welcome
  assert.deepEqual([...dynamicSegmentOf(tokens, segments)], [-1, -1, 1, -1, -1]);
});

test('byte ranges count UTF-8 bytes, and a character split over tokens gets consecutive bytes', () => {
  const text = 'é😀x';
  const tokens = { starts: Uint32Array.of(0, 1, 1, 3), ends: Uint32Array.of(1, 3, 3, 4), partial: EMOJI_PARTIAL };
  assert.deepEqual(byteRanges(text, tokens), [
    [0, 2],
    [2, 4],
    [4, 6],
    [6, 7],
  ]);
  assert.equal(new TextEncoder().encode(text).length, 7);
});

test('the JSON export lists every column with ids, text, byte and character ranges', () => {
  const text = 'Hi é😀';
  const column: TokenColumn = {
    modelId: 'gpt-4o',
    modelLabel: 'GPT-4o',
    tokenizer: 'o200k_base',
    approximate: false,
    ids: Uint32Array.of(12194, 5, 9468, 222),
    starts: Uint32Array.of(0, 2, 4, 4),
    ends: Uint32Array.of(2, 4, 6, 6),
    partial: [
      { index: 2, bytes: [0xf0, 0x9f] },
      { index: 3, bytes: [0x98, 0x80] },
    ],
    special: [0],
    characters: 6,
    contextWindow: 128000,
  };
  const exported = JSON.parse(tokensJson('greeting', text, [column]));
  assert.equal(exported.prompt, 'greeting');
  assert.equal(exported.columns[0].model, 'gpt-4o');
  assert.deepEqual(exported.columns[0].tokens, [
    { id: 12194, text: 'Hi', special: true, byteRange: [0, 2], textRange: [0, 2] },
    { id: 5, text: ' é', byteRange: [2, 5], textRange: [2, 4] },
    { id: 9468, text: '', bytes: [0xf0, 0x9f], byteRange: [5, 7], textRange: [4, 6] },
    { id: 222, text: '', bytes: [0x98, 0x80], byteRange: [7, 9], textRange: [4, 6] },
  ]);
});
