// Child process for `npm run bench`: activation time and memory of the real bundle in a stubbed host.
// Prints one JSON line. Run as: node --import tsx bench/host.ts
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { installVscodeStub, stubContext } from './vscodeStub';

async function main(): Promise<void> {
  installVscodeStub();
  const before = process.memoryUsage().rss;
  const started = performance.now();
  const extension = require(path.resolve(__dirname, '..', 'dist', 'extension.js')) as { activate(context: unknown): void };
  extension.activate(stubContext());
  const activationMs = performance.now() - started;
  const afterActivation = process.memoryUsage().rss;

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
    rssWithTokenizersMb: afterTokenizers.rss / 2 ** 20,
    heapWithTokenizersMb: (afterTokenizers.heapUsed + afterTokenizers.external) / 2 ** 20,
    tokenizerLoadMs: loadMs,
  }));
}

void main();
