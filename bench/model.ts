// The model runtime's numbers: load time, a 512-token forward pass on 2 threads, peak RSS of
// an extension host with the model loaded, KV-prefix reuse, and ONNX Runtime (through transformers.js)
// against PyTorch on the CPU with the same weights (tools/model-training/checkpoint, read by tools/model-training/gpt2.py).
import { execFileSync } from 'node:child_process';
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundledModelFolder } from '../src/core/localModel';
import { loadFolderTokenizer } from '../src/core/localModel/tokenizer';
import { mixedText } from './corpus';
import { fixed, median } from './stats';

const TOKENS = 512;
const ROOT = path.join(__dirname, '..');

interface HostRun {
  tokens: number;
  activationError?: string;
  rssActivatedMb: number;
  rssLoadedMb: number;
  peakViewsMb: number;
  peakRssMb: number;
  divergenceMs: number;
  loadMs: number;
  forwardMs: number[];
  inspectMs: number;
  inspectTokens: number;
  prefill: { tokens: number; reusedTokens: number; fullMs: number; reuseMs: number; prefixMs: number; maxLogitDifference: number };
  lastRow: number[];
}

// PyTorch CPU on the same weights: the training code's GPT-2 (tools/model-training/gpt2.py) computes the same outputs as the
// ONNX graph (logits, presents, attentions, hidden states), 2 threads, no autograd.
const TORCH_SCRIPT = `
import json, sys, time, torch
sys.path.insert(0, sys.argv[1])
from gpt2 import load_checkpoint
torch.set_num_threads(2)
started = time.perf_counter()
model = load_checkpoint(sys.argv[2])
load_ms = (time.perf_counter() - started) * 1000
ids = torch.tensor([json.load(open(sys.argv[3]))], dtype=torch.long)
n = ids.shape[1]
times = []
with torch.no_grad():
    mask = torch.ones(1, n, dtype=torch.long)
    positions = torch.arange(n).unsqueeze(0)
    past = model.empty_past(1)
    for run in range(-1, 7):
        started = time.perf_counter()
        logits = model.forward_all(ids, mask, positions, past)[0]
        if run >= 0:
            times.append((time.perf_counter() - started) * 1000)
print(json.dumps({"version": torch.__version__, "loadMs": load_ms, "forwardMs": times, "lastRow": logits[0, -1].tolist()}))
`;

/** Text whose model tokenization is exactly TOKENS tokens (cut at a token boundary), and its ids. */
async function promptOf512Tokens(): Promise<{ text: string; ids: number[] }> {
  const tokenizer = await loadFolderTokenizer(bundledModelFolder());
  const source = mixedText(20_000);
  const tokens = tokenizer.tokens(source).slice(0, TOKENS);
  const text = source.slice(0, tokens.at(-1)!.end);
  return { text, ids: tokens.map((token) => token.id) };
}

