import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  LOG_DECADES,
  axisTicks,
  cellAt,
  cellColours,
  cellKind,
  displayMatrix,
  formatWeight,
  gridLayout,
  headMatrix,
  legendTicks,
  packPixel,
  paintHeatmap,
  rampColour,
  rampPosition,
} from '../../../../../webview/src/tabs/model/heatmap';

/** Two heads over three tokens, causal: row q has keys 0..q. */
const HEAD_A = [1, 0, 0, 0.5, 0.5, 0, 0.2, 0.3, 0.5];
const HEAD_B = [1, 0, 0, 0.9, 0.1, 0, 0.6, 0.3, 0.1];
const LAYER = Float32Array.from([...HEAD_A, ...HEAD_B]);

function close(actual: ArrayLike<number>, expected: number[], what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let k = 0; k < expected.length; k++) {
    if (Number.isNaN(expected[k])) assert.ok(Number.isNaN(actual[k]), `${what}[${k}] should be NaN, is ${actual[k]}`);
    else assert.ok(Math.abs(actual[k] - expected[k]) < 1e-6, `${what}[${k}]: ${actual[k]} ≠ ${expected[k]}`);
  }
}

test('one head is picked out of the layer, and mean and max combine the heads cell by cell', () => {
  close(headMatrix(LAYER, 2, 3, 1), HEAD_B, 'head 1');
  close(headMatrix(LAYER, 2, 3, 'mean'), [1, 0, 0, 0.7, 0.3, 0, 0.4, 0.3, 0.3], 'mean');
  close(headMatrix(LAYER, 2, 3, 'max'), [1, 0, 0, 0.9, 0.5, 0, 0.6, 0.3, 0.5], 'max');
  // The mean of softmax rows is still a distribution; the max is not (its rows sum above 1).
  const mean = headMatrix(LAYER, 2, 3, 'mean');
  assert.ok(Math.abs(mean[6] + mean[7] + mean[8] - 1) < 1e-6);
  close(headMatrix(LAYER, 2, 3, 7), HEAD_B, 'a head past the last is the last');
});

test('future keys are masked and stay NaN whatever the options; the sink column is hidden only when asked', () => {
  assert.equal(cellKind(0, 1, false), 'masked');
  assert.equal(cellKind(2, 0, true), 'hidden');
  assert.equal(cellKind(2, 0, false), 'value');
  assert.equal(cellKind(0, 0, true), 'hidden');
  const raw = displayMatrix(Float32Array.from(HEAD_A), 3, { normalise: 'raw', hideSink: false });
  close(raw.values, [1, NaN, NaN, 0.5, 0.5, NaN, 0.2, 0.3, 0.5], 'raw');
  assert.equal(raw.max, 1);
  assert.ok(Math.abs(raw.minPositive - 0.2) < 1e-6);
  const noSink = displayMatrix(Float32Array.from(HEAD_A), 3, { normalise: 'raw', hideSink: true });
  close(noSink.values, [NaN, NaN, NaN, NaN, 0.5, NaN, NaN, 0.3, 0.5], 'sink hidden');
  assert.equal(noSink.max, 0.5, 'the sink no longer sets the top of the colour scale');
});

test('row normalisation gives every row’s strongest visible key the full value', () => {
  const rows = displayMatrix(Float32Array.from(HEAD_A), 3, { normalise: 'row', hideSink: false });
  close(rows.values, [1, NaN, NaN, 1, 1, NaN, 0.4, 0.6, 1], 'row');
  const rowsNoSink = displayMatrix(Float32Array.from(HEAD_B), 3, { normalise: 'row', hideSink: true });
  close(rowsNoSink.values, [NaN, NaN, NaN, NaN, 1, NaN, NaN, 1, 1 / 3], 'row without the sink');
  const zeros = displayMatrix(new Float32Array(9), 3, { normalise: 'row', hideSink: false });
  close(zeros.values, [0, NaN, NaN, 0, 0, NaN, 0, 0, 0], 'an all-zero row stays zero, not NaN');
});

