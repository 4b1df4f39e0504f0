import type { Logger } from 'pino';

export interface WatchdogOptions {
  logger: Logger;
  /** A number that grows while work progresses (AWS calls made); records written are added per activity. */
  progress: () => number;
  /** Quiet time before the first "still waiting" line, and between lines. Default 30 s. */
  quietMs?: number;
}

/**
 * Says what a run waits for when nothing has moved for a while: an AWS call or an upload that
 * hangs is visible in the log instead of a silent process. Works for every wait of a target run
 * (AWS calls as well as the sync API), since it only watches the run's progress counters.
 */
export class Watchdog {
  private readonly options: WatchdogOptions;
  private readonly quietMs: number;
  private what = 'the run to start';
  private extra: () => number = () => 0;
  private last = -1;
  private since = Date.now();
  private reportedAt = 0;
  private timer?: NodeJS.Timeout;

  constructor(options: WatchdogOptions) {
    this.options = options;
    this.quietMs = options.quietMs ?? 30_000;
  }

  start(what: string): void {
    this.doing(what);
    this.timer = setInterval(() => this.check(), Math.max(50, Math.min(5_000, this.quietMs / 3)));
    this.timer.unref();
  }

  /** What the run does now; `extra` adds progress of this activity (records written). */
  doing(what: string, extra: () => number = () => 0): void {
    this.what = what;
    this.extra = extra;
    this.last = this.progress();
    this.since = Date.now();
    this.reportedAt = 0;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private progress(): number {
    return this.options.progress() + this.extra();
  }

  private check(): void {
    const now = Date.now();
    const progress = this.progress();
    if (progress !== this.last) {
      this.last = progress;
      this.since = now;
      this.reportedAt = 0;
      return;
    }
    const quiet = now - this.since;
    // One line per quiet period, not one per check.
    if (quiet < this.quietMs || now - this.reportedAt < this.quietMs) return;
    this.reportedAt = now;
    this.options.logger.info({ waitingFor: this.what, seconds: Math.round(quiet / 1000) }, `still waiting for ${this.what}: nothing has moved for ${Math.round(quiet / 1000)} s`);
  }
}
