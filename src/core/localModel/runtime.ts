import * as os from 'node:os';
import * as path from 'node:path';
import type { Tokenizer } from '../tokenize';
import { EXPORT_HINT, readModelFolder, requiredOutputNames } from './folder';
import { loadFolderTokenizer } from './tokenizer';
import type { ForwardOutputs, KvCache, ModelError, ModelResult, ModelShape, OutputGroup, ProgressReport } from './types';

/**
 * Loads a model folder into ONNX Runtime through @huggingface/transformers (onnxruntime-node on the
 * CPU) and runs forward passes that return every output the views need. Nothing here touches the
 * network: transformers.js is told to read local files only (env.allowRemoteModels = false,
 * local_files_only), and the folder path is absolute, so it is never taken for a Hub id.
 */

/** Platforms onnxruntime-node 1.30 ships a CPU binary for (node_modules/onnxruntime-node/bin/napi-v6/<platform>/<arch>). */
const ORT_PLATFORMS = ['linux-x64', 'linux-arm64', 'darwin-arm64', 'win32-x64', 'win32-arm64'] as const;

export interface LoadOptions {
  /** ONNX Runtime intra-op threads; default min(4, available cores). */
  threads?: number;
  /** Stops waiting for the load; the result is then `cancelled`. */
  signal?: AbortSignal;
  onProgress?: (report: ProgressReport) => void;
}

interface ForwardOptions {
  /** Output groups to fetch (default all). */
  outputs?: readonly OutputGroup[];
  /** KV cache of the tokens before `ids` (from `prefixCache`): the pass then only computes the new tokens. */
  past?: KvCache;
  signal?: AbortSignal;
}

export interface LoadedModel {
  readonly folder: string;
  readonly shape: ModelShape;
  readonly tokenizer: Tokenizer;
  /** Milliseconds from the call of loadModel to the ready session. */
  readonly loadMs: number;
  /** One forward pass (batch 1). Passes run one at a time, in call order. */
  forward(ids: readonly number[], options?: ForwardOptions): Promise<ModelResult<ForwardOutputs>>;
  /** Releases the ONNX Runtime session; later calls give `load-failed`. */
  dispose(): Promise<void>;
}

export const CANCELLED: ModelError = { code: 'cancelled', message: 'Cancelled: the prompt changed.' };

export function fail<T>(code: ModelError['code'], message: string): ModelResult<T> {
  return { ok: false, error: { code, message } };
}

const ALL_OUTPUTS: readonly OutputGroup[] = ['logits', 'attentions', 'hiddenStates', 'kv'];

/** The first `length` positions of a forward pass's KV (fetched with the 'kv' group), to feed back as `past`. */
export function prefixCache(outputs: ForwardOutputs, shape: ModelShape, length: number): KvCache {
  const total = outputs.pastLength + outputs.length;
  const take = Math.max(0, Math.min(length, total));
  const slice = (matrix: Float32Array): Float32Array => {
    // [heads, total, headDim] → [heads, take, headDim]
    const out = new Float32Array(shape.heads * take * shape.headDim);
    for (let h = 0; h < shape.heads; h++) {
      out.set(matrix.subarray(h * total * shape.headDim, (h * total + take) * shape.headDim), h * take * shape.headDim);
    }
    return out;
  };
  return { length: take, keys: (outputs.keys ?? []).map(slice), values: (outputs.values ?? []).map(slice) };
}

interface OrtTensor {
  data: unknown;
  dims: readonly number[];
}
interface TransformersTensor {
  ort_tensor: OrtTensor;
}
interface OrtSession {
  inputNames: string[];
  outputNames: string[];
  run(feeds: Record<string, OrtTensor>, fetches: string[]): Promise<Record<string, OrtTensor>>;
}
interface TransformersModule {
  env: Record<string, unknown>;
  Tensor: new (type: string, data: unknown, dims: number[]) => TransformersTensor;
  AutoModelForCausalLM: { from_pretrained(folder: string, options: Record<string, unknown>): Promise<TransformersModel> };
}
interface TransformersModel {
  sessions: Record<string, OrtSession>;
  dispose(): Promise<unknown>;
}

