import type { Prompt } from '../prompt/types';
import { modelTokens } from './inspect';
import { fail, prefixCache, type LoadedModel } from './runtime';
import type { ModelResult, ModelShape, ModelToken } from './types';

/**
 * "Why only prefixes cache": the local model runs on the prompt with two values of one dynamic
 * segment. Causal attention makes every position before the first differing token identical (hidden
 * states and K/V), and everything after it different — which is why a provider can reuse the KV of a
 * shared prefix and nothing else (reference §1: "a hit is a prefix match over the rendered, tokenized
 * prompt … the first divergent token ends the hit"). The timing half measures, on this model, the prefill saved.
 */

export interface Fillings {
  textA: string;
  textB: string;
  /** UTF-16 offset in both texts where the filled segment starts (everything before is shared). */
  dynamicStart: number;
}

/**
 * The prompt's text with the dynamic segment `segmentIndex` (index into prompt.segments) replaced by
 * `valueA` and by `valueB`; every other segment as the model sees it (placeholders stay as written).
 */
export function fillDynamicSegment(prompt: Prompt, segmentIndex: number, valueA: string, valueB: string): ModelResult<Fillings> {
  const segment = prompt.segments[segmentIndex];
  if (!segment || segment.kind !== 'dynamic') return fail('run-failed', `Segment ${segmentIndex} of the prompt is not a dynamic part.`);
  const before = prompt.segments.slice(0, segmentIndex).map((s) => s.text).join('');
  const after = prompt.segments.slice(segmentIndex + 1).map((s) => s.text).join('');
  return { ok: true, value: { textA: before + valueA + after, textB: before + valueB + after, dynamicStart: before.length } };
}

/** Length of the longest shared start of two id sequences. */
function commonTokenPrefix(a: readonly number[], b: readonly number[]): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

export interface PrefixDivergence {
  shape: ModelShape;
  tokensA: ModelToken[];
  tokensB: ModelToken[];
  /** Tokens the two fillings share from the start: the part a prompt cache can reuse. */
  commonPrefix: number;
  /** Positions compared: min(tokensA.length, tokensB.length). Position i compares token i of A with token i of B. */
  positions: number;
  /** [layers + 1, positions]: ‖h_A − h_B‖ / ‖h_A‖ per layer (0 = embeddings) and position. */
  hidden: Float32Array;
  /** [layers, positions]: the same for the K and V of all heads together. */
  kv: Float32Array;
  /** [positions]: the largest hidden-state divergence over the layers. */
  hiddenByPosition: Float32Array;
  /** [positions]: the largest K/V divergence over the layers. */
  kvByPosition: Float32Array;
}

/** ‖a − b‖ / ‖a‖ over `length` values from each offset (0 when both are zero). */
function relativeDifference(a: Float32Array, aOffset: number, b: Float32Array, bOffset: number, length: number): number {
  let difference = 0;
  let norm = 0;
  for (let i = 0; i < length; i++) {
    const x = a[aOffset + i];
    const y = b[bOffset + i];
    difference += (x - y) * (x - y);
    norm += x * x;
  }
  if (difference === 0) return 0;
  return Math.sqrt(difference) / Math.max(Math.sqrt(norm), 1e-12);
}

export interface CompareOptions {
  /** At most this many tokens of each filling are run (default: the model's positions). */
  maxTokens?: number;
  signal?: AbortSignal;
}

/** Runs both fillings and measures, per position, how much the hidden states and the K/V changed. */
export async function prefixDivergence(model: LoadedModel, textA: string, textB: string, options: CompareOptions = {}): Promise<ModelResult<PrefixDivergence>> {
  const { shape } = model;
  const limit = Math.min(options.maxTokens ?? shape.maxPositions, shape.maxPositions);
  const tokensA = modelTokens(model, textA).slice(0, limit);
  const tokensB = modelTokens(model, textB).slice(0, limit);
  if (tokensA.length === 0 || tokensB.length === 0) return fail('empty-prompt', 'One of the two fillings has no tokens.');
  const outputs = ['hiddenStates', 'kv'] as const;
  const runA = await model.forward(tokensA.map((t) => t.id), { signal: options.signal, outputs });
  if (!runA.ok) return runA;
  const runB = await model.forward(tokensB.map((t) => t.id), { signal: options.signal, outputs });
  if (!runB.ok) return runB;
  const a = { hiddenStates: runA.value.hiddenStates!, keys: runA.value.keys!, values: runA.value.values! };
  const b = { hiddenStates: runB.value.hiddenStates!, keys: runB.value.keys!, values: runB.value.values! };

  const positions = Math.min(tokensA.length, tokensB.length);
  const d = shape.hiddenSize;
  const hidden = new Float32Array((shape.layers + 1) * positions);
  for (let layer = 0; layer <= shape.layers; layer++) {
    for (let p = 0; p < positions; p++) {
      hidden[layer * positions + p] = relativeDifference(a.hiddenStates[layer], p * d, b.hiddenStates[layer], p * d, d);
    }
  }
  const kv = new Float32Array(shape.layers * positions);
  const hd = shape.headDim;
  for (let layer = 0; layer < shape.layers; layer++) {
    for (let p = 0; p < positions; p++) {
      // Gather this position's K and V over the heads ([heads, length, headDim] per run).
      let difference = 0;
      let norm = 0;
      for (const [x, y] of [
        [a.keys[layer], b.keys[layer]],
        [a.values[layer], b.values[layer]],
      ]) {
        for (let h = 0; h < shape.heads; h++) {
          const offsetA = (h * tokensA.length + p) * hd;
          const offsetB = (h * tokensB.length + p) * hd;
          for (let i = 0; i < hd; i++) {
            difference += (x[offsetA + i] - y[offsetB + i]) ** 2;
            norm += x[offsetA + i] ** 2;
          }
        }
      }
      kv[layer * positions + p] = difference === 0 ? 0 : Math.sqrt(difference) / Math.max(Math.sqrt(norm), 1e-12);
    }
  }
  const maxOverLayers = (matrix: Float32Array, rows: number) =>
    Float32Array.from({ length: positions }, (_, p) => {
      let largest = 0;
      for (let r = 0; r < rows; r++) largest = Math.max(largest, matrix[r * positions + p]);
      return largest;
    });
  return {
    ok: true,
    value: {
      shape,
      tokensA,
      tokensB,
      commonPrefix: commonTokenPrefix(tokensA.map((t) => t.id), tokensB.map((t) => t.id)),
      positions,
      hidden,
      kv,
      hiddenByPosition: maxOverLayers(hidden, shape.layers + 1),
      kvByPosition: maxOverLayers(kv, shape.layers),
    },
  };
}

