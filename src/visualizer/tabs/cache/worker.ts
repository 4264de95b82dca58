/**
 * The cache worker's entry (bundled by esbuild as dist/cacheWorker.js): predicts logs off the extension
 * host's thread, one job at a time, posting progress as it renders. A job is cancelled by terminating the
 * worker (workerClient.ts): the prediction is one synchronous run with nothing to poll.
 */
import { parentPort } from 'node:worker_threads';
import { runCacheJob, type CacheJobReply, type CacheJobRequest } from './job';
import { errorMessage } from '../../../../common/text';

/** Progress messages at most this often: a 1,000-turn log would otherwise post a thousand. */
const PROGRESS_INTERVAL_MS = 100;

const port = parentPort;
if (!port) throw new Error('cacheWorker.js runs as a worker thread only');

port.on('message', (request: CacheJobRequest) => {
  const post = (reply: CacheJobReply) => port.postMessage(reply);
  let lastPosted = 0;
  const onProgress = (done: number, total: number) => {
    const now = Date.now();
    if (done < total && now - lastPosted < PROGRESS_INTERVAL_MS) return;
    lastPosted = now;
    post({ id: request.id, type: 'progress', done, total });
  };
  runCacheJob(request.job, onProgress).then(
    (outcome) => post({ id: request.id, type: 'result', outcome }),
    (error: unknown) => post({ id: request.id, type: 'error', message: errorMessage(error) }),
  );
});
