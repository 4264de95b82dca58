import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'node:test';
import {
  EXPORT_HINT,
  LatestOnly,
  LazyModel,
  bundledModelFolder,
  fillDynamicSegment,
  inspectPrompt,
  loadModel,
  logitDifference,
  nearestNeighbours,
  prefixCache,
  prefixDivergence,
  projectLayer,
  tokenPath,
  type LoadedModel,
} from '../../../../src/core/localModel';
import type { Prompt } from '../../../../src/core/prompt/types';
import { onnxWithoutAttentions } from '../../../support/onnxFixture';

const PROMPT = 'You are a helpful assistant. Answer the question about the invoice in one sentence.';
const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Loaded once for the file, with every network path closed: a fetch that throws and counts. */
let fetchCalls = 0;
const realFetch = globalThis.fetch;
globalThis.fetch = (() => {
  fetchCalls++;
  throw new Error('network use in a test');
}) as typeof fetch;
const loading = loadModel(bundledModelFolder(), { threads: 1 });
async function model(): Promise<LoadedModel> {
  const result = await loading;
  assert.ok(result.ok, !result.ok ? result.error.message : '');
  return result.value;
}
test.after(async () => {
  globalThis.fetch = realFetch;
  const result = await loading;
  if (result.ok) await result.value.dispose();
});

test('the shipped model loads from its folder with the network closed (allowRemoteModels off, fetch throwing)', async () => {
  const loaded = await model();
  assert.equal(fetchCalls, 0);
  // The instance the runtime loaded (its CommonJS build, through require).
  const { env } = require('@huggingface/transformers') as { env: { allowRemoteModels: boolean } };
  assert.equal(env.allowRemoteModels, false);
  assert.equal(loaded.shape.modelType, 'gpt2');
  assert.equal(loaded.shape.headDim * loaded.shape.heads, loaded.shape.hiddenSize);
});

test('every attention row sums to 1 and every entry above the diagonal is exactly 0', async () => {
  const loaded = await model();
  const result = await inspectPrompt(loaded, PROMPT);
  assert.ok(result.ok, !result.ok ? result.error.message : '');
  const { attentions, tokens, shape } = result.value;
  const n = tokens.length;
  assert.equal(attentions.length, shape.layers);
  for (const [layer, matrix] of attentions.entries()) {
    assert.equal(matrix.length, shape.heads * n * n);
    for (let h = 0; h < shape.heads; h++) {
      for (let q = 0; q < n; q++) {
        let sum = 0;
        for (let k = 0; k < n; k++) {
          const value = matrix[(h * n + q) * n + k];
          if (k > q) assert.equal(value, 0, `layer ${layer} head ${h}: query ${q} attends to later key ${k}`);
          sum += value;
        }
        assert.ok(Math.abs(sum - 1) < 1e-5, `layer ${layer} head ${h} row ${q} sums to ${sum}`);
      }
    }
  }
  assert.equal(result.value.hiddenStates.length, shape.layers + 1);
  assert.equal(result.value.hiddenStates[0].length, n * shape.hiddenSize);
  assert.equal(result.value.keys[0].length, shape.heads * n * shape.headDim);
});

test('tokens carry offsets into the prompt, and a long prompt is cut to the window', async () => {
  const loaded = await model();
  const whole = await inspectPrompt(loaded, PROMPT);
  assert.ok(whole.ok);
  assert.equal(whole.value.tokens.map((t) => PROMPT.slice(t.start, t.end)).join(''), PROMPT);
  assert.equal(whole.value.tokens.map((t) => t.text).join(''), PROMPT);
  const windowed = await inspectPrompt(loaded, PROMPT, { windowStart: 3, maxTokens: 5 });
  assert.ok(windowed.ok);
  assert.equal(windowed.value.tokens.length, 5);
  assert.equal(windowed.value.totalTokens, whole.value.tokens.length);
  assert.deepEqual(windowed.value.tokens, whole.value.tokens.slice(3, 8));
  assert.equal(windowed.value.attentions[0].length, loaded.shape.heads * 25);
});

test('logits computed on top of a reused prefix KV equal those of a full run (within 1e-4)', async () => {
  const loaded = await model();
  const ids = loaded.tokenizer.encode(PROMPT);
  const split = Math.floor(ids.length / 2);
  const full = await loaded.forward(ids, { outputs: ['logits'] });
  const prefix = await loaded.forward(ids.slice(0, split), { outputs: ['kv'] });
  assert.ok(full.ok && prefix.ok);
  // Only the asked-for outputs come back.
  assert.equal(full.value.attentions, undefined);
  assert.equal(prefix.value.logits, undefined);
  const past = prefixCache(prefix.value, loaded.shape, split);
  const rest = await loaded.forward(ids.slice(split), { past });
  assert.ok(rest.ok, !rest.ok ? rest.error.message : '');
  assert.equal(rest.value.pastLength, split);
  const restLogits = rest.value.logits!;
  assert.equal(restLogits.length, (ids.length - split) * loaded.shape.vocabSize);
  assert.ok(logitDifference(full.value.logits!, restLogits, split, loaded.shape.vocabSize) <= 1e-4);
  // The new queries attend over past + new keys.
  assert.equal(rest.value.attentions![0].length, loaded.shape.heads * (ids.length - split) * ids.length);
});

