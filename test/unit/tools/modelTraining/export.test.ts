import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { REPO_ROOT } from '../../../support/paths';

// The shipped model folder (media/model) run directly by onnxruntime, and the build-time scripts in model/ that
// produce it: the contract the extension's model runtime reads (tools/model-training/README.md, "Layout").
const ROOT = REPO_ROOT;
const SHIPPED = path.join(ROOT, 'media', 'model');
// Debian's interpreter has python3-torch (scripts/install-system-deps.sh); a pyenv or venv python3 first on PATH may not.
const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const PROMPT =
  'You are a careful assistant. Summarize the JSON below in one sentence.\n' +
  '{"user": "Ada", "orders": [{"id": 7, "total": 12.5}]}\n' +
  'def total(orders):\n    return sum(o["total"] for o in orders)\n';

interface ModelConfig {
  n_layer: number;
  n_head: number;
  n_embd: number;
  vocab_size: number;
}

const config = JSON.parse(fs.readFileSync(path.join(SHIPPED, 'config.json'), 'utf8')) as ModelConfig;
const headDim = config.n_embd / config.n_head;

async function promptIds(): Promise<number[]> {
  const { AutoTokenizer, env } = await import('@huggingface/transformers');
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = path.dirname(SHIPPED);
  const tokenizer = await AutoTokenizer.from_pretrained(path.basename(SHIPPED), { local_files_only: true });
  return tokenizer.encode(PROMPT, { add_special_tokens: false });
}

function int64(values: number[], dims: number[]): ort.Tensor {
  return new ort.Tensor('int64', BigInt64Array.from(values.map(BigInt)), dims);
}

/** Feeds for one sequence of `ids` that follows `pastLength` tokens whose KV is `past` (none: empty past). */
function feeds(ids: number[], pastLength = 0, past?: ort.InferenceSession.OnnxValueMapType): Record<string, ort.Tensor> {
  const result: Record<string, ort.Tensor> = {
    input_ids: int64(ids, [1, ids.length]),
    attention_mask: int64(new Array<number>(pastLength + ids.length).fill(1), [1, pastLength + ids.length]),
    position_ids: int64(ids.map((_, i) => pastLength + i), [1, ids.length]),
  };
  for (let layer = 0; layer < config.n_layer; layer++) {
    for (const kind of ['key', 'value']) {
      result[`past_key_values.${layer}.${kind}`] = past
        ? (past[`present.${layer}.${kind}`] as ort.Tensor)
        : new ort.Tensor('float32', new Float32Array(0), [1, config.n_head, 0, headDim]);
    }
  }
  return result;
}

function maxAbsDiff(a: ort.Tensor, b: ort.Tensor, offsetB = 0): number {
  const left = a.data as Float32Array;
  const right = b.data as Float32Array;
  let max = 0;
  for (let i = 0; i < left.length; i++) max = Math.max(max, Math.abs(left[i] - right[offsetB + i]));
  return max;
}

test('the shipped model: every attention row sums to 1, nothing above the diagonal, all hidden states', async () => {
  const session = await ort.InferenceSession.create(path.join(SHIPPED, 'onnx', 'model.onnx'));
  const ids = await promptIds();
  assert.ok(ids.length > 40, `prompt tokenized to ${ids.length} tokens`);
  const outputs = await session.run(feeds(ids));
  const n = ids.length;
  assert.deepEqual(outputs.logits.dims, [1, n, config.vocab_size]);
  for (let layer = 0; layer < config.n_layer; layer++) {
    const attention = outputs[`attentions.${layer}`] as ort.Tensor;
    assert.deepEqual(attention.dims, [1, config.n_head, n, n]);
    const weights = attention.data as Float32Array;
    for (let row = 0; row < config.n_head * n; row++) {
      const query = row % n;
      let sum = 0;
      for (let key = 0; key < n; key++) {
        const weight = weights[row * n + key];
        sum += weight;
        if (key > query) assert.equal(weight, 0, `layer ${layer} row ${row} key ${key} is above the diagonal`);
      }
      assert.ok(Math.abs(sum - 1) < 1e-5, `layer ${layer} row ${row} sums to ${sum}`);
    }
  }
  for (let index = 0; index <= config.n_layer; index++) {
    assert.deepEqual(outputs[`hidden_states.${index}`].dims, [1, n, config.n_embd]);
  }
});

test('reusing the KV of a prefix gives the logits of a full run', async () => {
  const session = await ort.InferenceSession.create(path.join(SHIPPED, 'onnx', 'model.onnx'));
  const ids = await promptIds();
  const split = Math.floor(ids.length / 2);
  const full = await session.run(feeds(ids));
  const prefix = await session.run(feeds(ids.slice(0, split)));
  const rest = await session.run(feeds(ids.slice(split), split, prefix));
  assert.deepEqual(rest['present.0.key'].dims, [1, config.n_head, ids.length, headDim]);
  assert.deepEqual(rest['attentions.0'].dims, [1, config.n_head, ids.length - split, ids.length]);
  const diff = maxAbsDiff(rest.logits as ort.Tensor, full.logits as ort.Tensor, split * config.vocab_size);
  assert.ok(diff < 1e-4, `max abs logit difference ${diff}`);
});

test("tools/model-training/export.py turns the project's checkpoint into exactly the shipped model", { timeout: 240_000 }, async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'prompt-lens-export-'));
  try {
    execFileSync(PYTHON, ['tools/model-training/export.py', '--checkpoint', 'tools/model-training/checkpoint', '--out', out], {
      cwd: ROOT,
      stdio: 'pipe',
      timeout: 180_000,
    });
    for (const name of ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json']) {
      assert.equal(fs.readFileSync(path.join(out, name), 'utf8'), fs.readFileSync(path.join(SHIPPED, name), 'utf8'), name);
    }
    const exported = await ort.InferenceSession.create(path.join(out, 'onnx', 'model.onnx'));
    const shipped = await ort.InferenceSession.create(path.join(SHIPPED, 'onnx', 'model.onnx'));
    assert.deepEqual(exported.outputNames, shipped.outputNames);
    const ids = await promptIds();
    const [fresh, reference] = [await exported.run(feeds(ids)), await shipped.run(feeds(ids))];
    for (const name of shipped.outputNames) {
      assert.equal(maxAbsDiff(fresh[name] as ort.Tensor, reference[name] as ort.Tensor), 0, name);
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('the Python checks of tools/model-training/ pass (model definition, checkpoint formats, ONNX graph, size budget)', { timeout: 240_000 }, () => {
  execFileSync(PYTHON, ['-m', 'unittest', 'discover', '-s', 'tools/model-training', '-p', 'test_*.py'], {
    cwd: ROOT,
    stdio: 'pipe',
    timeout: 180_000,
  });
});