test('the log scale spreads small weights over decades and stops LOG_DECADES below the maximum', () => {
  const display = { max: 1, minPositive: 1e-9 };
  assert.equal(rampPosition(1, 'log', display), 1);
  assert.ok(Math.abs(rampPosition(0.01, 'log', display) - 0.5) < 1e-9, 'two of four decades is half way');
  assert.equal(rampPosition(10 ** -LOG_DECADES / 10, 'log', display), 0);
  assert.equal(rampPosition(0, 'log', display), 0);
  assert.ok(Math.abs(rampPosition(0.01, 'linear', display) - 0.01) < 1e-9, 'linear: 0.01 is barely above zero');
  // Weights that span less than four decades use the smallest one as the floor.
  assert.equal(rampPosition(0.1, 'log', { max: 1, minPositive: 0.1 }), 0);
  assert.deepEqual(
    legendTicks('log', display).map((tick) => tick.value),
    [1e-4, 1e-3, 1e-2, 1e-1, 1],
  );
});

function paint(values: number[], n: number, scale: 'linear' | 'log', hideSink = false): Uint32Array {
  const display = displayMatrix(Float32Array.from(values), n, { normalise: 'raw', hideSink });
  const pixels = new Uint8ClampedArray(n * n * 4);
  paintHeatmap(pixels, display, scale, cellColours([31, 31, 31], [204, 204, 204]));
  return new Uint32Array(pixels.buffer);
}

test('a masked cell never looks like a zero weight, nor like the hidden sink', () => {
  for (const [background, foreground] of [
    [[255, 255, 255], [59, 59, 59]],
    [[31, 31, 31], [204, 204, 204]],
    [[0, 0, 0], [255, 255, 255]],
  ] as const) {
    const colours = cellColours(background, foreground);
    const zero = rampColour(0);
    assert.notDeepEqual(colours.masked, zero);
    assert.notDeepEqual(colours.hidden, zero);
    assert.notDeepEqual(colours.masked, colours.hidden);
  }
  const pixels = paint([0.7, 0, 0, 0, 1, 0, 0.3, 0, 0.7], 3, 'linear', true);
  const zero = packPixel(rampColour(0));
  const colours = cellColours([31, 31, 31], [204, 204, 204]);
  assert.equal(pixels[4], packPixel(rampColour(1)), 'the largest visible weight is the top of the ramp');
  assert.equal(pixels[7], zero, 'a real 0 weight is the bottom of the ramp');
  assert.equal(pixels[1], packPixel(colours.masked), 'future key');
  assert.equal(pixels[5], packPixel(colours.masked), 'future key');
  assert.equal(pixels[3], packPixel(colours.hidden), 'sink column');
  assert.equal(pixels[0], packPixel(colours.hidden), 'sink column of the first row');
});

test('painting in log scale lifts small weights that linear leaves at the bottom', () => {
  const values = [1, 0, 0.001, 0.999];
  const linear = paint(values, 2, 'linear');
  const log = paint(values, 2, 'log');
  assert.equal(linear[2], packPixel(rampColour(0)));
  assert.equal(log[2], packPixel(rampColour(0)), 'the smallest weight is the log floor');
  assert.equal(log[0], packPixel(rampColour(1)));
  const middle = paint([1, 0, 0.0001, 0.01], 2, 'log');
  assert.equal(middle[3], packPixel(rampColour(128 / 255)), '0.01 is half way between 1e-4 and 1');
});

test('the cell under the pointer: row = query, column = key, nothing outside the drawing', () => {
  const box = { left: 10, top: 20, size: 512 };
  assert.deepEqual(cellAt(10, 20, box, 512), { query: 0, key: 0 });
  assert.deepEqual(cellAt(10 + 511.9, 20 + 3.5, box, 512), { query: 3, key: 511 });
  assert.deepEqual(cellAt(10 + 256, 20 + 128, box, 4), { query: 1, key: 2 });
  assert.equal(cellAt(9.9, 30, box, 512), undefined);
  assert.equal(cellAt(10 + 512, 30, box, 512), undefined);
  assert.equal(cellAt(20, 30, box, 0), undefined);
});

test('small multiples fill rows evenly and axis labels keep their distance', () => {
  assert.deepEqual(gridLayout(4, 400, 8, 90), { columns: 4, rows: 1, cell: 94 });
  assert.deepEqual(gridLayout(12, 500, 8, 90), { columns: 4, rows: 3, cell: 119 }, 'not 5 + 5 + 2');
  assert.deepEqual(gridLayout(3, 100, 8, 90), { columns: 1, rows: 3, cell: 100 });
  assert.deepEqual(axisTicks(512, 1, 40), [0, 50, 100, 150, 200, 250, 300, 350, 400, 450, 500]);
  assert.deepEqual(axisTicks(8, 100, 40), [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.equal(formatWeight(0.12345), '0.123');
  assert.equal(formatWeight(0.00002), '2.0e-5');
  assert.equal(formatWeight(1), '1');
});
