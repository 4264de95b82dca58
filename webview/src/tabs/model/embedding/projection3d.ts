/**
 * Screen geometry of the embedding plot, without the DOM: the host sends PCA coordinates (2 or 3 per token);
 * this turns them into canvas positions. 3D is shown by rotating the cloud (yaw about the vertical axis, then
 * pitch about the horizontal one) and projecting orthographically, so distances along the screen stay
 * comparable; depth only orders the drawing (far points first) and dims far points.
 */

export interface ScreenPoints {
  x: Float32Array;
  y: Float32Array;
  /** Depth after rotation, larger = nearer the viewer; all 0 in 2D. */
  depth: Float32Array;
}

/** The 3 × 3 rotation (row-major) of yaw radians about the y axis followed by pitch radians about the x axis. */
export function rotationMatrix(yaw: number, pitch: number): number[] {
  const cy = Math.cos(yaw);
  const sy = Math.sin(yaw);
  const cp = Math.cos(pitch);
  const sp = Math.sin(pitch);
  // R = Rx(pitch) · Ry(yaw)
  return [cy, 0, sy, sp * sy, cp, -sp * cy, -cp * sy, sp, cp * cy];
}

/**
 * Rotates `count` points of `dimensions` coordinates each (row-major) and keeps the screen plane: x right,
 * y up (still in data units), depth towards the viewer. 2D points are returned as they are.
 */
export function rotatePoints(points: Float32Array, count: number, dimensions: 2 | 3, yaw: number, pitch: number): ScreenPoints {
  const x = new Float32Array(count);
  const y = new Float32Array(count);
  const depth = new Float32Array(count);
  if (dimensions === 2) {
    for (let k = 0; k < count; k++) {
      x[k] = points[k * 2];
      y[k] = points[k * 2 + 1];
    }
    return { x, y, depth };
  }
  const m = rotationMatrix(yaw, pitch);
  for (let k = 0; k < count; k++) {
    const a = points[k * 3];
    const b = points[k * 3 + 1];
    const c = points[k * 3 + 2];
    x[k] = m[0] * a + m[1] * b + m[2] * c;
    y[k] = m[3] * a + m[4] * b + m[5] * c;
    depth[k] = m[6] * a + m[7] * b + m[8] * c;
  }
  return { x, y, depth };
}

export interface Fit {
  scale: number;
  /** Screen position of data (0, 0). */
  originX: number;
  originY: number;
}

/**
 * One scale for both axes (a PCA plot stretched per axis would lie about distances) that fits every point
 * inside width × height less `padding`, centred; screen y grows downwards, so data y is flipped.
 * With `radius` the fit is for the whole cloud under any rotation (the sphere around the origin of that radius),
 * so rotating a 3D plot never rescales it.
 */
export function fitToBox(points: Pick<ScreenPoints, 'x' | 'y'>, width: number, height: number, padding: number, radius?: number): Fit {
  let minX = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  if (radius !== undefined) {
    minX = minY = -radius;
    maxX = maxY = radius;
  } else {
    for (let k = 0; k < points.x.length; k++) {
      minX = Math.min(minX, points.x[k]);
      maxX = Math.max(maxX, points.x[k]);
      minY = Math.min(minY, points.y[k]);
      maxY = Math.max(maxY, points.y[k]);
    }
  }
  if (!Number.isFinite(minX)) return { scale: 1, originX: width / 2, originY: height / 2 };
  const spanX = maxX - minX || 1;
  const spanY = maxY - minY || 1;
  const scale = Math.max(0, Math.min((width - 2 * padding) / spanX, (height - 2 * padding) / spanY));
  return { scale, originX: width / 2 - ((minX + maxX) / 2) * scale, originY: height / 2 + ((minY + maxY) / 2) * scale };
}

/** The largest distance of any point from the origin (3 or 2 coordinates each). */
export function cloudRadius(points: Float32Array, count: number, dimensions: 2 | 3): number {
  let radius = 0;
  for (let k = 0; k < count; k++) {
    let sum = 0;
    for (let c = 0; c < dimensions; c++) sum += points[k * dimensions + c] ** 2;
    radius = Math.max(radius, Math.sqrt(sum));
  }
  return radius;
}

/** Canvas coordinates of every point under `fit`. */
export function toScreen(points: Pick<ScreenPoints, 'x' | 'y'>, fit: Fit): { x: Float32Array; y: Float32Array } {
  const count = points.x.length;
  const x = new Float32Array(count);
  const y = new Float32Array(count);
  for (let k = 0; k < count; k++) {
    x[k] = fit.originX + points.x[k] * fit.scale;
    y[k] = fit.originY - points.y[k] * fit.scale;
  }
  return { x, y };
}

/** Indexes ordered far to near, so nearer points are drawn over farther ones (painter's algorithm). */
export function drawOrder(depth: Float32Array): number[] {
  return Array.from(depth.keys()).sort((a, b) => depth[a] - depth[b] || a - b);
}

/** The point nearest to (x, y) within `radius` px, preferring the nearest to the viewer among ties; -1 if none. */
export function nearestPoint(screen: { x: Float32Array; y: Float32Array }, x: number, y: number, radius: number, depth?: Float32Array): number {
  let best = -1;
  let bestDistance = radius * radius;
  for (let k = 0; k < screen.x.length; k++) {
    const distance = (screen.x[k] - x) ** 2 + (screen.y[k] - y) ** 2;
    if (distance < bestDistance || (distance === bestDistance && best >= 0 && depth && depth[k] > depth[best])) {
      best = k;
      bestDistance = distance;
    }
  }
  return best;
}
