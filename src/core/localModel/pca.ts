/**
 * Principal component analysis in plain TypeScript, for the embedding projection view (2D, or 3D).
 * Deterministic: a fixed start basis, and each axis's sign chosen so that its largest-magnitude
 * coefficient is positive (the convention of scikit-learn's `svd_flip`), so the same data always gives
 * the same picture, and re-running on a changed prompt does not mirror the plot.
 *
 * Method: the smaller of the covariance (cols × cols) and Gram (rows × rows) matrices is formed in
 * float64, then its top eigenvectors are found by block subspace iteration with Rayleigh–Ritz steps
 * (Golub & Van Loan, Matrix Computations, 4th ed., §8.3.7 and §8.2.4 for the small Jacobi solves).
 * Cost O(rows · cols · min(rows, cols)) to form the matrix, then O(min² · block) per iteration.
 */

export interface Projection {
  dimensions: number;
  /** [rows, dimensions]: each row projected onto the principal axes. */
  points: Float32Array;
  /** [dimensions, cols]: unit principal axes, largest variance first. */
  axes: Float32Array;
  /** [cols]: the mean subtracted before projecting. */
  mean: Float32Array;
  /** Variance along each axis. */
  variance: number[];
  /** Share of the total variance along each axis (0..1). */
  varianceRatio: number[];
}

