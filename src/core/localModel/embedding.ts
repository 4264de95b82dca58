import { pca, projectOnto, type Projection } from './pca';
import type { Inspection } from './types';

/**
 * The embedding projection view's data: tokens' hidden states at one layer (layer 0 = the input
 * embeddings, token + position, as Hugging Face's hidden_states[0]) projected with PCA, one token's
 * path through the layers, and its nearest neighbours within the prompt.
 */

function layerOf(inspection: Inspection, layer: number): Float32Array {
  const last = inspection.hiddenStates.length - 1;
  return inspection.hiddenStates[Math.max(0, Math.min(layer, last))];
}

/** PCA of every token's hidden state at `layer`: points [tokens, dimensions]. */
export function projectLayer(inspection: Inspection, layer: number, dimensions: 2 | 3 = 2): Projection {
  return pca(layerOf(inspection, layer), inspection.tokens.length, inspection.shape.hiddenSize, dimensions);
}

export interface TokenPath {
  /** [layers + 1, dimensions]: the token at each layer, 0 = input embedding, in one shared space. */
  points: Float32Array;
  /** The space: PCA fitted on every token at every layer, so the path's steps are comparable. */
  projection: Projection;
}

/** The path of token `token` (index in inspection.tokens) through the layers. */
export function tokenPath(inspection: Inspection, token: number, dimensions: 2 | 3 = 2): TokenPath {
  const n = inspection.tokens.length;
  const d = inspection.shape.hiddenSize;
  const states = inspection.hiddenStates;
  const stacked = new Float32Array(states.length * n * d);
  states.forEach((layer, i) => stacked.set(layer.subarray(0, n * d), i * n * d));
  const projection = pca(stacked, states.length * n, d, dimensions);
  const index = Math.max(0, Math.min(token, n - 1));
  const path = new Float32Array(states.length * d);
  states.forEach((layer, i) => path.set(layer.subarray(index * d, (index + 1) * d), i * d));
  return { points: projectOnto(projection, path, states.length), projection };
}

export interface Neighbour {
  /** Index in inspection.tokens. */
  token: number;
  /** Cosine similarity of the hidden states, -1..1. */
  similarity: number;
}

/** The `count` tokens of the prompt whose hidden state at `layer` is closest (cosine) to token `token`'s. */
export function nearestNeighbours(inspection: Inspection, layer: number, token: number, count = 5): Neighbour[] {
  const n = inspection.tokens.length;
  const d = inspection.shape.hiddenSize;
  const states = layerOf(inspection, layer);
  if (token < 0 || token >= n) return [];
  const norms = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    let sum = 0;
    for (let c = 0; c < d; c++) sum += states[t * d + c] ** 2;
    norms[t] = Math.sqrt(sum);
  }
  const neighbours: Neighbour[] = [];
  for (let t = 0; t < n; t++) {
    if (t === token) continue;
    let dot = 0;
    for (let c = 0; c < d; c++) dot += states[t * d + c] * states[token * d + c];
    const denominator = norms[t] * norms[token];
    neighbours.push({ token: t, similarity: denominator > 0 ? dot / denominator : 0 });
  }
  // Ties by position, so the list never changes between runs.
  neighbours.sort((a, b) => b.similarity - a.similarity || a.token - b.token);
  return neighbours.slice(0, Math.max(0, count));
}
