/**
 * Turns the model runtime's results (src/core/localModel) into the visualizer's protocol shapes and export files.
 * Pure (no `vscode`), so unit tests cover it with the bundled model. Every typed array that goes into a
 * message owns its whole buffer: VS Code posts a typed array's entire underlying buffer (see TokenColumn).
 */
import {
  attentionCsv,
  divergenceCsv,
  inspectionJson,
  matrixCsv,
  nearestNeighbours,
  projectLayer,
  projectionCsv,
  tokenPath,
  type Inspection,
  type PrefillTiming,
  type PrefixDivergence,
} from '../../../core/localModel';
import type { AttentionLayerView, EmbeddingView, ModelExport, ModelTokensView, PrefixView, PromptView } from '../../../../common/protocol/index';

/** Neighbours listed for the selected token in the embedding view. */
const NEIGHBOURS = 8;

/** `array` itself when it spans its whole buffer, else a copy that does. */
export function owned(array: Float32Array): Float32Array {
  return array.byteOffset === 0 && array.byteLength === array.buffer.byteLength ? array : array.slice();
}

/** The analysed tokens, each marked when it overlaps a dynamic segment of the prompt as shown. */
export function modelTokensView(promptId: string, inspection: Inspection, view: Pick<PromptView, 'segments'>): ModelTokensView {
  const { tokens } = inspection;
  const starts = new Uint32Array(tokens.length);
  const ends = new Uint32Array(tokens.length);
  const dynamic = new Uint8Array(tokens.length);
  const dynamicSpans = view.segments.filter((segment) => segment.kind === 'dynamic');
  tokens.forEach((token, k) => {
    starts[k] = token.start;
    ends[k] = token.end;
    // An empty dynamic value (start === end) still marks the token it sits in.
    dynamic[k] = dynamicSpans.some((span) => token.start < Math.max(span.end, span.start + 1) && token.end > span.start) ? 1 : 0;
  });
  return {
    promptId,
    texts: tokens.map((token) => token.text),
    starts,
    ends,
    dynamic,
    windowStart: inspection.windowStart,
    totalTokens: inspection.totalTokens,
    layers: inspection.shape.layers,
    heads: inspection.shape.heads,
  };
}

/** All heads of one layer: [heads, n, n]. Undefined for a layer the model does not have. */
export function attentionLayerView(promptId: string, inspection: Inspection, layer: number): AttentionLayerView | undefined {
  const weights = inspection.attentions[layer];
  if (!Number.isInteger(layer) || !weights) return undefined;
  return { promptId, layer, heads: inspection.shape.heads, n: inspection.tokens.length, weights: owned(weights) };
}

/**
 * Hidden states at `layer` (clamped to 0..layers) projected with PCA; with a selected token, its path through
 * the layers and its nearest neighbours at `layer`.
 */
export function embeddingView(promptId: string, inspection: Inspection, layer: number, dimensions: 2 | 3, selected: number): EmbeddingView {
  const shown = Math.max(0, Math.min(Math.trunc(layer), inspection.shape.layers));
  const projection = projectLayer(inspection, shown, dimensions);
  const view: EmbeddingView = { promptId, layer: shown, dimensions, points: owned(projection.points), explained: [...projection.varianceRatio], selected: -1 };
  if (Number.isInteger(selected) && selected >= 0 && selected < inspection.tokens.length) {
    view.selected = selected;
    view.path = owned(tokenPath(inspection, selected, dimensions).points);
    view.neighbours = nearestNeighbours(inspection, shown, selected, NEIGHBOURS);
  }
  return view;
}

/** Row `row` of a row-major [rows, cols] matrix, as an array of its own. */
function row(matrix: Float32Array, rowIndex: number, cols: number): Float32Array {
  return matrix.slice(rowIndex * cols, (rowIndex + 1) * cols);
}

export function prefixView(promptId: string, segment: number, values: [string, string], divergence: PrefixDivergence, timing: PrefillTiming): PrefixView {
  const { positions, shape } = divergence;
  return {
    promptId,
    segment,
    values,
    texts: divergence.tokensA.map((token) => token.text),
    common: divergence.commonPrefix,
    hiddenChange: Array.from({ length: shape.layers + 1 }, (_, layer) => row(divergence.hidden, layer, positions)),
    kvChange: Array.from({ length: shape.layers }, (_, layer) => row(divergence.kv, layer, positions)),
    prefill: {
      fullMs: timing.fullMs,
      reusedMs: timing.reuseMs,
      reusedTokens: timing.reusedTokens,
      totalTokens: timing.tokens,
      maxLogitDifference: timing.maxLogitDifference,
    },
  };
}

