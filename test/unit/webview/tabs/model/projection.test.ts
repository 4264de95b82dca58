import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cloudRadius, drawOrder, fitToBox, nearestPoint, rotatePoints, rotationMatrix, toScreen } from '../../../../../webview/src/tabs/model/embedding/projection3d';

function near(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) < 1e-6, `${what}: ${actual} ≠ ${expected}`);
}

test('rotation keeps lengths and turns the axes the way the user drags', () => {
  const m = rotationMatrix(0.7, -0.4);
  // Orthonormal: each row has length 1 and rows are perpendicular.
  for (let r = 0; r < 3; r++) {
    near(m[r * 3] ** 2 + m[r * 3 + 1] ** 2 + m[r * 3 + 2] ** 2, 1, `row ${r} length`);
    const s = (r + 1) % 3;
    near(m[r * 3] * m[s * 3] + m[r * 3 + 1] * m[s * 3 + 1] + m[r * 3 + 2] * m[s * 3 + 2], 0, `rows ${r}, ${s}`);
  }
  // A quarter turn of yaw brings the depth axis (z) to the right of the screen (x) and x towards the back.
  const quarter = rotatePoints(Float32Array.of(0, 0, 1, 1, 0, 0), 2, 3, Math.PI / 2, 0);
  near(quarter.x[0], 1, 'z → x');
  near(quarter.depth[1], -1, 'x → away from the viewer');
  // Pitching a quarter turn shows the point above the origin (y) coming towards the viewer.
  const pitched = rotatePoints(Float32Array.of(0, 1, 0), 1, 3, 0, Math.PI / 2);
  near(pitched.y[0], 0, 'y leaves the screen plane');
  near(pitched.depth[0], 1, 'towards the viewer');
  const flat = rotatePoints(Float32Array.of(3, 4), 1, 2, 1, 1);
  assert.deepEqual([flat.x[0], flat.y[0], flat.depth[0]], [3, 4, 0], '2D points are not rotated');
});

test('fitting keeps one scale for both axes, centres the cloud and flips y for the screen', () => {
  const points = { x: Float32Array.of(-1, 3), y: Float32Array.of(0, 1) };
  const fit = fitToBox(points, 200, 100, 10);
  near(fit.scale, 45, 'the wider axis decides: (200 − 20) / 4');
  const screen = toScreen(points, fit);
  near(screen.x[0], 10, 'left edge at the padding');
  near(screen.x[1], 190, 'right edge at the padding');
  near(screen.y[1], 50 - 22.5, 'higher data y is higher on screen (smaller y)');
  near(screen.y[0], 50 + 22.5, '');
  // Fitted to the radius, a rotating cloud never leaves the box nor rescales.
  const cloud = Float32Array.of(3, 0, 4, -1, 1, 1);
  const radius = cloudRadius(cloud, 2, 3);
  near(radius, 5, 'radius');
  for (const yaw of [0, 1, 2, 3]) {
    const rotated = rotatePoints(cloud, 2, 3, yaw, 0.5);
    const fitted = fitToBox(rotated, 100, 100, 5, radius);
    near(fitted.scale, 9, 'same scale at every angle');
    const on = toScreen(rotated, fitted);
    for (let k = 0; k < 2; k++) assert.ok(on.x[k] >= 5 - 1e-6 && on.x[k] <= 95 + 1e-6 && on.y[k] >= 5 - 1e-6 && on.y[k] <= 95 + 1e-6);
  }
  const single = fitToBox({ x: Float32Array.of(2), y: Float32Array.of(2) }, 100, 100, 10);
  assert.ok(Number.isFinite(single.scale), 'one point does not divide by zero');
});

test('far points are drawn first, and the pointer picks the nearest point within reach', () => {
  assert.deepEqual(drawOrder(Float32Array.of(0.5, -2, 3, 0.5)), [1, 0, 3, 2]);
  const screen = { x: Float32Array.of(10, 50, 52), y: Float32Array.of(10, 50, 50) };
  assert.equal(nearestPoint(screen, 12, 11, 6), 0);
  assert.equal(nearestPoint(screen, 51.5, 50, 6), 2);
  assert.equal(nearestPoint(screen, 100, 100, 6), -1, 'nothing within reach');
  assert.equal(nearestPoint(screen, 51, 50, 6, Float32Array.of(0, -1, 1)), 2, 'a tie goes to the point nearer the viewer');
});
