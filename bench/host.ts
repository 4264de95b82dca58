// Child process for `npm run bench`: activation time and memory of the real bundle in a stubbed host, and what
// activation left running. Prints one JSON line. Run as: node --expose-gc --import tsx bench/host.ts
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { installVscodeStub, stubContext } from './vscodeStub';

/** How long activation's background work (timers, parser and tokenizer loads) gets to show before it is counted. */
const SETTLE_MS = 2000;

/**
 * Counts the heavy work that starts after `watch()`: WebAssembly instances (the tree-sitter runtime and its
 * grammars, tiktoken) and data files read (grammars, BPE ranks, tokenizer.json; code that is required is not counted).
 */
function watchHeavyWork(): { wasmInstances: number; dataFiles: Set<string> } {
  const seen = { wasmInstances: 0, dataFiles: new Set<string>() };
  const instantiate = WebAssembly.instantiate.bind(WebAssembly);
  WebAssembly.instantiate = ((...args: Parameters<typeof instantiate>) => {
    seen.wasmInstances++;
    return instantiate(...args);
  }) as typeof WebAssembly.instantiate;
  // The module object itself (an `import * as` namespace is read-only), which the bundles call through.
  const nodeFs = require('node:fs') as typeof fs;
  const record = (file: unknown) => {
    if (typeof file === 'string' && !/\.(c|m)?js$/.test(file)) seen.dataFiles.add(path.basename(file));
  };
  const readFileSync = nodeFs.readFileSync;
  (nodeFs as { readFileSync: unknown }).readFileSync = (file: unknown, ...rest: unknown[]) => {
    record(file);
    return (readFileSync as (...args: unknown[]) => unknown)(file, ...rest);
  };
  const readFile = nodeFs.readFile;
  (nodeFs as { readFile: unknown }).readFile = (file: unknown, ...rest: unknown[]) => {
    record(file);
    return (readFile as (...args: unknown[]) => unknown)(file, ...rest);
  };
  const readFilePromise = nodeFs.promises.readFile;
  (nodeFs.promises as { readFile: unknown }).readFile = (file: unknown, ...rest: unknown[]) => {
    record(file);
    return (readFilePromise as (...args: unknown[]) => unknown)(file, ...rest);
  };
  return seen;
}

async function main(): Promise<void> {
  installVscodeStub();
  const before = process.memoryUsage().rss;
  const started = performance.now();
  const extension = require(path.resolve(__dirname, '..', 'dist', 'extension.js')) as { activate(context: unknown): void };
  const heavy = watchHeavyWork();
  extension.activate(stubContext());
  const activationMs = performance.now() - started;
  const afterActivation = process.memoryUsage().rss;
  const timersAfterActivation = process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const afterSettling = process.memoryUsage().rss;
  const startedByActivation = { settleMs: SETTLE_MS, timers: timersAfterActivation, wasmInstances: heavy.wasmInstances, dataFiles: [...heavy.dataFiles].sort() };

  // The three tokenizers of the default hover (gpt-4o, claude-sonnet-4.5, llama-3.3-70b), loaded through the
  // bundled CLI's `count`, which runs the same core code the extension bundles.
  const cli = require(path.resolve(__dirname, '..', 'dist', 'cli.js')) as { main(argv: string[], out: NodeJS.WritableStream): Promise<number> };
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const input = path.join(os.tmpdir(), `promptlens-bench-${process.pid}.txt`);
  fs.writeFileSync(input, 'Hello, world! Count me.');
  const loadStarted = performance.now();
  for (const model of ['gpt-4o', 'claude-sonnet-4.5', 'llama-3.3-70b']) await cli.main(['count', '--model', model, input], sink);
  fs.rmSync(input);
  const loadMs = performance.now() - loadStarted;
  global.gc?.();
  const afterTokenizers = process.memoryUsage();
  console.log(JSON.stringify({
    activationMs,
    rssBeforeMb: before / 2 ** 20,
    rssAfterActivationMb: afterActivation / 2 ** 20,
    rssSettledMb: afterSettling / 2 ** 20,
    startedByActivation,
    rssWithTokenizersMb: afterTokenizers.rss / 2 ** 20,
    heapWithTokenizersMb: (afterTokenizers.heapUsed + afterTokenizers.external) / 2 ** 20,
    tokenizerLoadMs: loadMs,
  }));
}

void main();
