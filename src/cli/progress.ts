import type { RunObserver } from '../host/run.js';
import type { CallCounter } from '../plugin-api/call-counter.js';
import type { SyncContext, SyncKind } from '../plugin-api/contract.js';
import { workCounts } from '../plugin-api/progress.js';

/** What the progress line writes to: stderr, or a test's fake terminal. */
export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  out: ProgressOutput;
  /** Redraws at most this often (default 250 ms: four times a second). */
  intervalMs?: number;
  now?: () => number;
}

/** Erase the terminal line: the progress line is redrawn in place and leaves nothing behind. */
const CLEAR_LINE = '\r\u001b[2K';

// Not toLocaleString: loading the ICU number formats costs ~10 MB of RSS, more than the line is worth.
const number = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

function elapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  const hours = Math.floor(s / 3600);
  const minutes = String(Math.floor((s % 3600) / 60)).padStart(hours > 0 ? 2 : 1, '0');
  const seconds = String(s % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${minutes}:${seconds}` : `${minutes}:${seconds}`;
}

/** Calls sent and retried attempts (the counter keeps retries as `Service.Operation#retry`). */
export function callTotals(calls: CallCounter): { total: number; retries: number } {
  let total = 0;
  let retries = 0;
  for (const [operation, n] of calls.entries()) {
    if (operation.endsWith('#retry')) retries += n;
    else total += n;
  }
  return { total, retries };
}

interface Current {
  ctx: SyncContext;
  sync: SyncKind;
  sinks: ReadonlyMap<string, { readonly records: number }>;
  startedAt: number;
}

/**
 * One live line on the terminal for the running target: its sync, records per stream, work done
 * out of the total where the sync counts it, AWS calls and retries, elapsed time. It only reads
 * counters on a timer, so the run pays nothing per record.
 */
export class ProgressLine implements RunObserver {
  private current?: Current;
  private timer?: NodeJS.Timeout;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private shown = false;
  private readonly intervalMs: number;
  private readonly now: () => number;

  constructor(private readonly options: ProgressOptions) {
    this.intervalMs = options.intervalMs ?? 250;
    this.now = options.now ?? Date.now;
  }

  syncStarted(run: { ctx: SyncContext; sync: SyncKind; sinks: ReadonlyMap<string, { readonly records: number }> }): void {
    const sameTarget = this.current?.ctx === run.ctx;
    this.current = { ...run, startedAt: sameTarget && this.current ? this.current.startedAt : this.now() };
    // The timer must not keep a finished run alive.
    this.timer ??= setInterval(() => this.draw(), this.intervalMs).unref();
    this.draw();
  }

  targetFinished(): void {
    this.stop();
  }

  /** Removes the line and stops redrawing (end of a target, or of the run). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.current = undefined;
    if (this.shown) this.options.out.write(CLEAR_LINE);
    this.shown = false;
  }

  /** The text of the line, or undefined when no target runs. */
  line(): string | undefined {
    const c = this.current;
    if (!c) return undefined;
    const parts = [`${c.ctx.targetName} ${c.sync}`];
    for (const [name, sink] of c.sinks) parts.push(`${name} ${number(sink.records)}`);
    for (const work of workCounts(c.ctx)) parts.push(`${work.unit} ${number(work.done)}${work.total === undefined ? '' : `/${number(work.total)}`}`);
    const { total, retries } = callTotals(c.ctx.calls);
    parts.push(`AWS calls ${number(total)}${retries > 0 ? ` (${number(retries)} retried)` : ''}`);
    parts.push(elapsed(this.now() - c.startedAt));
    return parts.join(' | ');
  }

  private draw(): void {
    const text = this.line();
    if (text === undefined) return;
    const now = this.now();
    if (now - this.lastDraw < this.intervalMs) return;
    this.lastDraw = now;
    const width = Math.max(20, (this.options.out.columns || 120) - 1);
    // Ends at column 0, so a log line written meanwhile starts over it rather than after it.
    this.options.out.write(`${CLEAR_LINE}${text.length > width ? `${text.slice(0, width - 1)}…` : text}\r`);
    this.shown = true;
  }
}

/** The progress line for a run: only on a terminal, and not with --no-progress; cron and CI logs stay clean. */
export function progressLine(enabled: boolean, out: ProgressOutput = process.stderr): ProgressLine | undefined {
  return enabled && out.isTTY === true ? new ProgressLine({ out }) : undefined;
}
