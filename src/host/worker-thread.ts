import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type TransferListItem } from 'node:worker_threads';

/**
 * A worker holds one piece of work at a time (a log file, an AWS answer): a young generation of
 * 8 MB instead of V8's default (tens of MB per isolate) keeps each worker's memory small (bench
 * cloudtrail-usage: peak RSS 350-380 MB -> 305-340 MB with two workers; s3-objects: 333 -> 286 MB).
 */
const YOUNG_GENERATION_MB = 8;

/**
 * A cap far above what one piece of work needs (a 1.5 MB IAM page, a 5 MB credential report): with
 * no cap, V8 sizes a worker's heap from the machine's memory and lets garbage pile up in it (bench
 * s3-objects, CLI runs: peak RSS 275-291 MB without a cap, 240-269 MB with this one, 255-264 MB
 * with 48). A worker that still runs out stops, and the main thread parses what it held.
 */
const OLD_GENERATION_MB = 256;

/**
 * Whether a worker module can be started: the compiled file beside its caller in dist/. Under
 * vitest the sources run (src/*.ts), where it does not exist and a worker could not load them;
 * the callers then do the work on this thread.
 */
export function workerFileExists(file: URL): boolean {
  return existsSync(fileURLToPath(file));
}

/**
 * A worker thread that answers requests one for one: each message it gets carries an `id`, and it
 * posts one answer with the same `id`. A request still open when the thread stops (the worker
 * failed, exited or was terminated) is rejected with the reason. Only a thread with open requests
 * keeps the process alive.
 */
export class RequestThread<R extends { id: number }, A extends { id: number }> {
  private readonly worker: Worker;
  private readonly open = new Map<number, { resolve(answer: A): void; reject(err: Error): void }>();
  private nextId = 0;
  /** Why it stopped (the first reason); a stopped thread takes no more requests. */
  stopped?: Error;

  /** `name` words its failures ("the log parsing worker failed: ..."). */
  constructor(file: URL, name: string, workerData?: unknown) {
    this.worker = new Worker(file, { workerData, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB, maxOldGenerationSizeMb: OLD_GENERATION_MB } });
    this.worker.unref();
    this.worker.on('message', (answer: A) => {
      const waiting = this.open.get(answer.id);
      if (!waiting) return;
      this.open.delete(answer.id);
      if (this.open.size === 0) this.worker.unref();
      waiting.resolve(answer);
    });
    this.worker.on('error', (err) => this.stop(`the ${name} failed: ${err.message}`));
    this.worker.on('exit', (code) => this.stop(`the ${name} exited (code ${code})`));
  }

  /** Requests in the worker, not answered yet. */
  get inFlight(): number {
    return this.open.size;
  }

  /** Posts `message` with an id of its own; `transfer` moves buffers instead of copying them. */
  request(message: Omit<R, 'id'>, transfer: readonly TransferListItem[] = []): Promise<A> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.open.set(id, { resolve, reject });
      if (this.open.size === 1) this.worker.ref();
      this.worker.postMessage({ ...message, id }, transfer);
    });
  }

  /** Stops the worker; its open requests are rejected with `reason` when it has exited. */
  async terminate(reason: string): Promise<void> {
    this.stopped ??= new Error(reason);
    await this.worker.terminate();
  }

  private stop(reason: string): void {
    this.stopped ??= new Error(reason);
    for (const waiting of this.open.values()) waiting.reject(this.stopped);
    this.open.clear();
  }
}