function platformKey(): string {
  return `${process.platform}-${process.arch}`;
}

function aborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

/** Loads `folder` (absolute, or relative to the working directory). Never throws. */
export async function loadModel(folder: string, options: LoadOptions = {}): Promise<ModelResult<LoadedModel>> {
  const started = performance.now();
  const absolute = path.resolve(folder);
  if (!(ORT_PLATFORMS as readonly string[]).includes(platformKey())) {
    return fail('unsupported-platform', `ONNX Runtime has no CPU build for ${platformKey()}; the model views need one of ${ORT_PLATFORMS.join(', ')}.`);
  }
  const folderCheck = readModelFolder(absolute);
  if (!folderCheck.ok) return folderCheck;
  const shape = folderCheck.value;
  const report = options.onProgress ?? (() => undefined);

  let transformers: TransformersModule;
  let tokenizer: Tokenizer;
  try {
    report({ phase: 'files', fraction: 0, message: 'Reading the tokenizer' });
    tokenizer = await loadFolderTokenizer(absolute);
    // require, not import(): the bundles keep this package external (esbuild.js), and only require
    // finds its CommonJS build in dist/node_modules; an ES import would also load a second copy in tests.
    transformers = require('@huggingface/transformers') as TransformersModule;
  } catch (error) {
    return fail('load-failed', `Could not load ONNX Runtime or the tokenizer of ${absolute}: ${(error as Error).message}`);
  }
  if (aborted(options.signal)) return { ok: false, error: CANCELLED };

  // Local files only, never a download, never a write into a cache folder.
  transformers.env.allowRemoteModels = false;
  transformers.env.allowLocalModels = true;
  transformers.env.useFSCache = false;
  transformers.env.useBrowserCache = false;

  let model: TransformersModel;
  try {
    report({ phase: 'session', fraction: 0.1, message: 'Loading the model into ONNX Runtime' });
    model = await transformers.AutoModelForCausalLM.from_pretrained(absolute, {
      local_files_only: true,
      device: 'cpu',
      dtype: 'fp32',
      session_options: {
        intraOpNumThreads: options.threads ?? Math.min(4, os.availableParallelism()),
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
        executionMode: 'sequential',
      },
      progress_callback: (info: { status: string; progress?: number; file?: string }) => {
        if (info.status === 'progress_total' && typeof info.progress === 'number') {
          report({ phase: 'files', fraction: 0.1 + 0.8 * (info.progress / 100), message: `Reading ${info.file ?? 'the model'}` });
        }
      },
    });
  } catch (error) {
    return fail('load-failed', `ONNX Runtime could not load ${path.join(absolute, 'onnx/model.onnx')}: ${(error as Error).message}`);
  }
  const session = model.sessions.model ?? Object.values(model.sessions)[0];
  const missing = requiredOutputNames(shape.layers).filter((name) => !session.outputNames.includes(name));
  if (missing.length > 0) {
    await model.dispose().catch(() => undefined);
    return fail('no-attention-outputs', `${path.join(absolute, 'onnx/model.onnx')} does not return ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ` and ${missing.length - 3} more outputs` : ''}. ${EXPORT_HINT}`);
  }
  if (aborted(options.signal)) {
    await model.dispose().catch(() => undefined);
    return { ok: false, error: CANCELLED };
  }
  const loadMs = performance.now() - started;
  report({ phase: 'ready', fraction: 1, message: 'Model ready' });
  return { ok: true, value: new OnnxModel(absolute, shape, tokenizer, loadMs, transformers, model, session) };
}

