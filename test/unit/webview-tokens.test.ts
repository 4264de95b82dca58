import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SegmentView, TokenColumn, TokenView } from '../../webview/src/protocol';
import { boundaries, byteRanges, differingTokens, dynamicSegmentOf, tokensAt, tokensJson } from '../../webview/src/tokenMath';
import { byteLabel, cellWidth, displayText, fitCells } from '../../webview/src/tokenText';

/** Tokens covering `text` split at the given offsets, ids counting from 100. */
function split(text: string, cuts: number[]): TokenView[] {
  const edges = [0, ...cuts, text.length];
  return edges.slice(1).map((end, k) => ({ id: 100 + k, text: text.slice(edges[k], end), start: edges[k], end }));
}

test('partial UTF-8 characters are shown as their bytes', () => {
  assert.equal(byteLabel([0xe2, 0x80]), '<0xE2><0x80>');
  assert.equal(displayText({ text: '', bytes: [0xe2] }, false), '<0xE2>');
  assert.equal(displayText({ text: '\uFFFD', bytes: [0x9f] }, true), '<0x9F>');
  // A whole character that happens to come with bytes is still shown as text.
  assert.equal(displayText({ text: 'é', bytes: [0xc3, 0xa9] }, false), 'é');
});

test('whitespace is made visible only when asked, and newlines still break the line', () => {
  assert.equal(displayText({ text: ' the\tend\n' }, true), '·the→end↵\n');
  assert.equal(displayText({ text: ' the\tend\n' }, false), ' the    end \n');
  assert.equal(displayText({ text: '\r\n' }, true), '␍↵\n');
});

test('control characters and empty tokens are always drawn as something visible', () => {
  assert.equal(displayText({ text: '\u0000\u001b' }, false), '\u2400\u241b');
  assert.equal(displayText({ text: '' }, false), '∅');
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
  const tokens: TokenView[] = [
    { id: 1, text: 'a', start: 0, end: 1 },
    { id: 2, text: '', bytes: [0xf0, 0x9f], start: 1, end: 3 },
    { id: 3, text: '', bytes: [0x98, 0x80], start: 1, end: 3 },
    { id: 4, text: 'b', start: 3, end: 4 },
  ];
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
  const tokens: TokenView[] = [
    { id: 1, text: 'é', start: 0, end: 1 },
    { id: 2, text: '', bytes: [0xf0, 0x9f], start: 1, end: 3 },
    { id: 3, text: '', bytes: [0x98, 0x80], start: 1, end: 3 },
    { id: 4, text: 'x', start: 3, end: 4 },
  ];
  assert.deepEqual(byteRanges(text, tokens), [
    [0, 2],
    [2, 4],
    [4, 6],
    [6, 7],
  ]);
  assert.equal(new TextEncoder().encode(text).length, 7);
});

test('the JSON export lists every column with ids, text, byte and character ranges', () => {
  const text = 'Hi é';
  const column: TokenColumn = {
    modelId: 'gpt-4o',
    modelLabel: 'GPT-4o',
    tokenizer: 'o200k_base',
    approximate: false,
    tokens: [
      { id: 12194, text: 'Hi', start: 0, end: 2 },
      { id: 5, text: ' é', start: 2, end: 4 },
    ],
    characters: 4,
    contextWindow: 128000,
  };
  const exported = JSON.parse(tokensJson('greeting', text, [column]));
  assert.equal(exported.prompt, 'greeting');
  assert.equal(exported.columns[0].model, 'gpt-4o');
  assert.deepEqual(exported.columns[0].tokens[1], { id: 5, text: ' é', byteRange: [2, 5], textRange: [2, 4] });
});