function torchRun(idsFile: string): { version: string; loadMs: number; forwardMs: number[]; lastRow: number[] } | string {
  const training = path.join(ROOT, 'tools', 'model-training');
  const checkpoint = path.join(training, 'checkpoint');
  if (!fs.existsSync('/usr/bin/python3') || !fs.existsSync(checkpoint)) return 'not run: needs /usr/bin/python3 with python3-torch and tools/model-training/checkpoint';
  try {
    const output = execFileSync('/usr/bin/python3', ['-c', TORCH_SCRIPT, training, checkpoint, idsFile], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return JSON.parse(output.trim().split('\n').at(-1)!);
  } catch (error) {
    return `not run: ${(error as Error).message.split('\n')[0]}`;
  }
}

export async function benchModel(): Promise<void> {
  console.log(`\n## Model runtime (media/model: ONNX Runtime ${require('onnxruntime-node/package.json').version} through @huggingface/transformers, 2 intra-op threads; 3 fresh stubbed extension hosts)`);
  const { text, ids } = await promptOf512Tokens();
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'promptlens-model-bench-'));
  const idsFile = path.join(folder, 'ids.json');
  const textFile = path.join(folder, 'text.txt');
  fs.writeFileSync(idsFile, JSON.stringify(ids));
  fs.writeFileSync(textFile, text);
  const host = path.join(folder, 'modelHost.js');
  esbuild.buildSync({
    entryPoints: [path.join(__dirname, 'modelHost.ts')],
    outfile: host,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', '@huggingface/transformers', 'onnxruntime-node', 'onnxruntime-common'],
    logLevel: 'warning',
  });
  const env = { ...process.env, NODE_PATH: path.join(ROOT, 'dist', 'node_modules') };
  try {
    const runs: HostRun[] = Array.from({ length: 3 }, () =>
      JSON.parse(execFileSync(process.execPath, [host, ROOT, idsFile, textFile], { encoding: 'utf8', env }).trim().split('\n').at(-1)!),
    );
    const pick = (get: (run: HostRun) => number) => median(runs.map(get));
    const forward = runs.flatMap((run) => run.forwardMs);
    console.log(`load (tokenizer + transformers.js + ONNX Runtime session): ${fixed(pick((r) => r.loadMs), 0)} ms median of 3 cold loads`);
    console.log(`forward pass, ${ids.length} tokens, all outputs (logits, K/V, attentions, hidden states): p50 ${fixed(median(forward))} ms, max ${fixed(Math.max(...forward))} ms over ${forward.length} passes (target < 500 ms on 2 cores)`);
    console.log(`attention/embedding view request (tokenize + pass, ${runs[0].inspectTokens} tokens): ${fixed(pick((r) => r.inspectMs))} ms; prefix view (two fillings + divergence): ${fixed(pick((r) => r.divergenceMs))} ms`);
    if (runs[0].activationError) console.log(`(dist/extension.js did not activate in the stub: ${runs[0].activationError}; RSS below is without it)`);
    console.log(`RSS: ${fixed(pick((r) => r.rssActivatedMb))} MB activated extension → ${fixed(pick((r) => r.rssLoadedMb))} MB model loaded → peak ${fixed(pick((r) => r.peakViewsMb))} MB through the three views' requests (target < 300 MB); ${fixed(pick((r) => r.peakRssMb))} MB after 8 more all-output passes`);
    const prefill = runs[0].prefill;
    console.log(`prefill with a cached prefix: ${prefill.tokens} tokens from scratch ${fixed(median(runs.map((r) => r.prefill.fullMs)))} ms vs ${prefill.tokens - prefill.reusedTokens} new tokens on ${prefill.reusedTokens} reused ${fixed(median(runs.map((r) => r.prefill.reuseMs)))} ms (same logits within ${prefill.maxLogitDifference.toExponential(1)})`);

    const torch = torchRun(idsFile);
    if (typeof torch === 'string') {
      console.log(`PyTorch CPU: ${torch}`);
    } else {
      const ortMs = median(forward);
      const torchMs = median(torch.forwardMs);
      const difference = Math.max(...torch.lastRow.map((value, i) => Math.abs(value - runs[0].lastRow[i])));
      console.log('\n| same weights, same 512 tokens, 2 threads | load ms | forward p50 ms |');
      console.log('|---|--:|--:|');
      console.log(`| ONNX Runtime via transformers.js (Node ${process.version}) | ${fixed(pick((r) => r.loadMs), 0)} | ${fixed(ortMs)} |`);
      console.log(`| PyTorch ${torch.version} CPU eager (tools/model-training/gpt2.py) | ${fixed(torch.loadMs, 0)} | ${fixed(torchMs)} |`);
      console.log(`ratio PyTorch / ONNX Runtime forward: ${fixed(torchMs / ortMs, 2)}× (> 1: ONNX Runtime is faster); last-position logits differ by at most ${difference.toExponential(1)}`);
    }
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}
