/**
 * A log's cache prediction as a job for the cache worker (worker.ts): everything it needs travels as
 * data (structured clone), and it answers with the same CacheOutcome `conversationCache` gives on the
 * extension host. No `vscode` import: the worker and the unit tests run it alike.
 */
import { loadCatalog, type ModelInfo } from '../../../core/catalog';
import { loadTokenizer, type Tokenizer } from '../../../core/tokenize';
import { conversationCache, type CacheOutcome } from './source';

export interface CacheJob {
  text: string;
  source: { kind: 'log' | 'pasted'; title: string };
  /** As CacheSourceOptions.provider. */
  provider?: string;
  /** Id of the active model: the model of requests that name none. */
  activeModel: string;
  /** The host's catalogue (built-in models with the user's promptLens.models applied). */
  models: readonly ModelInfo[];
}

/** Host → worker. */
export interface CacheJobRequest {
  id: number;
  job: CacheJob;
}

/** Worker → host: progress while the log renders, then the outcome or why there is none. */
export type CacheJobReply =
  | { id: number; type: 'progress'; done: number; total: number }
  | { id: number; type: 'result'; outcome: CacheOutcome }
  | { id: number; type: 'error'; message: string };

/** Tokenizers outlive a job: the next log (another provider, an edit) is predicted without loading them again. */
const tokenizers = new Map<string, Promise<Tokenizer>>();

function tokenizer(name: string): Promise<Tokenizer> {
  let pending = tokenizers.get(name);
  if (!pending) {
    pending = loadTokenizer(name);
    tokenizers.set(name, pending);
    pending.catch(() => tokenizers.delete(name));
  }
  return pending;
}

/**
 * Predicts `job` as `conversationCache` does on the host. The catalogue is rebuilt from the host's models
 * given as overrides of the built-in ones, which reproduces it: each built-in model is patched with its own
 * final value, and the user's added models follow in the same order.
 */
export function runCacheJob(job: CacheJob, onProgress?: (done: number, total: number) => void): Promise<CacheOutcome> {
  const catalog = loadCatalog([...job.models]);
  const activeModel = catalog.find(job.activeModel) ?? catalog.models[0];
  return conversationCache(job.text, job.source, { provider: job.provider, activeModel, findModel: (id) => catalog.find(id), tokenizer, onProgress });
}
