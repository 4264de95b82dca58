import assert from 'node:assert/strict';
import test from 'node:test';
import { matrixCsv, pca, projectOnto } from '../../../../src/core/localModel';

const close = (actual: number, expected: number, tolerance = 1e-5) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);

test('PCA finds the direction of points on a line, with its sign fixed and all variance on it', () => {
  const direction = [1 / 3, 2 / 3, 2 / 3];
  const offset = [5, -1, 2];
  const ts = [-2, -1, 0, 1, 2];
  const data = Float32Array.from(ts.flatMap((t) => direction.map((d, i) => offset[i] + t * d)));
  const result = pca(data, ts.length, 3, 2);
  // The largest-magnitude coefficient of each axis is positive: (1/3, 2/3, 2/3), not its negation.
  direction.forEach((d, i) => close(result.axes[i], d));
  ts.forEach((t, row) => close(result.points[row * 2], t));
  close(result.varianceRatio[0], 1);
  close(result.varianceRatio[1], 0);
  close(result.variance[0], 2.5); // var(-2..2) with n - 1 = 4
});

test('PCA recovers the axes and variances of a rotated ellipse', () => {
  const angle = Math.PI / 6;
  const [c, s] = [Math.cos(angle), Math.sin(angle)];
  const base = [
    [3, 0],
    [-3, 0],
    [0, 1],
    [0, -1],
  ];
  const data = Float32Array.from(base.flatMap(([x, y]) => [c * x - s * y, s * x + c * y]));
  const result = pca(data, 4, 2, 2);
  close(result.axes[0], c);
  close(result.axes[1], s);
  close(result.axes[2], -s);
  close(result.axes[3], c);
  close(result.variance[0], 6);
  close(result.variance[1], 2 / 3);
  close(result.varianceRatio[0], 0.9);
  base.forEach(([x, y], row) => {
    close(result.points[row * 2], x);
    close(result.points[row * 2 + 1], y);
  });
});

test('PCA with fewer rows than columns (Gram path) keeps all distances of three points', () => {
  const rows = [
    [1, 0, 0, 0, 0, 0, 0, 0, 0, 2],
    [0, 3, 0, 0, 1, 0, 0, 0, 0, 0],
    [0, 0, 0, 4, 0, 0, 0, -1, 0, 0],
  ];
  const result = pca(Float32Array.from(rows.flat()), 3, 10, 3);
  const distance = (a: number[], b: number[]) => Math.hypot(...a.map((v, i) => v - b[i]));
  const point = (r: number) => [result.points[r * 3], result.points[r * 3 + 1], result.points[r * 3 + 2]];
  for (const [i, j] of [[0, 1], [0, 2], [1, 2]]) close(distance(point(i), point(j)), distance(rows[i], rows[j]), 1e-4);
  close(result.varianceRatio[0] + result.varianceRatio[1], 1);
  close(result.variance[2], 0);
  // projectOnto puts the fitted rows where pca put them.
  const again = projectOnto(result, Float32Array.from(rows.flat()), 3);
  again.forEach((value, i) => close(value, result.points[i], 1e-4));
});

test('PCA is deterministic: the same data gives the same picture, negated data a mirrored one', () => {
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) - 0.5;
  const data = Float32Array.from({ length: 40 * 16 }, random);
  const first = pca(data, 40, 16, 3);
  const second = pca(data, 40, 16, 3);
  assert.deepEqual(Array.from(second.points), Array.from(first.points));
  const negated = pca(data.map((v) => -v), 40, 16, 3);
  // Same axes (their sign follows the axis, not the data), so every point is mirrored through the origin.
  negated.axes.forEach((value, i) => close(value, first.axes[i], 1e-4));
  negated.points.forEach((value, i) => close(value, -first.points[i], 1e-4));
  assert.ok(first.variance[0] >= first.variance[1] && first.variance[1] >= first.variance[2]);
});

test('matrix CSV quotes labels, defuses formulas and writes float32 values that read back exactly', () => {
  const value = Math.fround(0.1);
  const csv = matrixCsv(Float32Array.of(value, -2.5, 0, 1), 2, 2, { rows: ['a,b', '=cmd'], cols: ['say "hi"', 'x'], corner: 'q\\k' });
  assert.equal(csv, 'q\\k,"say ""hi""",x\r\n"a,b",0.100000001,-2.5\r\n\'=cmd,0,1\r\n');
  assert.equal(Math.fround(Number('0.100000001')), value);
});
