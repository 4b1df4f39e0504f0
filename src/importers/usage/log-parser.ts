import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { usableCpus } from '../../host/cpus.js';
import { S3PermissionCatalogue, type S3Permission } from '../../policy/s3-permissions.js';
import { cachedAttribution } from './attribution.js';
import { batchOf, type FileBatch, type MappingEnv } from './file-batch.js';
import { gunzipLogFile, gunzipLogFileSync, parseLogFile } from './log-text.js';
import { EventPermissions } from './permissions.js';
import { resolverOf, type ResolverSpec } from './resolvers.js';

/** What mapping events needs, as plain data: it is sent to each worker when it starts. */
export interface MappingSetup {
  account: string;
  trailBucket: string;
  resolver: ResolverSpec;
  /** The S3 permissions of the metadata (S3PermissionCatalogue.all). */
  permissions: readonly S3Permission[];
}

export function mappingEnv(setup: MappingSetup): MappingEnv {
  return {
    account: setup.account,
    trailBucket: setup.trailBucket,
    resolver: resolverOf(setup.resolver),
    permissions: new EventPermissions(new S3PermissionCatalogue([...setup.permissions])),
    attribute: cachedAttribution(setup.account),
  };
}

/** Gunzip, JSON.parse and mapping of a log file on a worker thread: the whole of it, so that the main thread only receives. */
export function readLogFileSync(gz: Uint8Array, env: MappingEnv): FileBatch {
  return batchOf(parseLogFile(gunzipLogFileSync(gz)), env);
}

/**
 * Turns downloaded log files into batches of statements. A file that cannot be read rejects
 * with the error that unreadableReason words (zlib's, a SyntaxError).
 */
export interface LogParser {
  /** `worker`: on worker threads; `in-thread`: on this thread, with gunzip on the zlib pool. */
  readonly mode: 'worker' | 'in-thread';
  /** Why this mode (for the sync's log). */
  readonly why: string;
  /** How many files it parses at the same time. */
  readonly parallel: number;
  read(gz: Uint8Array): Promise<FileBatch>;
  /** Stops the workers; a file still in a worker is rejected. */
  close(): Promise<void>;
}

/** The compiled worker, beside this module in dist/. Under vitest (src/*.ts) it does not exist: see openLogParser. */
export const WORKER_FILE = new URL('./parse-worker.js', import.meta.url);

/**
 * One worker per CPU, at most four. Parsing a log file (JSON.parse of ~1 MB) costs several times
 * what downloading it costs the main thread, so the main thread needs no CPU of its own. With one
 * CPU none: a worker would only add its hand-offs to the same work (then this thread parses).
 */
export function workerCount(cpus = usableCpus()): number {
  return cpus < 2 ? 0 : Math.min(4, Math.floor(cpus));
}

/**
 * The parser of one usage sync: worker threads when there are two CPUs or more and the compiled
 * worker file exists (the built CLI), else this thread (vitest runs the TypeScript sources, which a worker cannot load).
 * Either way the batches are the same.
 */
export function openLogParser(setup: MappingSetup, workerFile: URL = WORKER_FILE, workers = workerCount()): LogParser {
  if (workers < 1) return new InThreadParser(setup, 'one CPU to use (by the cores and the cgroup CPU quota): workers would only add their hand-offs');
  if (!existsSync(fileURLToPath(workerFile))) return new InThreadParser(setup, `the worker file ${fileURLToPath(workerFile)} does not exist (running from the TypeScript sources)`);
  return new WorkerParser(setup, workerFile, workers);
}

export class InThreadParser implements LogParser {
  readonly mode = 'in-thread' as const;
  readonly parallel = 1;
  private readonly env: MappingEnv;

  constructor(
    setup: MappingSetup,
    readonly why: string,
  ) {
    this.env = mappingEnv(setup);
  }

  async read(gz: Uint8Array): Promise<FileBatch> {
    return batchOf(parseLogFile(await gunzipLogFile(gz)), this.env);
  }

  async close(): Promise<void> {}
}

/** A request to a worker, and its answer. */
export interface ParseRequest {
  id: number;
  gz: Uint8Array;
}
export type ParseResponse = { id: number; ok: true; batch: FileBatch } | { id: number; ok: false; failure: ParseFailure };