export interface PrefillTiming {
  /** Tokens of filling B, and how many of them lead filling A too (reused from A's KV). */
  tokens: number;
  reusedTokens: number;
  /** Median ms to prefill all of B from nothing. */
  fullMs: number;
  /** Median ms to prefill only B's tokens after the shared prefix, with the prefix's KV (from A) fed in. */
  reuseMs: number;
  /** ms to compute the prefix's KV once (what writing the cache costs). */
  prefixMs: number;
  /** Largest |logit| difference between the full run and the reusing run over the new tokens: ~1e-6, i.e. the same result. */
  maxLogitDifference: number;
  runs: number;
}

/**
 * Measures for real what reusing a cached prefix saves: B prefilled from scratch against B's suffix
 * prefilled on top of the KV that A's run left for the shared prefix.
 */
export async function measurePrefill(model: LoadedModel, textA: string, textB: string, options: CompareOptions & { runs?: number } = {}): Promise<ModelResult<PrefillTiming>> {
  const { shape } = model;
  const limit = Math.min(options.maxTokens ?? shape.maxPositions, shape.maxPositions);
  const idsA = model.tokenizer.encode(textA).slice(0, limit);
  const idsB = model.tokenizer.encode(textB).slice(0, limit);
  if (idsA.length === 0 || idsB.length === 0) return fail('empty-prompt', 'One of the two fillings has no tokens.');
  // At least one token must be new, or there is nothing to prefill.
  const reused = Math.min(commonTokenPrefix(idsA, idsB), idsB.length - 1);
  const runs = Math.max(1, options.runs ?? 3);
  const signal = options.signal;

  let started = performance.now();
  const prefixRun = reused > 0 ? await model.forward(idsA.slice(0, reused), { signal, outputs: ['kv'] }) : undefined;
  const prefixMs = performance.now() - started;
  if (prefixRun && !prefixRun.ok) return prefixRun;
  const past = prefixRun ? prefixCache(prefixRun.value, shape, reused) : undefined;

  // One untimed pass each way checks that reusing the prefix changes nothing (same logits) ...
  const fullCheck = await model.forward(idsB, { signal, outputs: ['logits'] });
  if (!fullCheck.ok) return fullCheck;
  const partialCheck = await model.forward(idsB.slice(reused), { past, signal, outputs: ['logits'] });
  if (!partialCheck.ok) return partialCheck;
  const maxLogitDifference = logitDifference(fullCheck.value.logits!, partialCheck.value.logits!, reused, shape.vocabSize);

  // ... then the timed prefills produce what a server keeps: the K/V of every position.
  const fullTimes: number[] = [];
  const reuseTimes: number[] = [];
  for (let run = 0; run < runs; run++) {
    started = performance.now();
    const full = await model.forward(idsB, { signal, outputs: ['kv'] });
    fullTimes.push(performance.now() - started);
    if (!full.ok) return full;
    started = performance.now();
    const partial = await model.forward(idsB.slice(reused), { past, signal, outputs: ['kv'] });
    reuseTimes.push(performance.now() - started);
    if (!partial.ok) return partial;
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return {
    ok: true,
    value: { tokens: idsB.length, reusedTokens: reused, fullMs: median(fullTimes), reuseMs: median(reuseTimes), prefixMs, maxLogitDifference, runs },
  };
}

/** Largest |full[offset + i] − partial[i]| over the partial run's rows (logits [rows, vocab]). */
export function logitDifference(full: Float32Array, partial: Float32Array, offsetRows: number, vocab: number): number {
  let largest = 0;
  for (let i = 0; i < partial.length; i++) largest = Math.max(largest, Math.abs(full[offsetRows * vocab + i] - partial[i]));
  return largest;
}
