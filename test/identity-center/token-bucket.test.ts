import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../src/identity-center/token-bucket.js';
import { busiestWindow, FakeClock } from './scenario.js';

describe('token bucket', () => {
  it('spaces 100 concurrent takers at 20 per second: never more than 20 in any second, done after 4.95 s', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ ratePerSecond: 20, clock });
    const times: number[] = [];
    await Promise.all(Array.from({ length: 100 }, () => bucket.take().then(() => times.push(clock.now()))));
    expect(times).toHaveLength(100);
    expect(busiestWindow(times)).toBe(20);
    expect(clock.now()).toBe(99 * 50);
  });

  it('serves takers in arrival order', async () => {
    const bucket = new TokenBucket({ ratePerSecond: 10, clock: new FakeClock() });
    const order: number[] = [];
    await Promise.all([1, 2, 3, 4, 5].map((n) => bucket.take().then(() => order.push(n))));
    expect(order).toEqual([1, 2, 3, 4, 5]);
  });

  it('lets a burst through up to its capacity, then paces', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ ratePerSecond: 10, capacity: 5, clock });
    for (let i = 0; i < 5; i++) await bucket.take();
    expect(clock.now()).toBe(0);
    await bucket.take();
    expect(clock.now()).toBe(100);
  });

  it('refills while idle, but never beyond its capacity', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ ratePerSecond: 10, capacity: 2, clock });
    await bucket.take();
    await bucket.take();
    clock.time += 10_000;
    await bucket.take();
    await bucket.take();
    expect(clock.now()).toBe(10_000);
    await bucket.take();
    expect(clock.now()).toBe(10_100);
  });

  it('stops a wait when the run is aborted', async () => {
    const bucket = new TokenBucket({ ratePerSecond: 1 });
    await bucket.take();
    const controller = new AbortController();
    const waiting = bucket.take(controller.signal);
    controller.abort(new Error('stopped by SIGTERM'));
    await expect(waiting).rejects.toThrow('stopped by SIGTERM');
  });

  it('refuses a rate of zero', () => {
    expect(() => new TokenBucket({ ratePerSecond: 0 })).toThrow(new RangeError('ratePerSecond must be above 0, got 0'));
  });
});
