import type { Logger } from 'pino';
import { errorMessage } from '../errors.js';

/** Kubernetes waits 30 s after SIGTERM; we leave well before, whatever AWS or the API are doing. */
export const STOP_GRACE_MS = 8_000;
/** Telling the sync API that a run was aborted is best effort, and never takes longer than this. */
export const ABORT_DEADLINE_MS = 2_000;

/** The reason a stopped run carries (`signal.reason`): which signal, so the summary can say it. */
export class StopRequest extends Error {
  constructor(readonly signalName: NodeJS.Signals) {
    super(`stopped by ${signalName}`);
    this.name = 'StopRequest';
  }
}

/** Something to undo when the process must leave at once: abort a server-side sync, remove a spool. */
export type EmergencyCleanup = () => Promise<void> | void;

export interface StopHandlerOptions {
  logger?: Logger;
  graceMs?: number;
  /** Called when the process must exit now (second signal, or the grace time ran out); default process.exit. */
  exit?: (code: number) => void;
  /** Written to stdout just before such an exit (the summary cannot be finished). */
  out?: NodeJS.WritableStream;
}

/**
 * SIGTERM/SIGINT handling for a run. The first signal aborts `signal` (work in flight stops,
 * unfinished streams are marked incomplete, nothing is committed) and starts a grace timer; the
 * second signal, or the timer, exits at once after the emergency cleanups (at most
 * ABORT_DEADLINE_MS). A stopped run exits 1; a second Ctrl-C exits 130.
 */
export class StopHandler {
  private readonly controller = new AbortController();
  private readonly cleanups = new Set<EmergencyCleanup>();
  private readonly options: StopHandlerOptions;
  private timer?: NodeJS.Timeout;
  private exiting = false;
  private readonly onSignal = (signal: NodeJS.Signals): void => this.stop(signal);

  constructor(options: StopHandlerOptions = {}) {
    this.options = options;
  }

  /** The run's logger exists only after the config is read; the handler is installed before. */
  useLogger(logger: Logger): void {
    this.options.logger = logger;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The signal that stopped the run, if one did. */
  get stoppedBy(): NodeJS.Signals | undefined {
    const reason: unknown = this.controller.signal.reason;
    return reason instanceof StopRequest ? reason.signalName : undefined;
  }

  install(): this {
    process.on('SIGTERM', this.onSignal);
    process.on('SIGINT', this.onSignal);
    return this;
  }

  dispose(): void {
    process.off('SIGTERM', this.onSignal);
    process.off('SIGINT', this.onSignal);
    if (this.timer) clearTimeout(this.timer);
  }

  /** Registers a cleanup for an emergency exit; returns its removal. */
  onEmergency(cleanup: EmergencyCleanup): () => void {
    this.cleanups.add(cleanup);
    return () => this.cleanups.delete(cleanup);
  }

  stop(signal: NodeJS.Signals): void {
    if (this.controller.signal.aborted) {
      this.options.logger?.warn({ signal }, 'second signal: exiting now; the unfinished run is aborted, nothing is committed');
      void this.exitNow(signal === 'SIGINT' ? 130 : 1, `second ${signal}`);
      return;
    }
    const graceMs = this.options.graceMs ?? STOP_GRACE_MS;
    this.options.logger?.warn({ signal, graceMs }, 'stopping: work in flight is aborted, unfinished streams are marked incomplete and not committed');
    this.controller.abort(new StopRequest(signal));
    this.timer = setTimeout(() => {
      this.options.logger?.warn({ signal, graceMs }, 'the stop takes too long: exiting now');
      void this.exitNow(1, `${signal}, not finished within ${Math.round(graceMs / 1000)} s`);
    }, graceMs);
    this.timer.unref();
  }

  private async exitNow(code: number, why: string): Promise<void> {
    if (this.exiting) return;
    this.exiting = true;
    const all = Promise.allSettled(
      [...this.cleanups].map(async (cleanup) => {
        try {
          await cleanup();
        } catch (err) {
          this.options.logger?.warn({ err: errorMessage(err) }, 'cleanup after a stop failed');
        }
      }),
    );
    await Promise.race([all, new Promise((resolve) => setTimeout(resolve, ABORT_DEADLINE_MS).unref())]);
    (this.options.out ?? process.stdout).write(`Run stopped (${why}): exited before the end; no stream of the unfinished target was committed.\n`);
    (this.options.exit ?? ((c: number) => process.exit(c)))(code);
  }
}
