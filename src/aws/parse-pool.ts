import { usableCpus } from '../host/cpus.js';
import { RequestThread, workerFileExists } from '../host/worker-thread.js';
import { OFFLOADED_OPERATIONS, type ParseAnswer, type ParseJob } from './parse-jobs.js';

/** The compiled worker, beside this module in dist/. Under vitest (src/*.ts) it does not exist: see openParsePool. */
export const PARSE_WORKER_FILE = new URL('./parse-worker.js', import.meta.url);

/**
 * Workers beside the main thread, which keeps enough to do (building records, evaluating
 * policies, writing) to use a core of its own: one CPU less than the process may use, at most 3.
 */
export function parseWorkerCount(cpus = usableCpus()): number {
  return Math.max(0, Math.min(3, Math.floor(cpus) - 1));
}

/** Answers a worker holds at once: the one it parses and the next, so that it does not wait for this thread between two. */
export const WORKER_DEPTH = 2;

/**
 * Answers left waiting, per working worker, before this thread parses one itself: it has its own
 * work (the requests of the page chains, records, policies), which a page it parses holds up, so
 * it helps only when the workers are two rounds behind (or none is left). In iam-access, taking a
 * page at every turn of its event loop instead: medians 3.60 and 3.62 s against 3.30 and 3.57 s
 * with this backlog (CLI runs against the bench endpoint, 6 and 8 alternated runs each, load 2).
 */
export const BACKLOG_PER_WORKER = 2 * WORKER_DEPTH;

/**
 * A response smaller than this is parsed here at once: that costs less than handing it over, and
 * it does not wait behind the pages the workers hold (the access import's one-page listings of
 * each bucket came only after the last GetAccountAuthorizationDetails page).
 */
export const SMALL_RESPONSE_BYTES = 64 << 10;

/** The part of an SDK protocol that parsing goes through (the deserializer middleware calls it). */
interface Protocol {
  deserializeResponse(operation: { name: string }, context: { streamCollector(body: unknown): Promise<Uint8Array> }, response: { statusCode: number; headers: Record<string, string>; body: unknown }): Promise<unknown>;
}

/** A response no worker has taken yet. */
interface Waiting {
  job: Omit<ParseJob, 'id'>;
  /** Parses it on this thread. */
  here(): Promise<unknown>;
  resolve(output: unknown): void;
  reject(err: unknown): void;
}

/**
 * Worker threads that parse large AWS responses (OFFLOADED_OPERATIONS) with the SDK's own
 * deserialiser, so that a second core reads XML pages while this thread builds records: reading
 * XML is most of the CPU of an IAM or S3 listing. Responses wait in one queue, oldest first: a
 * worker takes the next as it finishes one, and when more wait than the workers will soon take
 * (BACKLOG_PER_WORKER), this thread takes one at a turn of its event loop, so the workers do not
 * fall behind while it is free. A worker that fails or gives no output leaves the bytes to this
 * thread, so outputs and errors are always the SDK's own (with FINISH's work of parse-worker.ts
 * done, which the reader of an output parsed here does itself).
 */
export class ParsePool {
  private readonly threads: RequestThread<ParseJob, ParseAnswer>[] = [];
  private readonly waiting: Waiting[] = [];
  private closed = false;
  private stealing = false;
  /** Responses of the offloaded operations: parsed on a worker, or here (small, waiting when this thread was free, or a worker failed). */
  readonly parsed = { onWorkers: 0, here: 0 };

  constructor(
    private readonly file: URL,
    readonly workers: number,
    private readonly smallBytes = SMALL_RESPONSE_BYTES,
  ) {}

  /** Makes `client` parse its offloaded operations' successful responses on the pool. */
  attach(client: { config: unknown }, service: string): void {
    const operations = new Set(OFFLOADED_OPERATIONS[service]?.operations ?? []);
    if (operations.size === 0 || this.workers === 0) return;
    // Started with the first client that has responses to give them: a worker takes about 100 ms to
    // load the SDK, which passes while the first requests are on their way.
    this.startThreads();
    const protocol = (client.config as { protocol: Protocol }).protocol;
    const inThread = protocol.deserializeResponse.bind(protocol);
    protocol.deserializeResponse = async (operation, context, response) => {
      if (!operations.has(operation.name) || response.statusCode < 200 || response.statusCode >= 300) return inThread(operation, context, response);
      // A body already read (by a middleware that peeked into it, see read-ahead.ts) is a Uint8Array.
      const body = response.body instanceof Uint8Array ? response.body : await context.streamCollector(response.body);
      // From the same bytes, so that an error is the SDK's own.
      const here = () => {
        this.parsed.here++;
        return inThread(operation, context, { ...response, body });
      };
      if (this.closed || body.byteLength < this.smallBytes) return here();
      return new Promise((resolve, reject) => {
        this.waiting.push({ job: { service, operation: operation.name, statusCode: response.statusCode, headers: response.headers, body }, here, resolve, reject });
        this.dispatch();
      });
    };
  }

  /** Stops the workers; what they held, and what still waits, is parsed here. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.splice(0).map((t) => t.terminate('the AWS clients were closed')));
    this.dispatch();
  }

  private startThreads(): void {
    if (this.closed || this.threads.length > 0) return;
    for (let i = 0; i < this.workers; i++) this.threads.push(new RequestThread(this.file, 'AWS response parsing worker'));
  }

  /** Hands waiting responses to workers with room; of a backlog beyond that, this thread takes one when it is free. */
  private dispatch(): void {
    for (const thread of this.threads) {
      while (this.waiting.length > 0 && !thread.stopped && thread.inFlight < WORKER_DEPTH) this.parseOn(thread, this.waiting.shift() as Waiting);
    }
    if (this.backlogged()) this.takeWhenFree();
  }

  /** More answers wait than the working workers will soon take (any at all when none works). */
  private backlogged(): boolean {
    const working = this.threads.filter((t) => !t.stopped).length;
    return this.waiting.length > working * BACKLOG_PER_WORKER;
  }

  private parseOn(thread: RequestThread<ParseJob, ParseAnswer>, waiting: Waiting): void {
    thread
      .request(waiting.job)
      .then((answer) => {
        if (!answer.ok) return this.parseHere(waiting);
        this.parsed.onWorkers++;
        waiting.resolve(answer.output);
      }, () => this.parseHere(waiting))
      .finally(() => this.dispatch());
  }

  /** At the next turn of the event loop (after the I/O that is ready), this thread parses the oldest waiting response if the backlog is still there. */
  private takeWhenFree(): void {
    if (this.stealing) return;
    this.stealing = true;
    setImmediate(() => {
      this.stealing = false;
      // The workers may have taken what waited since.
      if (!this.backlogged()) return;
      this.parseHere(this.waiting.shift() as Waiting);
      if (this.backlogged()) this.takeWhenFree();
    });
  }

  private parseHere(waiting: Waiting): void {
    waiting.here().then(waiting.resolve, waiting.reject);
  }
}

/**
 * The pool of one target run: workers when there are two CPUs or more and the compiled worker
 * exists (the built CLI), else none (vitest runs the TypeScript sources, which a worker cannot
 * load) and every response is parsed on this thread, as the SDK does by default.
 */
export function openParsePool(file: URL = PARSE_WORKER_FILE, workers = parseWorkerCount(), smallBytes = SMALL_RESPONSE_BYTES): ParsePool {
  return new ParsePool(file, workerFileExists(file) ? workers : 0, smallBytes);
}
