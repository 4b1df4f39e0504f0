import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CloudTrailEvent } from './cloudtrail-event.js';
import { projectedEvents, reviveError, type ParseRequest, type ParseResponse, type ProjectedLog } from './log-projection.js';
import { gunzipLogFile, parseLogFile } from './log-text.js';

/** A log file's content, parsed. */
export interface LogContent {
  /** How many records the file holds. */
  records: number;
  /** Its events; in worker mode only the S3 data events (the others are `records - events.length`). */
  events: CloudTrailEvent[];
}

/**
 * Turns downloaded log files into events. `parse` resolves to a function that makes the objects:
 * the caller calls it right before mapping, so that only one file is held as parsed objects.
 * A file that cannot be read rejects (or throws from that function) with the error unreadableReason words.
 */
export interface LogParser {
  /** `worker`: gunzip and JSON.parse on worker threads (the main thread parses a compact projection); `in-thread`: all on this thread but gunzip. */
  readonly mode: 'worker' | 'in-thread';
  /** Why this mode (for the sync's log). */
  readonly why: string;
  parse(gz: Uint8Array): Promise<() => LogContent>;
  /** Stops the workers; a file still in a worker is rejected. */
  close(): Promise<void>;
}

/** The compiled worker, beside this module in dist/. Under vitest (src/*.ts) it does not exist: see openLogParser. */
export const WORKER_FILE = new URL('./parse-worker.js', import.meta.url);

/** One core stays with the main thread (mapping, dedup, the spool); at most two workers (more do not pay, the main thread is the limit then). */
export function workerCount(cores = availableParallelism()): number {
  return Math.min(2, Math.max(1, cores - 1));
}

/**
 * The parser of one usage sync: worker threads when the compiled worker file exists (the built
 * CLI), else in this thread (vitest runs the TypeScript sources, which a worker cannot load).
 * Either way the events and the statements made of them are the same.
 */
export function openLogParser(workerFile: URL = WORKER_FILE, workers = workerCount()): LogParser {
  if (!existsSync(fileURLToPath(workerFile))) return new InThreadParser(`the worker file ${fileURLToPath(workerFile)} does not exist (running from the TypeScript sources)`);
  try {
    return new WorkerParser(workerFile, workers);
  } catch (err) {
    return new InThreadParser(`the log parsing worker could not start: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Gunzip on the zlib thread pool, JSON.parse of the whole file on this thread. */
export class InThreadParser implements LogParser {
  readonly mode = 'in-thread' as const;
  constructor(readonly why: string) {}

  async parse(gz: Uint8Array): Promise<() => LogContent> {
    const text = await gunzipLogFile(gz);
    return () => {
      const events = parseLogFile(text);
      return { records: events.length, events };
    };
  }

  async close(): Promise<void> {}
}

interface Pending {
  resolve(content: () => LogContent): void;
  reject(err: Error): void;
}

interface ParseThread {
  worker: Worker;
  pending: Map<number, Pending>;
  /** Why it stopped; a stopped worker gets no more files. */
  stopped?: Error;
}

/** A few worker threads; each file goes to the one with the fewest files waiting. */
class WorkerParser implements LogParser {
  readonly mode = 'worker' as const;
  readonly why: string;
  private readonly threads: ParseThread[] = [];
  private nextId = 0;
  private closing = false;

  constructor(file: URL, count: number) {
    this.why = `${count} worker thread${count === 1 ? '' : 's'} (${fileURLToPath(file)})`;
    try {
      for (let i = 0; i < count; i++) this.threads.push(this.start(file));
    } catch (err) {
      void this.close();
      throw err;
    }
  }

  parse(gz: Uint8Array): Promise<() => LogContent> {
    let thread: ParseThread | undefined;
    for (const t of this.threads) if (!t.stopped && (!thread || t.pending.size < thread.pending.size)) thread = t;
    if (!thread) return Promise.reject(this.threads[0]?.stopped ?? new Error('the log parsing workers have stopped'));
    const id = this.nextId++;
    // Transferred, not copied, when the bytes are a whole buffer of their own (not a slice of a pool or socket buffer).
    const own = gz.byteOffset === 0 && gz.byteLength === gz.buffer.byteLength && gz.buffer instanceof ArrayBuffer ? gz : gz.slice();
    const request: ParseRequest = { id, gz: own };
    const target = thread;
    return new Promise((resolve, reject) => {
      target.pending.set(id, { resolve, reject });
      target.worker.postMessage(request, [own.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }

  private start(file: URL): ParseThread {
    const thread: ParseThread = { worker: new Worker(file), pending: new Map() };
    thread.worker.on('message', (response: ParseResponse) => {
      const waiting = thread.pending.get(response.id);
      if (!waiting) return;
      thread.pending.delete(response.id);
      if (response.ok) waiting.resolve(() => contentOf(response));
      else waiting.reject(reviveError(response.failure));
    });
    thread.worker.on('error', (err) => this.stopped(thread, new Error(`the log parsing worker failed: ${err.message}`)));
    thread.worker.on('exit', (code) => this.stopped(thread, new Error(this.closing ? 'the usage sync stopped before the file was parsed' : `the log parsing worker exited (code ${code})`)));
    return thread;
  }

  private stopped(thread: ParseThread, err: Error): void {
    thread.stopped ??= err;
    for (const waiting of thread.pending.values()) waiting.reject(thread.stopped);
    thread.pending.clear();
  }
}

function contentOf(log: ProjectedLog): LogContent {
  return { records: log.records, events: projectedEvents(log.events) };
}