/**
 * Two values for a dynamic segment when the user gave none: plausible values of the kind its name suggests
 * (two dates, two names), so the comparison looks like two real calls of the prompt.
 */
export function defaultPrefixValues(expression: string): [string, string] {
  const name = expression.toLowerCase();
  if (/date|time|now|today|day/.test(name)) return ['2026-01-05', '2027-11-23'];
  if (/name|user|author|customer/.test(name)) return ['Ada', 'Grace'];
  if (/id\b|_id|uuid|key/.test(name)) return ['4821', '9377'];
  if (/question|query|input|message|text/.test(name)) return ['How do I reset my password?', 'Why was I charged twice?'];
  return ['apples', 'oranges'];
}

/** The mean or the largest weight over heads, per (query, key): [n, n]. */
export function aggregateHeads(weights: Float32Array, heads: number, n: number, how: 'mean' | 'max'): Float32Array {
  const out = new Float32Array(n * n);
  for (let h = 0; h < heads; h++) {
    const offset = h * n * n;
    for (let i = 0; i < n * n; i++) out[i] = how === 'max' ? Math.max(out[i], weights[offset + i]) : out[i] + weights[offset + i] / heads;
  }
  return out;
}

export interface ExportFile {
  /** A suggested file name, e.g. `attention-layer2-head1.csv`. */
  fileName: string;
  text: string;
}

const tokenLabels = (inspection: Inspection) => inspection.tokens.map((token, index) => `${index}:${token.text}`);

/** The file an export writes, or the reason there is none (the data it needs was not computed). */
export function exportFile(request: ModelExport, data: { inspection?: Inspection; prefix?: { divergence: PrefixDivergence; timing: PrefillTiming; values: [string, string] } }): ExportFile | { reason: string } {
  if (request.view === 'prefix') {
    const prefix = data.prefix;
    if (!prefix) return { reason: 'run the comparison first' };
    if (request.format === 'csv') return { fileName: 'prefix-divergence.csv', text: divergenceCsv(prefix.divergence) };
    const { divergence, timing, values } = prefix;
    return {
      fileName: 'prefix-divergence.json',
      text: JSON.stringify({
        format: 'prompt-lens-prefix',
        version: 1,
        values,
        tokensA: divergence.tokensA,
        tokensB: divergence.tokensB,
        commonPrefix: divergence.commonPrefix,
        hidden: { dims: [divergence.shape.layers + 1, divergence.positions], data: Array.from(divergence.hidden) },
        kv: { dims: [divergence.shape.layers, divergence.positions], data: Array.from(divergence.kv) },
        prefill: timing,
      }),
    };
  }
  const inspection = data.inspection;
  if (!inspection) return { reason: 'the model has not analysed this prompt yet' };
  const { layers, heads } = inspection.shape;
  if (request.format === 'json') return { fileName: 'prompt-inspection.json', text: inspectionJson(inspection) };
  if (request.view === 'embedding') {
    const layer = Math.max(0, Math.min(request.layer, layers));
    return { fileName: `embedding-layer${layer}.csv`, text: projectionCsv(projectLayer(inspection, layer, 2), tokenLabels(inspection)) };
  }
  if (!(request.layer >= 0 && request.layer < layers)) return { reason: `the model has no layer ${request.layer}` };
  if (typeof request.head === 'number') {
    if (!(request.head >= 0 && request.head < heads)) return { reason: `the model has no head ${request.head}` };
    return { fileName: `attention-layer${request.layer}-head${request.head}.csv`, text: attentionCsv(inspection, request.layer, request.head) };
  }
  const n = inspection.tokens.length;
  const names = tokenLabels(inspection);
  const matrix = aggregateHeads(inspection.attentions[request.layer], heads, n, request.head);
  return { fileName: `attention-layer${request.layer}-${request.head}.csv`, text: matrixCsv(matrix, n, n, { rows: names, cols: names, corner: 'query\\key' }) };
}
