import pLimit from 'p-limit';
import type { ConnectorError } from '../errors.js';
import type { StreamSink, SyncContext } from '../plugin-api/contract.js';
import type { AwsContext } from './context.js';
import { classifyAwsError, describeAwsError, type AwsCall, type AwsErrorClass } from './errors.js';
import { shareSignal } from '../plugin-api/signal.js';

/**
 * What a sync does when a read fails, by the kind of failure:
 * - `partial`: what the read was for is missing; a warning on the stream, which is marked incomplete;
 * - `detail`: an optional detail is missing (tags); a warning, the stream stays complete;
 * - `empty`: the failure is an answer ("no policy"); nothing is said;
 * - `fatal`: the sync fails, and its other reads are cancelled.
 */
export type FailureOutcome = 'partial' | 'detail' | 'empty' | 'fatal';

/** One table per sync; kinds it does not name are fatal. */
export type FailureTable = Readonly<Partial<Record<AwsErrorClass, FailureOutcome>>>;

/** The kinds of failure that concern one resource, not the whole sync (bad credentials and unknown errors do). */
const RESOURCE_FAILURES = ['access-denied', 'not-found', 'throttled', 'unavailable', 'region-unreadable', 'redirect'] as const;

/** A table that treats every failure of one resource alike, with exceptions; credentials and unknown errors stay fatal unless named. */
export function resourceFailures(outcome: FailureOutcome, exceptions: FailureTable = {}): FailureTable {
  return { ...Object.fromEntries(RESOURCE_FAILURES.map((kind) => [kind, outcome])), ...exceptions };
}

/** The result of a guarded read: its value, or the kind of failure that was dealt with. */
export type Guarded<T> = { ok: true; value: T } | { ok: false; kind: AwsErrorClass; outcome: Exclude<FailureOutcome, 'fatal'>; error: ConnectorError };

/**
 * The one AWS call layer of a sync: every read of an importer goes through it. It owns the
 * concurrency limit (the run's `aws-concurrency`), cancellation (one abort controller per sync,
 * joined to the run's signal: a fatal error cancels the sync's other reads, queued and in flight),
 * pagination and the classification of failures into ok / partial / fatal from the sync's table.
 * Retries are the SDK's (see the client factory); this layer sees only what is left after them.
 */
export class AwsReads {
  /** Pass this to every SDK call of the sync (`{ abortSignal: reads.signal }`). */
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();

  constructor(
    readonly ctx: SyncContext,
    readonly aws: AwsContext,
    private readonly table: FailureTable,
  ) {
    this.signal = shareSignal(AbortSignal.any([ctx.signal, this.controller.signal]));
  }

  get cancelled(): boolean {
    return this.signal.aborted;
  }

  /** One call under the concurrency limit; `send` gets the sync's signal. Raw SDK errors pass through (see `guard`). */
  call<T>(send: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return this.aws.limit(() => {
      this.signal.throwIfAborted();
      return send(this.signal);
    });
  }

  /** The pages of an SDK paginator (made with the given signal), each page fetched under the concurrency limit. */
  async *pages<P>(paginate: (signal: AbortSignal) => AsyncIterable<P>): AsyncGenerator<P> {
    const iterator = paginate(this.signal)[Symbol.asyncIterator]();
    for (;;) {
      this.signal.throwIfAborted();
      const next = await this.aws.limit(() => iterator.next());
      if (next.done) return;
      yield next.value;
    }
  }

  /**
   * Runs a read and deals with its failure once, from the sync's table: `partial` warns on `sink`
   * that `missing` is missing and marks it incomplete; `detail` only warns; `empty` says nothing;
   * `fatal` cancels the sync's other reads and throws the error, described (call, permission).
   * A read cancelled because the run was stopped or a sibling failed rethrows the cause.
   */
  async guard<T>(
    call: AwsCall,
    sink: Pick<StreamSink<unknown>, 'warn' | 'markIncomplete'>,
    missing: string,
    read: () => Promise<T>,
    /** For an optional detail of a read (tags): kinds that mean something else here than in the sync's table. */
    overrides: FailureTable = {},
  ): Promise<Guarded<T>> {
    try {
      return { ok: true, value: await read() };
    } catch (err) {
      if (this.signal.aborted) throw this.abortCause(err);
      const where: AwsCall = { defaultRegion: this.aws.defaultRegion, ...call };
      const kind = classifyAwsError(err, where);
      const error = describeAwsError(err, where);
      const outcome = overrides[kind] ?? this.table[kind] ?? 'fatal';
      if (outcome === 'fatal') throw this.fail(error);
      if (outcome === 'partial') {
        sink.warn(`${missing} could not be read: ${error.message}`);
        sink.markIncomplete(`${missing}: missing (${kind})`);
      } else if (outcome === 'detail') {
        sink.warn(`${missing} could not be read: ${error.message}`);
      }
      // An 'empty' outcome is an ordinary answer (a bucket without a policy): not worth a warning.
      const log = outcome === 'empty' ? this.ctx.logger.debug.bind(this.ctx.logger) : this.ctx.logger.warn.bind(this.ctx.logger);
      // AWS answering that there is none (NoSuchBucketPolicy) is not a failure to read it.
      const said = kind === 'not-found' ? `${missing}: AWS has none` : `${missing} could not be read`;
      log({ call: `${call.service}.${call.operation}`, resource: call.resource, region: call.region, kind, outcome }, said);
      return { ok: false, kind, outcome, error };
    }
  }

  /**
   * Runs `work` for every item, `aws-concurrency` at a time. The first failure cancels the rest:
   * items not started are skipped and calls in flight are aborted; it resolves only when every
   * started item has settled, so nothing of this sync runs after it has failed.
   */
  async forEach<I>(items: Iterable<I>, work: (item: I) => Promise<void>): Promise<void> {
    // Its own pool: the items' calls go through aws.limit, and an item holding a slot of that limit
    // while it waits for its own calls would deadlock it.
    const pool = pLimit(this.aws.concurrency);
    let first: { error: unknown } | undefined;
    const tasks = [...items].map((item) =>
      pool(async () => {
        if (this.signal.aborted) return;
        try {
          await work(item);
        } catch (error) {
          if (!first) {
            first = { error };
            this.fail(error);
          }
        }
      }),
    );
    await Promise.all(tasks);
    if (first) throw this.abortCause(first.error);
    this.signal.throwIfAborted();
  }

  /** Cancels every read of this sync; returns the error to throw. */
  fail<E>(error: E): E {
    if (!this.controller.signal.aborted) this.controller.abort(error);
    return error;
  }

  /** The reason the sync was cancelled (a sibling's error, or the run's stop), else `err` itself. */
  private abortCause(err: unknown): unknown {
    if (this.ctx.signal.aborted) return this.ctx.signal.reason ?? err;
    if (this.controller.signal.aborted) return this.controller.signal.reason;
    return err;
  }
}
