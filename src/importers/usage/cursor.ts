import { dayFolder } from './layout.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * CloudTrail writes a file some minutes after its events and can deliver it up to about 15
 * minutes late: each run re-reads this much before the cursor. Events read twice keep their
 * externalId (the eventID), so the overlap repeats statements but never invents them.
 */
export const DELIVERY_OVERLAP_MS = 15 * MINUTE;

export interface ReadWindow {
  /** Files written before this time (ms) were read by an earlier run. */
  from: number;
  /** The UTC days to list, oldest first, each as `YYYY/MM/DD/`. */
  days: string[];
  /** Why the window starts where it does, for the log. */
  reason: string;
}

/**
 * Where this run starts reading: the cursor minus the delivery overlap, or `startDays` back
 * when there is no cursor (first run) or it cannot be read. Days run up to today, plus the
 * overlap in case this machine's clock is a little behind S3's.
 */
export function readWindow(lastUsed: string | undefined, now: number, startDays: number): ReadWindow {
  const cursor = lastUsed === undefined ? Number.NaN : Date.parse(lastUsed);
  const earliest = now - startDays * DAY;
  let from: number;
  let reason: string;
  if (Number.isNaN(cursor)) {
    from = earliest;
    reason = lastUsed === undefined ? `no cursor: the last ${startDays} days` : `cursor "${lastUsed}" is not a timestamp: the last ${startDays} days`;
  } else {
    from = Math.max(cursor - DELIVERY_OVERLAP_MS, earliest);
    reason = from === earliest ? `cursor ${lastUsed} is older than ${startDays} days: the last ${startDays} days` : `cursor ${lastUsed}, less ${DELIVERY_OVERLAP_MS / MINUTE} minutes for late delivery`;
  }
  return { from, days: daysBetween(from, now + DELIVERY_OVERLAP_MS), reason };
}

/** The UTC day folders from the day of `from` to the day of `to`, both included. */
export function daysBetween(from: number, to: number): string[] {
  const days: string[] = [];
  const start = new Date(from);
  for (let day = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()); day <= to; day += DAY) days.push(dayFolder(new Date(day)));
  return days;
}

/**
 * Tells the next run where to start. When everything went well that is the time this run
 * started listing: every file written before it was either read now or, delivered late, is
 * written less than the overlap before it and read next time; files read now and older than
 * the overlap are not read again. A file or day that could not be read holds the cursor at its
 * time, so the next run reads it again.
 */
export class CursorTracker {
  private oldestFailed = Number.POSITIVE_INFINITY;

  constructor(private readonly startedAt: number) {}

  failed(writtenAt: number): void {
    if (writtenAt < this.oldestFailed) this.oldestFailed = writtenAt;
  }

  /** The new cursor (ISO), or undefined when it would not move past `previous`. */
  next(previous: string | undefined): string | undefined {
    const candidate = Math.min(this.startedAt, this.oldestFailed);
    const before = previous === undefined ? Number.NaN : Date.parse(previous);
    if (!Number.isNaN(before) && candidate <= before) return undefined;
    return new Date(candidate).toISOString();
  }
}
