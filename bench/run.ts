// `npm run bench`: every performance number of the README, measured in one run on one machine.
// Each number is reported next to a named alternative measured in the same run, or next to its target.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { encode as gptTokenizerO200k } from 'gpt-tokenizer/encoding/o200k_base';
import { encode as gptTokenizerCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { encode as gptTokenizerP50k } from 'gpt-tokenizer/encoding/p50k_base';
import { encode as gptTokenizerR50k } from 'gpt-tokenizer/encoding/r50k_base';
import { countPrompt } from '../src/core/prompt/count';
import { loadCatalog, resolveModel } from '../src/core/catalog';
import { extractPrompts, initExtractors } from '../src/core/extract';
import { scanFile } from '../src/core/prompt/scan';
import { loadTokenizer } from '../src/core/tokenize';
import { mixedText, pythonModule, typescriptModule } from './corpus';
import { fixed, median, percentile, timeRuns } from './stats';
import { benchCache } from './cache';
import { benchAttentionHeatmap, benchWebview } from './webview';
import { benchModel } from './model';

const JS_TIKTOKEN_RANKS: Record<string, string> = {
  o200k_base: 'js-tiktoken/ranks/o200k_base',
  cl100k_base: 'js-tiktoken/ranks/cl100k_base',
  p50k_base: 'js-tiktoken/ranks/p50k_base',
  r50k_base: 'js-tiktoken/ranks/r50k_base',
};
const GPT_TOKENIZER: Record<string, (text: string) => number[]> = {
  o200k_base: gptTokenizerO200k,
  cl100k_base: gptTokenizerCl100k,
  p50k_base: gptTokenizerP50k,
  r50k_base: gptTokenizerR50k,
};

function header(title: string): void {
  console.log(`\n## ${title}`);
}

async function tokenizationThroughput(): Promise<void> {
  header('Tokenization throughput (1 MB of mixed English, code, JSON, CJK and emoji; median of 5)');
  const text = mixedText(1_000_000);
  const { Tiktoken } = await import('js-tiktoken/lite');
  console.log('| encoding | Prompt Lens (tiktoken) tok/s | gpt-tokenizer tok/s | js-tiktoken tok/s | ratio vs gpt-tokenizer | ratio vs js-tiktoken |');
  console.log('|---|--:|--:|--:|--:|--:|');
  for (const name of Object.keys(GPT_TOKENIZER)) {
    const ours = await loadTokenizer(name);
    const jsTiktoken = new Tiktoken((await import(JS_TIKTOKEN_RANKS[name])).default);
    const tokens = ours.count(text);
    const rate = (ms: number) => tokens / (ms / 1000);
    const oursMs = median(timeRuns(5, () => ours.count(text)));
    const gptMs = median(timeRuns(5, () => GPT_TOKENIZER[name](text)));
    const jsMs = median(timeRuns(5, () => jsTiktoken.encode(text, [], [])));
    console.log(`| ${name} | ${fixed(rate(oursMs) / 1e6, 2)}M | ${fixed(rate(gptMs) / 1e6, 2)}M | ${fixed(rate(jsMs) / 1e6, 2)}M | ${fixed(gptMs / oursMs, 2)}× | ${fixed(jsMs / oursMs, 2)}× |`);
  }
  console.log('(ratio > 1: Prompt Lens is faster)');
  console.log('\n| Hugging Face tokenizer | first load ms | tok/s |');
  console.log('|---|--:|--:|');
  const sample = mixedText(200_000);
  for (const name of ['hf:llama3', 'hf:qwen3', 'hf:gemma3', 'hf:deepseek_v3', 'hf:mistral', 'hf:claude']) {
    const started = performance.now();
    const tokenizer = await loadTokenizer(name);
    const loadMs = performance.now() - started;
    const tokens = tokenizer.count(sample);
    const ms = median(timeRuns(3, () => tokenizer.count(sample)));
    console.log(`| ${name} | ${fixed(loadMs, 0)} | ${fixed(tokens / (ms / 1000) / 1e6, 2)}M |`);
  }
}

function scanThroughput(): void {
  header('Scan throughput (generated workspace: 25 Python + 25 TypeScript files of 1,000 lines = 50,000 lines)');
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'promptlens-bench-'));
  try {
    const files: string[] = [];
    for (let i = 0; i < 25; i++) {
      files.push(path.join(folder, `module_${i}.py`));
      fs.writeFileSync(files.at(-1)!, pythonModule(1000, i));
      files.push(path.join(folder, `module_${i}.ts`));
      fs.writeFileSync(files.at(-1)!, typescriptModule(1000, i));
    }
    let prompts = 0;
    const times = timeRuns(3, () => {
      prompts = 0;
      for (const file of files) prompts += scanFile(file, fs.readFileSync(file)).prompts.length;
    });
    const ms = median(times);
    console.log(`50,000 lines, ${prompts} prompts: ${fixed(ms, 0)} ms (median of 3) = ${fixed(50_000 / (ms / 1000) / 1000, 0)}k lines/s (read + parse + extract)`);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
  for (const [language, make, file] of [['Python', pythonModule, 'big.py'], ['TypeScript', typescriptModule, 'big.ts']] as const) {
    const text = make(10_000);
    const ms = median(timeRuns(5, () => extractPrompts(file, text)));
    console.log(`one 10,000-line ${language} file: ${fixed(ms, 1)} ms (median of 5; target < 100 ms)`);
  }
}

