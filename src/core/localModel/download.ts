import * as fs from 'node:fs';
import * as path from 'node:path';
import { OPTIONAL_MODEL_FILES, REQUIRED_MODEL_FILES, readModelFolder } from './folder';
import { CANCELLED, fail } from './runtime';
import type { ModelResult } from './types';

/**
 * Downloads a model folder from the Hugging Face Hub (`promptLens.localModel.id`) into the extension's
 * global storage. The only network access of the model runtime, and it happens only when the caller
 * says the user allowed it. The loader then reads the downloaded folder like any local one.
 */

/** Hub repo ids: `owner/name` (https://huggingface.co/docs/hub/repositories: letters, digits, `-`, `_`, `.`). */
const REPO_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,95}\/[A-Za-z0-9][A-Za-z0-9_.-]{0,95}$/;
const REVISION = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

interface DownloadProgress {
  file: string;
  /** Bytes of this file received so far. */
  loaded: number;
  /** Bytes of this file, when the server says. */
  total?: number;
  /** Files finished, of all files. */
  filesDone: number;
  files: number;
}

export interface DownloadOptions {
  /** The user's consent to network use (a setting or a prompt); without it nothing is fetched. */
  allowNetwork: boolean;
  /** Branch, tag or commit; default `main`. */
  revision?: string;
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  /** Injected in tests; default the global fetch. */
  fetch?: typeof fetch;
  /** Default https://huggingface.co. */
  host?: string;
}

/** Where `id`@`revision` lives (or will live) under `storageRoot`. */
export function hubModelFolder(storageRoot: string, id: string, revision = 'main'): string {
  return path.join(storageRoot, 'models', id.replace('/', '--'), revision);
}

/**
 * Returns the local folder of `id`, downloading its files first unless a complete copy is there.
 * Files go to a `.partial` folder that is renamed once every file has arrived, so a cancelled or
 * failed download never leaves a half folder that looks complete.
 */
export async function downloadHubModel(id: string, storageRoot: string, options: DownloadOptions): Promise<ModelResult<string>> {
  const revision = options.revision ?? 'main';
  if (!REPO_ID.test(id) || id.includes('..')) return fail('invalid-model-id', `"${id}" is not a Hugging Face model id (owner/name).`);
  if (!REVISION.test(revision) || revision.includes('..')) return fail('invalid-model-id', `"${revision}" is not a revision (branch, tag or commit).`);
  const folder = hubModelFolder(storageRoot, id, revision);
  if (readModelFolder(folder).ok) return { ok: true, value: folder };
  if (!options.allowNetwork) {
    return fail('network-disabled', `${id} is not downloaded yet and network use is not allowed. Allow it to download the model once, or set promptLens.localModel.path to a local folder.`);
  }
  const fetcher = options.fetch ?? globalThis.fetch;
  const host = (options.host ?? 'https://huggingface.co').replace(/\/+$/, '');
  const partial = `${folder}.partial`;
  const files = [...REQUIRED_MODEL_FILES, ...OPTIONAL_MODEL_FILES];
  const failed = (message: string): ModelResult<string> => {
    fs.rmSync(partial, { recursive: true, force: true });
    return fail('download-failed', message);
  };
  try {
    fs.rmSync(partial, { recursive: true, force: true });
    for (const [index, file] of files.entries()) {
      if (options.signal?.aborted) throw CANCELLED;
      const url = `${host}/${id}/resolve/${encodeURIComponent(revision)}/${file}`;
      const response = await fetcher(url, { signal: options.signal, redirect: 'follow' });
      if (response.status === 404 && (OPTIONAL_MODEL_FILES as readonly string[]).includes(file)) continue;
      if (!response.ok || !response.body) {
        const hint = response.status === 404 && file === 'onnx/model.onnx' ? ' The repository has no ONNX export at onnx/model.onnx.' : '';
        return failed(`Downloading ${file} of ${id} failed: HTTP ${response.status}.${hint}`);
      }
      const totalHeader = Number(response.headers.get('content-length'));
      const total = Number.isFinite(totalHeader) && totalHeader > 0 ? totalHeader : undefined;
      const target = path.join(partial, file);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      const handle = await fs.promises.open(target, 'w');
      try {
        let loaded = 0;
        const reader = response.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          await handle.write(value);
          loaded += value.length;
          options.onProgress?.({ file, loaded, total, filesDone: index, files: files.length });
        }
      } finally {
        await handle.close();
      }
    }
    const check = readModelFolder(partial);
    if (!check.ok) return failed(`${id} was downloaded but is not a usable model folder: ${check.error.message}`);
    fs.rmSync(folder, { recursive: true, force: true });
    fs.renameSync(partial, folder);
    return { ok: true, value: folder };
  } catch (error) {
    if (error === CANCELLED || options.signal?.aborted) {
      fs.rmSync(partial, { recursive: true, force: true });
      return { ok: false, error: CANCELLED };
    }
    return failed(`Downloading ${id} failed: ${(error as Error).message}`);
  }
}
