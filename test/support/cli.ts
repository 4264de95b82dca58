/** Running the CLI inside a test, with stdout and stderr collected as text. */
import { Writable } from 'node:stream';
import { runCache } from '../../src/cli/cache';
import { main } from '../../src/cli/main';
import type { Catalog } from '../../src/core/catalog';
import type { turnView } from '../../src/visualizer/tabs/cache/source';

/** A stream that keeps what is written to it. */
export function collector(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

/** `promptlens <args>`: the exit code and what it wrote. */
export async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = collector();
  const err = collector();
  const code = await main(args, out.stream, { err: err.stream });
  return { code, stdout: out.text(), stderr: err.text() };
}

/** The report of `promptlens cache <file> --provider <provider> --json`, what the visualizer must agree with. */
export async function cacheCliJson(file: string, provider: string, catalog: Catalog): Promise<{ turns: Parameters<typeof turnView>[0][]; summary: unknown }> {
  const out = collector();
  const discarded = new Writable({ write: (_chunk, _encoding, done) => done() });
  await runCache({ file, provider, json: true }, catalog, out.stream, discarded);
  return JSON.parse(out.text());
}
