import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ModelResult, ModelShape } from './types';

/**
 * The model folder layout (shared with the exporter in model/, see /work/notes/model-layout.md): the
 * same files a Hugging Face repo exported for transformers.js has, with a graph that also returns
 * `attentions.{i}` and `hidden_states.{i}`.
 */
export const REQUIRED_MODEL_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'] as const;
export const OPTIONAL_MODEL_FILES = ['generation_config.json'] as const;

/** How to get a graph with the extra outputs; shown whenever a folder lacks them. */
export const EXPORT_HINT =
  'Export the model with attentions and hidden states as extra outputs: `python3 tools/model-training/export.py --checkpoint <folder> --out <folder>` in the Prompt Lens repository (a GPT-2 checkpoint), ' +
  'or any ONNX export that runs the model with output_attentions=True and output_hidden_states=True (eager attention) and names the outputs ' +
  'logits, present.{i}.key/value, attentions.{i} and hidden_states.{i}.';

/** Positive integer or undefined. */
function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

/** Checks that `folder` holds every required file and reads the dimensions from its config.json. */
export function readModelFolder(folder: string): ModelResult<ModelShape> {
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) {
    return { ok: false, error: { code: 'missing-files', message: `The model folder ${folder} does not exist.` } };
  }
  const missing = REQUIRED_MODEL_FILES.filter((file) => !fs.existsSync(path.join(folder, file)));
  if (missing.length > 0) {
    return {
      ok: false,
      error: { code: 'missing-files', message: `The model folder ${folder} lacks ${missing.join(', ')}. It needs ${REQUIRED_MODEL_FILES.join(', ')}. ${EXPORT_HINT}` },
    };
  }
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(fs.readFileSync(path.join(folder, 'config.json'), 'utf8')) as Record<string, unknown>;
  } catch (error) {
    return { ok: false, error: { code: 'invalid-config', message: `${path.join(folder, 'config.json')} is not valid JSON (${(error as Error).message}).` } };
  }
  // GPT-2 names first, then the names most other architectures use.
  const layers = count(config.n_layer) ?? count(config.num_hidden_layers);
  const heads = count(config.n_head) ?? count(config.num_attention_heads);
  const hiddenSize = count(config.n_embd) ?? count(config.hidden_size);
  const vocabSize = count(config.vocab_size);
  const maxPositions = count(config.n_positions) ?? count(config.max_position_embeddings) ?? 1024;
  const modelType = typeof config.model_type === 'string' ? config.model_type : '';
  if (!layers || !heads || !hiddenSize || !vocabSize || hiddenSize % heads !== 0 || modelType === '') {
    return {
      ok: false,
      error: { code: 'invalid-config', message: `${path.join(folder, 'config.json')} needs model_type, n_layer, n_head, n_embd (a multiple of n_head) and vocab_size.` },
    };
  }
  return { ok: true, value: { modelType, layers, heads, hiddenSize, headDim: hiddenSize / heads, vocabSize, maxPositions } };
}

/** The output names the views need, for a model of `layers` layers. */
export function requiredOutputNames(layers: number): string[] {
  const names = ['logits'];
  for (let i = 0; i < layers; i++) names.push(`attentions.${i}`, `present.${i}.key`, `present.${i}.value`);
  for (let i = 0; i <= layers; i++) names.push(`hidden_states.${i}`);
  return names;
}

/**
 * The model that ships with the extension (media/model). The bundles run from dist/ (one level below
 * the extension root), tests and scripts from src/core/localModel/ (three levels); both are tried.
 */
export function bundledModelFolder(): string {
  const candidates = [path.join(__dirname, '..', 'media', 'model'), path.join(__dirname, '..', '..', '..', 'media', 'model')];
  return candidates.find((candidate) => fs.existsSync(path.join(candidate, 'config.json'))) ?? candidates[0];
}