/** A worker's failure as plain data, made an error again here (reviveError) so that it is worded as in this thread. */
export interface ParseFailure {
  name: string;
  message: string;
  code?: string;
}

/** A worker's answer to one request (parse-worker.ts posts it). */
export function answer(request: ParseRequest, env: MappingEnv): ParseResponse {
  try {
    return { id: request.id, ok: true, batch: readLogFileSync(request.gz, env) };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    const code = (e as { code?: unknown }).code;
    return { id: request.id, ok: false, failure: { name: e.name, message: e.message, ...(typeof code === 'string' ? { code } : {}) } };
  }
}

export function reviveError(failure: ParseFailure): Error {
  const err = failure.name === 'SyntaxError' ? new SyntaxError(failure.message) : new Error(failure.message);
  if (failure.code !== undefined) Object.assign(err, { code: failure.code });
  return err;
}

interface Pending {
  resolve(batch: FileBatch): void;
  reject(err: Error): void;
}

interface ParseThread {
  worker: Worker;
  pending: Map<number, Pending>;
  /** Why it stopped; a stopped worker gets no more files. */
  stopped?: Error;
}

const STOPPED = 'the usage sync stopped before the file was parsed';

/**
 * A worker holds one file's parsed objects at a time (a few MB): a young generation of 8 MB instead
 * of V8's default (tens of MB per isolate) keeps each worker's memory small (bench cloudtrail-usage:
 * the connector's peak RSS 350-380 MB -> 305-340 MB with two workers).
 */
const WORKER_YOUNG_GENERATION_MB = 8;

/** A few worker threads; each file goes to the one with the fewest files waiting. */
class WorkerParser implements LogParser {
  readonly mode = 'worker' as const;
  readonly why: string;
  readonly parallel: number;
  private readonly threads: ParseThread[] = [];
  private nextId = 0;
  private closing = false;

  constructor(
    private readonly setup: MappingSetup,
    private readonly file: URL,
    private readonly count: number,
  ) {
    this.parallel = count;
    this.why = `${count} worker thread${count === 1 ? '' : 's'} (${fileURLToPath(file)})`;
  }

  read(gz: Uint8Array): Promise<FileBatch> {
    if (this.closing) return Promise.reject(new Error(STOPPED));
    // Started with the first file: a run with no new log files starts none.
    while (this.threads.length < this.count) this.threads.push(this.start(this.file, this.setup));
    let thread: ParseThread | undefined;
    for (const t of this.threads) if (!t.stopped && (!thread || t.pending.size < thread.pending.size)) thread = t;
    if (!thread) return Promise.reject(this.threads[0]?.stopped ?? new Error('the log parsing workers have stopped'));
    const id = this.nextId++;
    // Moved, not copied, when the bytes are a buffer of their own (not a slice of a pooled or socket buffer).
    // (new Uint8Array(gz) copies; a Buffer's slice() would not, and would hand over the whole pool.)
    const own = gz.byteOffset === 0 && gz.byteLength === gz.buffer.byteLength && gz.buffer instanceof ArrayBuffer ? gz : new Uint8Array(gz);
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

  private start(file: URL, setup: MappingSetup): ParseThread {
    const thread: ParseThread = { worker: new Worker(file, { workerData: setup, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } }), pending: new Map() };
    thread.worker.on('message', (response: ParseResponse) => {
      const waiting = thread.pending.get(response.id);
      if (!waiting) return;
      thread.pending.delete(response.id);
      if (response.ok) waiting.resolve(response.batch);
      else waiting.reject(reviveError(response.failure));
    });
    thread.worker.on('error', (err) => this.stopped(thread, new Error(`the log parsing worker failed: ${err.message}`)));
    thread.worker.on('exit', (code) => this.stopped(thread, new Error(this.closing ? STOPPED : `the log parsing worker exited (code ${code})`)));
    return thread;
  }

  private stopped(thread: ParseThread, err: Error): void {
    thread.stopped ??= err;
    for (const waiting of thread.pending.values()) waiting.reject(thread.stopped);
    thread.pending.clear();
  }
}
