/**
 * The extension host's side of the cache worker: runs log predictions in a worker thread, so a 1,000-turn
 * conversation (seconds of rendering, hundreds of MB of tokens and their garbage collection) never blocks
 * hover, code lens or typing. One job at a time: a newer job cancels the older one by terminating the
 * worker, which stops it at once wherever it is. The worker stays for the next job while it is wanted
 * (its tokenizers stay loaded) and is terminated after IDLE_MS without one.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { CacheOutcome } from './source';
import type { CacheJob, CacheJobReply, CacheJobRequest } from './job';

const IDLE_MS = 60_000;

interface Running {
  id: number;
  resolve: (outcome: CacheOutcome | undefined) => void;
  reject: (error: Error) => void;
  onProgress: (done: number, total: number) => void;
}

export class CacheWorkerClient {
  private worker: Worker | undefined;
  private running: Running | undefined;
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;

  /** `script`: dist/cacheWorker.js in the extension; in tests the TypeScript entry, with tsx in `options.execArgv`. */
  constructor(
    private readonly script: string,
    private readonly options: WorkerOptions = {},
    private readonly idleMs = IDLE_MS,
  ) {}

  /** The job's outcome, or undefined when a newer job or `cancel` stopped it first. */
  run(job: CacheJob, onProgress: (done: number, total: number) => void = () => undefined): Promise<CacheOutcome | undefined> {
    this.cancel();
    clearTimeout(this.idleTimer);
    const worker = this.worker ?? this.start();
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.running = { id, resolve, reject, onProgress };
      const request: CacheJobRequest = { id, job };
      worker.postMessage(request);
    });
  }

  /** Stops the job in flight, if any; its `run` resolves to undefined. */
  cancel(): void {
    const running = this.running;
    if (!running) return;
    this.running = undefined;
    this.stop();
    running.resolve(undefined);
  }

  dispose(): void {
    this.cancel();
    clearTimeout(this.idleTimer);
    this.stop();
  }

  private start(): Worker {
    const worker = new Worker(this.script, this.options);
    this.worker = worker;
    worker.on('message', (reply: CacheJobReply) => this.receive(reply));
    worker.on('error', (error) => this.fail(worker, error));
    worker.on('exit', (code) => this.fail(worker, new Error(`the cache worker stopped (exit code ${code})`)));
    return worker;
  }

  private stop(): void {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) void worker.terminate();
  }

  private receive(reply: CacheJobReply): void {
    const running = this.running;
    if (!running || reply.id !== running.id) return; // a cancelled job's last words
    if (reply.type === 'progress') return running.onProgress(reply.done, reply.total);
    this.running = undefined;
    this.idleTimer = setTimeout(() => this.stop(), this.idleMs);
    this.idleTimer.unref(); // an idle worker never keeps the process alive
    if (reply.type === 'result') running.resolve(reply.outcome);
    else running.reject(new Error(reply.message));
  }

  /** The worker died on its own (out of memory, a crash): the job in flight fails with the reason. */
  private fail(worker: Worker, error: Error): void {
    if (worker !== this.worker) return; // terminated on purpose
    this.worker = undefined;
    const running = this.running;
    this.running = undefined;
    running?.reject(error);
  }
}