test('two fillings of a dynamic part: hidden states and K/V are unchanged before it and change after it', async () => {
  const loaded = await model();
  const prompt: Prompt = {
    id: 'template@0:0',
    kind: 'template',
    range,
    reason: 'test',
    segments: [
      { kind: 'static', text: 'You are a support agent for the billing team. The customer is ', range },
      { kind: 'dynamic', text: '{name}', expression: 'name', syntax: 'f-string', range },
      { kind: 'static', text: '. Answer their question politely and briefly.', range },
    ],
  };
  const fillings = fillDynamicSegment(prompt, 1, 'Alice', 'Mohammed');
  assert.ok(fillings.ok);
  const result = await prefixDivergence(loaded, fillings.value.textA, fillings.value.textB);
  assert.ok(result.ok, !result.ok ? result.error.message : '');
  const { commonPrefix, positions, hiddenByPosition, kvByPosition, tokensA } = result.value;
  assert.ok(commonPrefix > 5 && commonPrefix < positions, `common prefix ${commonPrefix} of ${positions}`);
  assert.ok(tokensA[commonPrefix].end > fillings.value.dynamicStart, 'the first different token is in or after the filled part');
  for (let p = 0; p < commonPrefix; p++) {
    assert.equal(hiddenByPosition[p], 0, `hidden states at shared position ${p}`);
    assert.equal(kvByPosition[p], 0, `K/V at shared position ${p}`);
  }
  for (let p = commonPrefix; p < positions; p++) {
    assert.ok(hiddenByPosition[p] > 1e-3, `hidden states at position ${p} after the change: ${hiddenByPosition[p]}`);
    assert.ok(kvByPosition[p] > 1e-3, `K/V at position ${p} after the change: ${kvByPosition[p]}`);
  }
});

test('embedding view data: a 2-D projection per layer, a token path through all layers, neighbours by similarity', async () => {
  const loaded = await model();
  const result = await inspectPrompt(loaded, PROMPT);
  assert.ok(result.ok);
  const n = result.value.tokens.length;
  const projection = projectLayer(result.value, 0, 2);
  assert.equal(projection.points.length, n * 2);
  assert.ok(projection.varianceRatio[0] >= projection.varianceRatio[1] && projection.varianceRatio[0] > 0);
  const path3 = tokenPath(result.value, 2, 3);
  assert.equal(path3.points.length, (loaded.shape.layers + 1) * 3);
  const neighbours = nearestNeighbours(result.value, loaded.shape.layers, 2, 3);
  assert.equal(neighbours.length, 3);
  assert.ok(neighbours.every((neighbour) => neighbour.token !== 2));
  assert.ok(neighbours[0].similarity >= neighbours[1].similarity && neighbours[1].similarity >= neighbours[2].similarity);
});

test('a changed prompt cancels the pass in flight for the previous one', async () => {
  const loaded = await model();
  const latest = new LatestOnly();
  const first = inspectPrompt(loaded, PROMPT, { signal: latest.next() });
  const second = inspectPrompt(loaded, `${PROMPT} Thanks.`, { signal: latest.next() });
  const [a, b] = await Promise.all([first, second]);
  assert.equal(!a.ok && a.error.code, 'cancelled');
  assert.ok(b.ok);
  const aborted = new AbortController();
  aborted.abort();
  const none = await inspectPrompt(loaded, PROMPT, { signal: aborted.signal });
  assert.equal(!none.ok && none.error.code, 'cancelled');
});

function scratchFolder(files: Record<string, string | Uint8Array>): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'promptlens-model-'));
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(folder, file)), { recursive: true });
    fs.writeFileSync(path.join(folder, file), content);
  }
  return folder;
}

test('a folder missing files or attention outputs gets a clear message that says how to export one', async () => {
  const shipped = bundledModelFolder();
  const copy = (file: string) => fs.readFileSync(path.join(shipped, file));
  const noOnnx = scratchFolder({ 'config.json': copy('config.json'), 'tokenizer.json': copy('tokenizer.json'), 'tokenizer_config.json': copy('tokenizer_config.json') });
  const missing = await loadModel(noOnnx);
  assert.equal(!missing.ok && missing.error.code, 'missing-files');
  assert.match(!missing.ok ? missing.error.message : '', /lacks onnx\/model\.onnx/);

  const plain = scratchFolder({
    'config.json': copy('config.json'),
    'tokenizer.json': copy('tokenizer.json'),
    'tokenizer_config.json': copy('tokenizer_config.json'),
    'onnx/model.onnx': onnxWithoutAttentions(),
  });
  const result = await loadModel(plain);
  assert.equal(!result.ok && result.error.code, 'no-attention-outputs');
  assert.ok(!result.ok && result.error.message.includes('attentions.0') && result.error.message.includes(EXPORT_HINT));

  const nowhere = await loadModel(path.join(os.tmpdir(), 'promptlens-no-such-model'));
  assert.equal(!nowhere.ok && nowhere.error.code, 'missing-files');
  assert.equal(fetchCalls, 0);
});

test('the lazy holder loads nothing until asked, and concurrent askers share one load', async () => {
  const holder = new LazyModel({ threads: 1 });
  assert.equal(await holder.loaded(), false);
  const phases: string[] = [];
  const [a, b] = await Promise.all([holder.get(bundledModelFolder(), (report) => phases.push(report.phase)), holder.get(bundledModelFolder())]);
  assert.ok(a.ok && b.ok && a.value === b.value);
  assert.equal(phases.at(-1), 'ready');
  assert.equal(await holder.loaded(), true);
  await holder.unload();
  assert.equal(await holder.loaded(), false);
});