async function hoverLatency(): Promise<void> {
  header('Hover latency: extract the edited document + count the prompt for the active model (gpt-4o) or for the 3 models of the default hover (+ claude-sonnet-4.5, llama-3.3-70b); no caches');
  const catalog = loadCatalog();
  const models = ['gpt-4o', 'claude-sonnet-4.5', 'llama-3.3-70b'].map((id) => resolveModel(catalog, id));
  const tokenizers = await Promise.all(models.map((model) => loadTokenizer(model.tokenizer)));
  const o200k = tokenizers[0];
  console.log('| prompt size | active model only: p50 ms | p95 ms | all 3 models: p50 ms | p95 ms | runs |');
  console.log('|---|--:|--:|--:|--:|--:|');
  for (const target of [1_000, 10_000, 100_000]) {
    // Grow a system prompt until o200k_base counts about `target` tokens.
    let body = mixedText(target * 4).replace(/"""/g, "'''").replace(/\\/g, '/');
    while (o200k.count(body) > target) body = body.slice(0, Math.floor(body.length * 0.98));
    const runs = target >= 100_000 ? 10 : 30;
    const hover = (modelCount: number) =>
      timeRuns(runs, (run) => {
        // Every run is a new document version (the user typed), so nothing is served from a cache.
        const source = `SYSTEM_PROMPT = """${body} v${run}"""\n\nanswer = client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM_PROMPT}])\n`;
        const prompt = extractPrompts('hover.py', source).prompts.find((candidate) => candidate.range.start.line === 0);
        if (!prompt) throw new Error('benchmark prompt not found');
        models.slice(0, modelCount).forEach((model, i) => countPrompt(prompt, model, tokenizers[i]));
      });
    const one = hover(1);
    const three = hover(3);
    console.log(`| ${target.toLocaleString('en-US')} tokens | ${fixed(percentile(one, 50))} | ${fixed(percentile(one, 95))} | ${fixed(percentile(three, 50))} | ${fixed(percentile(three, 95))} | ${runs} |`);
  }
  console.log('(target: p95 < 30 ms at 10k tokens)');
}

function hostMeasurements(): void {
  header('Activation and memory (dist/extension.js in plain Node with a stubbed vscode module; 5 fresh processes)');
  const runs = Array.from({ length: 5 }, () =>
    JSON.parse(execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(__dirname, 'host.ts')], { encoding: 'utf8' }).trim().split('\n').at(-1)!),
  );
  const pick = (key: string) => median(runs.map((run) => run[key] as number));
  console.log(`activation (require bundle + activate()): ${fixed(pick('activationMs'))} ms median (target < 150 ms)`);
  // An open Python editor with a prompt under the cursor, as when VS Code activates the extension for a file.
  const started = runs[0].startedByActivation as { settleMs: number; timers: number; wasmInstances: number; dataFiles: string[] };
  console.log(
    `left running by activation, with a prompt open (target: nothing): ${started.timers} timers; within ${fixed(started.settleMs / 1000, 0)} s ` +
      `${started.wasmInstances} WebAssembly instances (tree-sitter, tiktoken) and ${started.dataFiles.length} data files read` +
      `${started.dataFiles.length ? ` (${started.dataFiles.join(', ')})` : ''}; RSS after those seconds: ${fixed(pick('rssSettledMb'))} MB`,
  );
  console.log(`RSS: ${fixed(pick('rssBeforeMb'))} MB bare Node → ${fixed(pick('rssAfterActivationMb'))} MB activated → ${fixed(pick('rssWithTokenizersMb'))} MB with o200k_base + hf:claude + hf:llama3 loaded (+${fixed(pick('rssWithTokenizersMb') - pick('rssAfterActivationMb'))} MB; target < 150 MB)`);
  console.log(`loading those three tokenizers: ${fixed(pick('tokenizerLoadMs'), 0)} ms`);
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(__dirname, '..', 'dist', 'extension.js'))) throw new Error('run `npm run build` first');
  console.log(`# Prompt Lens benchmarks — ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, Node ${process.version}`);
  await initExtractors();
  await tokenizationThroughput();
  scanThroughput();
  await hoverLatency();
  hostMeasurements();
  await benchWebview();
  await benchAttentionHeatmap();
  await benchCache();
  await benchModel();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
