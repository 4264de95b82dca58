import * as path from 'node:path';
import { loadModel, type LoadedModel, type LoadOptions } from './runtime';
import type { ModelResult, ProgressReport } from './types';

/**
 * Holds the model for the extension host: nothing is loaded until the first view asks (never on
 * activation), concurrent askers share one load, and a changed folder setting unloads the old model.
 */
export class LazyModel {
  private folder: string | undefined;
  private loading: Promise<ModelResult<LoadedModel>> | undefined;
  private readonly listeners = new Set<(report: ProgressReport) => void>();

  constructor(private readonly options: Pick<LoadOptions, 'threads'> = {}) {}

  /** The loaded model of `folder`, loading it on the first call; `onProgress` hears this load's progress. */
  get(folder: string, onProgress?: (report: ProgressReport) => void): Promise<ModelResult<LoadedModel>> {
    const absolute = path.resolve(folder);
    if (this.loading && this.folder !== absolute) void this.unload();
    if (onProgress) this.listeners.add(onProgress);
    if (!this.loading) {
      this.folder = absolute;
      const load = loadModel(absolute, { threads: this.options.threads, onProgress: (report) => this.listeners.forEach((listener) => listener(report)) });
      this.loading = load;
      // A failed load is not kept: the next ask (after the user fixed the folder) tries again.
      void load.then((result) => {
        this.listeners.clear();
        if (!result.ok && this.loading === load) this.loading = undefined;
      });
    }
    return this.loading;
  }

  /** True once a load finished successfully (the status bar can say "model loaded"). */
  async loaded(): Promise<boolean> {
    return this.loading ? (await this.loading).ok : false;
  }

  async unload(): Promise<void> {
    const loading = this.loading;
    this.loading = undefined;
    this.folder = undefined;
    const result = await loading;
    if (result?.ok) await result.value.dispose();
  }
}

/** One AbortSignal per "prompt under the cursor": asking for the next aborts the previous request. */
export class LatestOnly {
  private controller: AbortController | undefined;

  next(): AbortSignal {
    this.controller?.abort();
    this.controller = new AbortController();
    return this.controller.signal;
  }

  cancel(): void {
    this.controller?.abort();
    this.controller = undefined;
  }
}
