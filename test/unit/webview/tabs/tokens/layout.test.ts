import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IncrementalLayout, layoutRows, tokenOnNearbyRow, visibleRows, type RowLayout } from '../../../../../webview/src/tabs/tokens/layout';

/** The text of each row as `token:text` pieces, to compare layouts at a glance. */
function rows(layout: RowLayout, displays: string[]): string[][] {
  const result: string[][] = [];
  for (let row = 0; row < layout.rowCount; row++) {
    const pieces: string[] = [];
    for (let piece = layout.rowFirstPiece[row]; piece < layout.rowFirstPiece[row + 1]; piece++) {
      const token = layout.pieceToken[piece];
      pieces.push(`${token}:${displays[token].slice(layout.pieceFrom[piece], layout.pieceTo[piece])}`);
    }
    result.push(pieces);
  }
  return result;
}

const none = () => 0;

test('newlines inside a token start a new row, and the token continues there', () => {
  const displays = ['def', ' f():', ' \n    ', 'return'];
  const layout = layoutRows(displays, none, 80);
  assert.deepEqual(rows(layout, displays), [
    ['0:def', '1: f():', '2: '],
    ['2:    ', '3:return'],
  ]);
  assert.equal(layout.tokenFirstPiece[2], 2);
  assert.equal(layout.tokenLastPiece[2], 3);
});

test('a token that does not fit the rest of a row moves to the next row whole', () => {
  const displays = ['abcd', 'efgh', 'ij'];
  assert.deepEqual(rows(layoutRows(displays, none, 6), displays), [['0:abcd'], ['1:efgh', '2:ij']]);
});

test('a token longer than a row is cut at the row width, never inside a wide character', () => {
  const displays = ['x', 'abcdefghij', '日本語'];
  assert.deepEqual(rows(layoutRows(displays, none, 4), displays), [['0:x'], ['1:abcd'], ['1:efgh'], ['1:ij'], ['2:日本'], ['2:語']]);
});

test('inline id labels take room on the row', () => {
  const displays = ['ab', 'cd'];
  const labels = (token: number) => [3, 4][token];
  // ab+3 cells = 5; cd+4 cells = 6 does not fit the remaining 3 of 8.
  assert.deepEqual(rows(layoutRows(displays, labels, 8), displays), [['0:ab'], ['1:cd']]);
  assert.deepEqual(rows(layoutRows(displays, none, 8), displays), [['0:ab', '1:cd']]);
});

test('a text ending in a newline ends with an empty row, like an editor', () => {
  const displays = ['a \n'];
  const layout = layoutRows(displays, none, 10);
  assert.equal(layout.rowCount, 2);
  assert.equal(layout.pieceCount, 1);
});

test('only the rows on screen, plus overscan, are rendered', () => {
  assert.deepEqual(visibleRows(0, 200, 20, 1000, 5), { first: 0, last: 15 });
  assert.deepEqual(visibleRows(2000, 200, 20, 1000, 5), { first: 95, last: 115 });
  assert.deepEqual(visibleRows(19_990, 200, 20, 1000, 5), { first: 994, last: 999 });
});

test('Up and Down move to the token nearest the same column on the neighbouring row', () => {
  const displays = ['aaaa', 'bb', '\n', 'cc', 'dddd'];
  const layout = layoutRows(displays, none, 80);
  // row 0: aaaa bb ␣ ; row 1: cc dddd — 'bb' starts at cell 4, which is inside 'dddd' (cells 2-5).
  assert.equal(tokenOnNearbyRow(layout, 1, 1), 4);
  assert.equal(tokenOnNearbyRow(layout, 3, -1), 0);
  assert.equal(tokenOnNearbyRow(layout, 0, -1), 0, 'the first row stays put');
});

test('50,000 tokens lay out into rows with one piece per token', () => {
  const displays = Array.from({ length: 50_000 }, (_, k) => (k % 40 === 39 ? ' \n' : ` w${k % 97}`));
  const layout = layoutRows(displays, none, 60);
  assert.ok(layout.rowCount > 1250 && layout.rowCount < 5000, `${layout.rowCount} rows`);
  assert.equal(layout.pieceCount, 50_000);
});

test('a layout made in slices, rows first, ends exactly as one made at once', () => {
  const displays = Array.from({ length: 5_000 }, (_, k) => (k % 13 === 12 ? ' \n' : k % 29 === 0 ? ' antidisestablishment' : ` w${k % 97}`));
  const whole = layoutRows(displays, none, 16);
  const asked: number[] = [];
  const sliced = new IncrementalLayout(displays.length, (token) => (asked.push(token), displays[token]), none, 16);
  sliced.throughRow(3);
  assert.ok(sliced.rowCount > 4 && !sliced.complete, 'only the rows asked for, and a little more, are laid out');
  assert.ok(sliced.tokensDone < 100, `${sliced.tokensDone} tokens laid out for 4 rows`);
  assert.deepEqual(rows(sliced, displays).slice(0, 4), rows(whole, displays).slice(0, 4));
  sliced.throughToken(2_000);
  assert.equal(sliced.tokensDone, 2_001);
  let clock = 0;
  while (!sliced.until(++clock, () => clock)) {
    // one slice of CLOCK_STRIDE tokens per tick of this fake clock
  }
  assert.ok(sliced.complete);
  assert.deepEqual(rows(sliced, displays), rows(whole, displays));
  assert.equal(asked.length, displays.length, 'each display text is asked for once');
});
