import { fileURLToPath } from 'node:url';
import { usableCpus } from '../../host/cpus.js';
import { RequestThread, workerFileExists } from '../../host/worker-thread.js';
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
  if (!workerFileExists(workerFile)) return new InThreadParser(setup, `the worker file ${fileURLToPath(workerFile)} does not exist (running from the TypeScript sources)`);
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

const STOPPED = 'the usage sync stopped before the file was parsed';

/** A few worker threads; each file goes to the one with the fewest files waiting. */
class WorkerParser implements LogParser {
  readonly mode = 'worker' as const;
  readonly why: string;
  readonly parallel: number;
  private readonly threads: RequestThread<ParseRequest, ParseResponse>[] = [];
  private closing = false;

  constructor(
    private readonly setup: MappingSetup,
    private readonly file: URL,
    private readonly count: number,
  ) {
    this.parallel = count;
    this.why = `${count} worker thread${count === 1 ? '' : 's'} (${fileURLToPath(file)})`;
  }

  async read(gz: Uint8Array): Promise<FileBatch> {
    if (this.closing) throw new Error(STOPPED);
    // Started with the first file: a run with no new log files starts none.
    while (this.threads.length < this.count) this.threads.push(new RequestThread(this.file, 'log parsing worker', this.setup));
    let thread: RequestThread<ParseRequest, ParseResponse> | undefined;
    for (const t of this.threads) if (!t.stopped && (!thread || t.inFlight < thread.inFlight)) thread = t;
    if (!thread) throw this.threads[0]?.stopped ?? new Error('the log parsing workers have stopped');
    // Moved, not copied, when the bytes are a buffer of their own (not a slice of a pooled or socket buffer).
    // (new Uint8Array(gz) copies; a Buffer's slice() would not, and would hand over the whole pool.)
    const own = gz.byteOffset === 0 && gz.byteLength === gz.buffer.byteLength && gz.buffer instanceof ArrayBuffer ? gz : new Uint8Array(gz);
    const response = await thread.request({ gz: own }, [own.buffer as ArrayBuffer]);
    if (response.ok) return response.batch;
    throw reviveError(response.failure);
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.threads.map((t) => t.terminate(STOPPED)));
  }
}
