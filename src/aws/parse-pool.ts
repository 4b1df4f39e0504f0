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

/**
 * A worker takes another response while the bytes it holds are fewer than this (an idle one takes
 * any): enough that it never idles between two pages, few enough that a page does not wait long
 * behind others while this thread could parse it.
 */
export const WORKER_BACKLOG_BYTES = 1 << 20;

/**
 * A response this large (a credential report of thousands of users: several MB of base64 that the
 * SDK's parser builds a character at a time) goes to a worker of its own, started when the first
 * one comes, when that worker is idle: the pages of a chain would otherwise wait behind it for
 * most of a second.
 */
export const LARGE_RESPONSE_BYTES = 4 << 20;

/** The part of an SDK protocol that parsing goes through (the deserializer middleware calls it). */
interface Protocol {
  deserializeResponse(operation: { name: string }, context: { streamCollector(body: unknown): Promise<Uint8Array> }, response: { statusCode: number; headers: Record<string, string>; body: unknown }): Promise<unknown>;
}

interface ParseThread {
  thread: RequestThread<ParseJob, ParseAnswer>;
  /** Bytes of the responses it holds. */
  backlog: number;
}

/**
 * Worker threads that parse large AWS responses (OFFLOADED_OPERATIONS) with the SDK's own
 * deserialiser, so that a second core reads XML pages while this thread builds records: the
 * SDK's XML parsing is most of the CPU of an IAM or S3 listing. A response goes to a worker with
 * room, else it is parsed here as before, and a very large one to a worker of its own; a worker
 * that fails or gives no output leaves the bytes to this thread too, so outputs and errors are
 * always the SDK's own.
 */
export class ParsePool {
  private readonly threads: ParseThread[] = [];
  private closed = false;
  private started = false;
  /** The worker of large responses (see LARGE_RESPONSE_BYTES), started with the first. */
  private bulk: ParseThread | undefined;
  /** Responses of the offloaded operations: parsed on a worker, or here (workers busy, stopped, or failing). */
  readonly parsed = { onWorkers: 0, here: 0 };

  constructor(
    private readonly file: URL,
    readonly workers: number,
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
      const thread = this.threadFor(body.byteLength);
      const answer = thread ? await this.send(thread, { service, operation: operation.name, statusCode: response.statusCode, headers: response.headers, body }) : undefined;
      if (answer?.ok) {
        this.parsed.onWorkers++;
        return answer.output;
      }
      // Parsed here, from the same bytes, when every worker is busy or a worker gave no output
      // (then the SDK's error here is the one a user sees).
      this.parsed.here++;
      return inThread(operation, context, { ...response, body });
    };
  }

  /** Stops the workers; a response still in one is parsed on this thread. */
  async close(): Promise<void> {
    this.closed = true;
    const threads = [...this.threads.splice(0), ...(this.bulk ? [this.bulk] : [])];
    await Promise.all(threads.map((t) => t.thread.terminate('the AWS clients were closed')));
  }

  private threadFor(bytes: number): ParseThread | undefined {
    if (this.closed) return undefined;
    if (bytes >= LARGE_RESPONSE_BYTES) {
      this.bulk ??= this.start();
      // One at a time: a second large answer (a page of long policies) takes the usual way.
      if (!this.bulk.thread.stopped && this.bulk.backlog === 0) return this.bulk;
    }
    let best: ParseThread | undefined;
    for (const t of this.threads) if (!t.thread.stopped && (!best || t.backlog < best.backlog)) best = t;
    return best && best.backlog < WORKER_BACKLOG_BYTES ? best : undefined;
  }

  private startThreads(): void {
    if (this.closed || this.started) return;
    this.started = true;
    for (let i = 0; i < this.workers; i++) this.threads.push(this.start());
  }

  private start(): ParseThread {
    return { thread: new RequestThread(this.file, 'AWS response parsing worker'), backlog: 0 };
  }

  /** The worker's answer, or undefined when it stopped (failed, exited, closed) first: the bytes are then parsed here. */
  private async send(slot: ParseThread, job: Omit<ParseJob, 'id'>): Promise<ParseAnswer | undefined> {
    const bytes = job.body.byteLength;
    slot.backlog += bytes;
    try {
      return await slot.thread.request(job);
    } catch {
      return undefined;
    } finally {
      slot.backlog -= bytes;
    }
  }
}

/**
 * The pool of one target run: workers when there are two CPUs or more and the compiled worker
 * exists (the built CLI), else none (vitest runs the TypeScript sources, which a worker cannot
 * load) and every response is parsed on this thread, as the SDK does by default.
 */
export function openParsePool(file: URL = PARSE_WORKER_FILE, workers = parseWorkerCount()): ParsePool {
  return new ParsePool(file, workerFileExists(file) ? workers : 0);
}