/** Eigen-decomposition of a small symmetric matrix (cyclic Jacobi). Returns eigenvalues descending and vectors as columns. */
function jacobiEigen(matrix: Float64Array, size: number): { values: number[]; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(size * size);
  for (let i = 0; i < size; i++) v[i * size + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < size; p++) for (let q = p + 1; q < size; q++) off += a[p * size + q] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < size; p++) {
      for (let q = p + 1; q < size; q++) {
        const apq = a[p * size + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * size + q] - a[p * size + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < size; k++) {
          const akp = a[k * size + p];
          const akq = a[k * size + q];
          a[k * size + p] = c * akp - s * akq;
          a[k * size + q] = s * akp + c * akq;
        }
        for (let k = 0; k < size; k++) {
          const apk = a[p * size + k];
          const aqk = a[q * size + k];
          a[p * size + k] = c * apk - s * aqk;
          a[q * size + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < size; k++) {
          const vkp = v[k * size + p];
          const vkq = v[k * size + q];
          v[k * size + p] = c * vkp - s * vkq;
          v[k * size + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: size }, (_, i) => i).sort((x, y) => a[y * size + y] - a[x * size + x] || x - y);
  const vectors = new Float64Array(size * size);
  order.forEach((from, to) => {
    for (let k = 0; k < size; k++) vectors[k * size + to] = v[k * size + from];
  });
  return { values: order.map((i) => a[i * size + i]), vectors };
}

/**
 * Orthonormalises the `block` columns of q (m × block, row-major) in place (modified Gram–Schmidt, twice).
 * A column that lies in the span of the earlier ones is replaced by the next unit vector that does not.
 */
function orthonormalize(q: Float64Array, m: number, block: number): void {
  let nextUnit = 0;
  for (let j = 0; j < block; j++) {
    for (;;) {
      for (let pass = 0; pass < 2; pass++) {
        for (let i = 0; i < j; i++) {
          let dot = 0;
          for (let r = 0; r < m; r++) dot += q[r * block + i] * q[r * block + j];
          for (let r = 0; r < m; r++) q[r * block + j] -= dot * q[r * block + i];
        }
      }
      let norm = 0;
      for (let r = 0; r < m; r++) norm += q[r * block + j] ** 2;
      norm = Math.sqrt(norm);
      if (norm > 1e-200 || nextUnit >= m) {
        for (let r = 0; r < m; r++) q[r * block + j] /= norm || 1;
        break;
      }
      for (let r = 0; r < m; r++) q[r * block + j] = r === nextUnit ? 1 : 0;
      nextUnit++;
    }
  }
}

/** Top `count` eigenpairs of the symmetric PSD m × m matrix (row-major). */
function topEigen(matrix: Float64Array, m: number, count: number): { values: number[]; vectors: Float64Array[] } {
  const block = Math.min(m, count + 4);
  // A fixed, full-rank start basis: a linear congruential sequence, so every run starts the same.
  const q = new Float64Array(m * block);
  let seed = 12345;
  for (let i = 0; i < q.length; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    q[i] = seed / 2147483648 - 0.5;
  }
  orthonormalize(q, m, block);
  const z = new Float64Array(m * block);
  let values: number[] = [];
  let previous: number[] = [];
  for (let iteration = 0; iteration < 1000; iteration++) {
    // z = M q
    z.fill(0);
    for (let r = 0; r < m; r++) {
      for (let c = 0; c < m; c++) {
        const mrc = matrix[r * m + c];
        if (mrc === 0) continue;
        for (let j = 0; j < block; j++) z[r * block + j] += mrc * q[c * block + j];
      }
    }
    // Rayleigh–Ritz: h = qᵀ M q, then rotate z by h's eigenvectors and orthonormalise.
    const h = new Float64Array(block * block);
    for (let i = 0; i < block; i++) {
      for (let j = 0; j < block; j++) {
        let dot = 0;
        for (let r = 0; r < m; r++) dot += q[r * block + i] * z[r * block + j];
        h[i * block + j] = dot;
      }
    }
    for (let i = 0; i < block; i++) for (let j = i + 1; j < block; j++) h[i * block + j] = h[j * block + i] = (h[i * block + j] + h[j * block + i]) / 2;
    const ritz = jacobiEigen(h, block);
    values = ritz.values;
    const rotated = new Float64Array(m * block);
    for (let r = 0; r < m; r++) {
      for (let j = 0; j < block; j++) {
        let sum = 0;
        for (let i = 0; i < block; i++) sum += z[r * block + i] * ritz.vectors[i * block + j];
        rotated[r * block + j] = sum;
      }
    }
    q.set(rotated);
    orthonormalize(q, m, block);
    const scale = Math.max(Math.abs(values[0]), 1e-300);
    if (iteration > 2 && values.slice(0, count).every((value, i) => Math.abs(value - previous[i]) <= 1e-13 * scale)) break;
    previous = values;
  }
  // One last Ritz step's vectors are q's columns; their eigenvalues are the Ritz values of the last pass.
  const vectors = Array.from({ length: count }, (_, j) => Float64Array.from({ length: m }, (_, r) => q[r * block + j]));
  return { values: values.slice(0, count), vectors };
}

/**
 * Projects `rows` vectors of length `cols` (row-major in `data`) onto their first `dimensions` principal
 * axes. With fewer rows or cols than dimensions, the missing axes are zero.
 */
export function pca(data: Float32Array, rows: number, cols: number, dimensions = 2): Projection {
  const mean = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) mean[c] += data[r * cols + c];
  for (let c = 0; c < cols; c++) mean[c] /= Math.max(rows, 1);
  const centered = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) centered[r * cols + c] = data[r * cols + c] - mean[c];
  const denominator = Math.max(rows - 1, 1);

  const useGram = rows < cols;
  const m = useGram ? rows : cols;
  const matrix = new Float64Array(m * m);
  if (useGram) {
    for (let i = 0; i < rows; i++) {
      for (let j = i; j < rows; j++) {
        let dot = 0;
        for (let c = 0; c < cols; c++) dot += centered[i * cols + c] * centered[j * cols + c];
        matrix[i * m + j] = matrix[j * m + i] = dot / denominator;
      }
    }
  } else {
    for (let r = 0; r < rows; r++) {
      for (let i = 0; i < cols; i++) {
        const x = centered[r * cols + i];
        if (x === 0) continue;
        for (let j = i; j < cols; j++) matrix[i * m + j] += x * centered[r * cols + j];
      }
    }
    for (let i = 0; i < cols; i++) for (let j = i; j < cols; j++) matrix[j * m + i] = matrix[i * m + j] /= denominator;
  }
  let total = 0;
  for (let i = 0; i < m; i++) total += matrix[i * m + i];

  const found = Math.min(dimensions, m);
  const { values, vectors } = m > 0 ? topEigen(matrix, m, found) : { values: [], vectors: [] };
  const axes = new Float32Array(dimensions * cols);
  const variance: number[] = [];
  for (let k = 0; k < dimensions; k++) {
    const lambda = k < found ? Math.max(values[k], 0) : 0;
    variance.push(lambda);
    if (k >= found || lambda <= 1e-12 * Math.max(total, 1e-300)) continue;
    const axis = new Float64Array(cols);
    if (useGram) {
      // v = Xᵀu / ‖Xᵀu‖
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) axis[c] += centered[r * cols + c] * vectors[k][r];
    } else {
      axis.set(vectors[k]);
    }
    let norm = 0;
    let largest = 0;
    for (let c = 0; c < cols; c++) {
      norm += axis[c] ** 2;
      if (Math.abs(axis[c]) > Math.abs(axis[largest]) + 1e-12) largest = c;
    }
    const sign = axis[largest] < 0 ? -1 : 1;
    for (let c = 0; c < cols; c++) axes[k * cols + c] = (sign * axis[c]) / Math.sqrt(norm);
  }
  const points = new Float32Array(rows * dimensions);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < dimensions; k++) {
      let dot = 0;
      for (let c = 0; c < cols; c++) dot += centered[r * cols + c] * axes[k * cols + c];
      points[r * dimensions + k] = dot;
    }
  }
  return {
    dimensions,
    points,
    axes,
    mean: Float32Array.from(mean),
    variance,
    varianceRatio: variance.map((value) => (total > 0 ? value / total : 0)),
  };
}

/** Projects more rows (e.g. another layer) into an existing projection's space. */
export function projectOnto(projection: Projection, data: Float32Array, rows: number): Float32Array {
  const cols = projection.mean.length;
  const { dimensions, axes, mean } = projection;
  const points = new Float32Array(rows * dimensions);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < dimensions; k++) {
      let dot = 0;
      for (let c = 0; c < cols; c++) dot += (data[r * cols + c] - mean[c]) * axes[k * cols + c];
      points[r * dimensions + k] = dot;
    }
  }
  return points;
}
