import type { Projection } from './pca';
import type { PrefixDivergence } from './prefix';
import type { Inspection, ModelToken } from './types';

/**
 * CSV and JSON exports of the views' matrices. Numbers are written with 9 significant digits, enough
 * to read every float32 back exactly (IEEE 754: 9 decimal digits round-trip binary32).
 */

function number(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(9))) : '';
}

/** RFC 4180 quoting; a label that a spreadsheet would run as a formula gets a leading apostrophe. */
function label(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function tokenLabel(token: ModelToken, index: number): string {
  return `${index}:${token.text}`;
}

/** A row-major matrix as CSV, with an optional header row and first column of labels. */
export function matrixCsv(data: ArrayLike<number>, rows: number, cols: number, labels: { rows?: string[]; cols?: string[]; corner?: string } = {}): string {
  const lines: string[] = [];
  if (labels.cols) lines.push([...(labels.rows ? [label(labels.corner ?? '')] : []), ...labels.cols.map(label)].join(','));
  for (let r = 0; r < rows; r++) {
    const cells: string[] = labels.rows ? [label(labels.rows[r] ?? '')] : [];
    for (let c = 0; c < cols; c++) cells.push(number(data[r * cols + c]));
    lines.push(cells.join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** One layer × head of attention: rows are queries, columns keys, both labelled `index:token`. */
export function attentionCsv(inspection: Inspection, layer: number, head: number): string {
  const n = inspection.tokens.length;
  const names = inspection.tokens.map(tokenLabel);
  const matrix = inspection.attentions[layer].subarray(head * n * n, (head + 1) * n * n);
  return matrixCsv(matrix, n, n, { rows: names, cols: names, corner: 'query\\key' });
}

/** Projected points, one row per token (or per layer for a token path, with `rowNames`). */
export function projectionCsv(projection: Projection, rowNames: string[]): string {
  const cols = Array.from({ length: projection.dimensions }, (_, i) => `pc${i + 1}`);
  return matrixCsv(projection.points, rowNames.length, projection.dimensions, { rows: rowNames, cols, corner: 'row' });
}

/** Per-layer divergence by position; rows `hidden L` then `kv L`, columns the positions. */
export function divergenceCsv(divergence: PrefixDivergence): string {
  const { positions, shape } = divergence;
  const cols = Array.from({ length: positions }, (_, p) => `${p}:${divergence.tokensA[p].text}|${divergence.tokensB[p].text}`);
  const rows = [...Array.from({ length: shape.layers + 1 }, (_, l) => `hidden ${l}`), ...Array.from({ length: shape.layers }, (_, l) => `kv ${l}`)];
  const data = new Float32Array(rows.length * positions);
  data.set(divergence.hidden, 0);
  data.set(divergence.kv, (shape.layers + 1) * positions);
  return matrixCsv(data, rows.length, positions, { rows, cols, corner: 'layer\\position' });
}

/** Everything an inspection holds as JSON (typed arrays as number arrays), shapes included. */
export function inspectionJson(inspection: Inspection): string {
  const n = inspection.tokens.length;
  const { shape } = inspection;
  const arrays = (list: Float32Array[]) => list.map((matrix) => Array.from(matrix, (value) => Number(value.toPrecision(9))));
  return JSON.stringify({
    format: 'prompt-lens-inspection',
    version: 1,
    shape,
    tokens: inspection.tokens,
    totalTokens: inspection.totalTokens,
    windowStart: inspection.windowStart,
    attentions: { dims: [shape.layers, shape.heads, n, n], data: arrays(inspection.attentions) },
    hiddenStates: { dims: [shape.layers + 1, n, shape.hiddenSize], data: arrays(inspection.hiddenStates) },
    keys: { dims: [shape.layers, shape.heads, n, shape.headDim], data: arrays(inspection.keys) },
    values: { dims: [shape.layers, shape.heads, n, shape.headDim], data: arrays(inspection.values) },
  });
}
