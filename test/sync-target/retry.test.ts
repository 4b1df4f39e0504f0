import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfter } from '../../src/sync-target/retry.js';

describe('parseRetryAfter', () => {
  it('reads delta seconds and HTTP dates', () => {
    const now = Date.parse('2026-11-23T10:00:00Z');
    expect(parseRetryAfter('1', now)).toBe(1000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Mon, 23 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Mon, 23 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  it('grows exponentially, is capped, and is jittered over the whole range', () => {
    const retry = { baseDelayMs: 500, maxDelayMs: 30_000 };
    expect(backoffDelay(1, retry, () => 0.999)).toBe(499);
    expect(backoffDelay(3, retry, () => 0.999)).toBe(1998);
    expect(backoffDelay(20, retry, () => 0.999)).toBe(29_970);
    expect(backoffDelay(5, retry, () => 0)).toBe(0);
  });
});