class OnnxModel implements LoadedModel {
  /** Serialises passes: two at once would only share the same cores and both come late. */
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  constructor(
    readonly folder: string,
    readonly shape: ModelShape,
    readonly tokenizer: Tokenizer,
    readonly loadMs: number,
    private readonly transformers: TransformersModule,
    private readonly model: TransformersModel,
    private readonly session: OrtSession,
  ) {}

  forward(ids: readonly number[], options: ForwardOptions = {}): Promise<ModelResult<ForwardOutputs>> {
    const run = this.queue.then(() => this.run(ids, options));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.queue;
    await this.model.dispose().catch(() => undefined);
  }

  private async run(ids: readonly number[], { past, signal, outputs = ALL_OUTPUTS }: ForwardOptions): Promise<ModelResult<ForwardOutputs>> {
    if (aborted(signal)) return { ok: false, error: CANCELLED };
    if (this.disposed) return fail('load-failed', 'The model was unloaded.');
    const { shape } = this;
    const length = ids.length;
    const pastLength = past?.length ?? 0;
    if (length === 0) return fail('empty-prompt', 'There are no tokens to run the model on.');
    if (pastLength + length > shape.maxPositions) {
      return fail('run-failed', `${pastLength + length} tokens exceed the model's ${shape.maxPositions} positions.`);
    }
    if (ids.some((id) => !Number.isInteger(id) || id < 0 || id >= shape.vocabSize)) {
      return fail('run-failed', `A token id is outside the model's vocabulary of ${shape.vocabSize}.`);
    }
    const { Tensor } = this.transformers;
    const feeds: Record<string, OrtTensor> = {};
    const int64 = (name: string, values: ArrayLike<number>) => {
      feeds[name] = new Tensor('int64', BigInt64Array.from(Array.from(values, BigInt)), [1, values.length]).ort_tensor;
    };
    int64('input_ids', ids);
    int64('attention_mask', new Array(pastLength + length).fill(1));
    if (this.session.inputNames.includes('position_ids')) int64('position_ids', Array.from({ length }, (_, i) => pastLength + i));
    for (let layer = 0; layer < shape.layers; layer++) {
      const dims = [1, shape.heads, pastLength, shape.headDim];
      feeds[`past_key_values.${layer}.key`] = new Tensor('float32', past?.keys[layer] ?? new Float32Array(0), dims).ort_tensor;
      feeds[`past_key_values.${layer}.value`] = new Tensor('float32', past?.values[layer] ?? new Float32Array(0), dims).ort_tensor;
    }

    // The session straight from transformers.js (model.forward would fetch every output): only the
    // outputs a view shows are copied out, which keeps a 512-token pass tens of MB smaller.
    const layers = Array.from({ length: shape.layers }, (_, i) => i);
    const names: Record<OutputGroup, string[]> = {
      logits: ['logits'],
      attentions: layers.map((i) => `attentions.${i}`),
      hiddenStates: [...layers, shape.layers].map((i) => `hidden_states.${i}`),
      kv: layers.flatMap((i) => [`present.${i}.key`, `present.${i}.value`]),
    };
    const wanted = new Set(outputs);
    let fetched: Record<string, OrtTensor>;
    try {
      fetched = await this.session.run(feeds, [...wanted].flatMap((group) => names[group]));
    } catch (error) {
      return fail('run-failed', `The model failed on ${length} tokens: ${(error as Error).message}`);
    }
    if (aborted(signal)) return { ok: false, error: CANCELLED };
    const data = (name: string) => fetched[name].data as Float32Array;
    return {
      ok: true,
      value: {
        length,
        pastLength,
        logits: wanted.has('logits') ? data('logits') : undefined,
        attentions: wanted.has('attentions') ? names.attentions.map(data) : undefined,
        hiddenStates: wanted.has('hiddenStates') ? names.hiddenStates.map(data) : undefined,
        keys: wanted.has('kv') ? layers.map((i) => data(`present.${i}.key`)) : undefined,
        values: wanted.has('kv') ? layers.map((i) => data(`present.${i}.value`)) : undefined,
      },
    };
  }
}
