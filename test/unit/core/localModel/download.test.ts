import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'node:test';
import { downloadHubModel, hubModelFolder, readModelFolder } from '../../../../src/core/localModel';

const FILES: Record<string, string> = {
  'config.json': JSON.stringify({ model_type: 'gpt2', n_layer: 2, n_head: 2, n_embd: 8, vocab_size: 10, n_positions: 16 }),
  'tokenizer.json': '{}',
  'tokenizer_config.json': '{}',
  'onnx/model.onnx': 'x'.repeat(5000),
};

/** A Hub stand-in: serves FILES under /<id>/resolve/<revision>/, 404 for anything else; records the URLs asked for. */
function fakeHub(files = FILES) {
  const asked: string[] = [];
  const fetch = (async (input: string | URL | Request) => {
    const url = String(input);
    asked.push(url);
    const file = decodeURIComponent(url.replace(/^https:\/\/huggingface\.co\/owner\/tiny\/resolve\/main\//, ''));
    if (!(file in files)) return new Response('not found', { status: 404 });
    return new Response(files[file], { status: 200, headers: { 'content-length': String(Buffer.byteLength(files[file])) } });
  }) as typeof globalThis.fetch;
  return { fetch, asked };
}

function storage(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'promptlens-hub-'));
}

test('without the user allowing network use nothing is fetched, and the message says how to proceed', async () => {
  const hub = fakeHub();
  const result = await downloadHubModel('owner/tiny', storage(), { allowNetwork: false, fetch: hub.fetch });
  assert.equal(result.ok, false);
  assert.equal(!result.ok && result.error.code, 'network-disabled');
  assert.match(!result.ok ? result.error.message : '', /promptLens\.localModel\.path/);
  assert.equal(hub.asked.length, 0);
});

test('a Hub id downloads into global storage with progress, and is then used without the network', async () => {
  const root = storage();
  const hub = fakeHub();
  const progress: string[] = [];
  const result = await downloadHubModel('owner/tiny', root, { allowNetwork: true, fetch: hub.fetch, onProgress: (p) => progress.push(`${p.file}:${p.loaded}/${p.total}`) });
  assert.ok(result.ok, !result.ok ? result.error.message : '');
  assert.equal(result.value, hubModelFolder(root, 'owner/tiny'));
  assert.ok(readModelFolder(result.value).ok);
  assert.equal(fs.readFileSync(path.join(result.value, 'onnx/model.onnx'), 'utf8').length, 5000);
  assert.ok(progress.includes('onnx/model.onnx:5000/5000'), progress.join(' '));
  assert.ok(hub.asked.includes('https://huggingface.co/owner/tiny/resolve/main/generation_config.json'), 'optional file asked for');
  assert.equal(fs.existsSync(`${result.value}.partial`), false);

  const again = await downloadHubModel('owner/tiny', root, { allowNetwork: false, fetch: () => Promise.reject(new Error('offline')) });
  assert.ok(again.ok && again.value === result.value);
});

test('a repository without onnx/model.onnx fails with a clear message and leaves nothing behind', async () => {
  const root = storage();
  const { 'onnx/model.onnx': _model, ...rest } = FILES;
  const result = await downloadHubModel('owner/tiny', root, { allowNetwork: true, fetch: fakeHub(rest).fetch });
  assert.equal(!result.ok && result.error.code, 'download-failed');
  assert.match(!result.ok ? result.error.message : '', /no ONNX export at onnx\/model\.onnx/);
  assert.equal(fs.existsSync(hubModelFolder(root, 'owner/tiny')), false);
  assert.equal(fs.existsSync(`${hubModelFolder(root, 'owner/tiny')}.partial`), false);
});

test('a cancelled download gives `cancelled` and no folder; bad ids are refused before any request', async () => {
  const root = storage();
  const controller = new AbortController();
  const hub = fakeHub();
  const result = await downloadHubModel('owner/tiny', root, {
    allowNetwork: true,
    signal: controller.signal,
    fetch: hub.fetch,
    onProgress: () => controller.abort(),
  });
  assert.equal(!result.ok && result.error.code, 'cancelled');
  assert.equal(fs.existsSync(hubModelFolder(root, 'owner/tiny')), false);
  assert.equal(fs.existsSync(`${hubModelFolder(root, 'owner/tiny')}.partial`), false);

  for (const id of ['../etc', 'no-slash', 'a/b/c', 'owner/..']) {
    const bad = await downloadHubModel(id, root, { allowNetwork: true, fetch: hub.fetch });
    assert.equal(!bad.ok && bad.error.code, 'invalid-model-id', id);
  }
});
