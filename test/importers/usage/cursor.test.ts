import { describe, expect, it } from 'vitest';
import { CursorTracker, DELIVERY_OVERLAP_MS, daysBetween, readWindow } from '../../../src/importers/usage/cursor.js';

const NOW = Date.UTC(2026, 10, 30, 8, 0);

describe('the usage cursor', () => {
  it('without a cursor the first run reads aws-usage-start-days back, one folder per day up to today', () => {
    const window = readWindow(undefined, NOW, 3);
    expect(window.from).toBe(Date.UTC(2026, 10, 27, 8, 0));
    expect(window.days).toEqual(['2026/11/27/', '2026/11/28/', '2026/11/29/', '2026/11/30/']);
    expect(window.reason).toBe('no cursor: the last 3 days');
  });

  it('with a cursor it starts 15 minutes before it, for files that CloudTrail delivers late', () => {
    const window = readWindow('2026-11-30T00:10:00Z', NOW, 90);
    expect(DELIVERY_OVERLAP_MS).toBe(15 * 60_000);
    expect(window.from).toBe(Date.UTC(2026, 10, 29, 23, 55));
    expect(window.days).toEqual(['2026/11/29/', '2026/11/30/']);
  });

  it('a cursor older than the start window and a cursor that is not a timestamp both fall back to the start window', () => {
    expect(readWindow('2020-01-01T00:00:00Z', NOW, 2).from).toBe(Date.UTC(2026, 10, 28, 8, 0));
    const bad = readWindow('yesterday', NOW, 2);
    expect(bad.from).toBe(Date.UTC(2026, 10, 28, 8, 0));
    expect(bad.reason).toBe('cursor "yesterday" is not a timestamp: the last 2 days');
  });

  it('lists the next day when now is within the overlap of midnight (a clock slightly behind S3)', () => {
    expect(daysBetween(Date.UTC(2026, 10, 30, 23, 0), Date.UTC(2026, 10, 30, 23, 50) + DELIVERY_OVERLAP_MS)).toEqual(['2026/11/30/', '2026/12/01/']);
  });

  it('moves to the time the run started, never past a file or day that failed, and never backwards', () => {
    const started = Date.UTC(2026, 10, 30, 8, 0);
    const t = new CursorTracker(started);
    expect(t.next(undefined)).toBe('2026-11-30T08:00:00.000Z');
    expect(t.next('2026-11-30T07:00:00Z')).toBe('2026-11-30T08:00:00.000Z');
    t.failed(Date.UTC(2026, 10, 30, 7, 30));
    t.failed(Date.UTC(2026, 10, 30, 7, 10));
    expect(t.next(undefined)).toBe('2026-11-30T07:10:00.000Z');
    expect(t.next('2026-11-30T07:20:00Z')).toBeUndefined();
    expect(new CursorTracker(started).next('2026-11-30T09:00:00Z')).toBeUndefined();
  });
});
