import type { InitializeMiddleware, MetadataBearer, MiddlewareStack } from '@smithy/types';
import { CALL_COUNTER_MIDDLEWARE } from '../aws/index.js';
import type { SyncContext } from '../plugin-api/contract.js';
import { stateKey, stateOf } from '../plugin-api/shared-state.js';

/** Time as the limiter sees it; tests pass a fake one that advances instantly. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason as Error);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason as Error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

export interface TokenBucketOptions {
  /** Tokens added per second: the sustained request rate. */
  ratePerSecond: number;
  /**
   * Tokens the bucket holds at most (the burst). 1 spaces requests evenly, so no window of one
   * second ever sees more than `ratePerSecond` requests; AWS counts the quota the same way.
   */
  capacity?: number;
  clock?: Clock;
}

/**
 * A token bucket: each request takes one token; tokens come back at `ratePerSecond`. Waiters are
 * served in arrival order (one chain), so concurrent callers never overtake each other.
 */
export class TokenBucket {
  readonly ratePerSecond: number;
  readonly capacity: number;
  private readonly clock: Clock;
  private tokens: number;
  private updatedAt: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(options: TokenBucketOptions) {
    if (!(options.ratePerSecond > 0)) throw new RangeError(`ratePerSecond must be above 0, got ${options.ratePerSecond}`);
    this.ratePerSecond = options.ratePerSecond;
    this.capacity = Math.max(1, options.capacity ?? 1);
    this.clock = options.clock ?? realClock;
    this.tokens = this.capacity;
    this.updatedAt = this.clock.now();
  }

  /** Resolves when a token is taken; rejects when the signal aborts while waiting. */
  take(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.takeNow(signal));
    // A rejected wait must not block those queued behind it.
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.updatedAt) * this.ratePerSecond) / 1000);
    this.updatedAt = now;
  }

  private async takeNow(signal?: AbortSignal): Promise<void> {
    this.refill();
    if (this.tokens < 1) {
      await this.clock.sleep(Math.ceil(((1 - this.tokens) * 1000) / this.ratePerSecond), signal);
      this.refill();
    }
    this.tokens = Math.max(0, this.tokens - 1);
  }
}

export const RATE_LIMIT_MIDDLEWARE = 'identityCenterRateLimit';

interface LimitedClient {
  middlewareStack: MiddlewareStack<object, MetadataBearer>;
}

const limitedClients = new WeakSet<object>();

/**
 * Makes every command sent with this client wait for a token first (paginators included). The
 * wait sits before the call counter and the demo/bench interceptor, so latency injection and
 * counting see the paced calls. `signal` (the run's) ends a wait when the run stops. The SDK's adaptive retry still handles throttling answers.
 */
export function rateLimitClient<C extends object>(client: C, bucket: TokenBucket, signal?: AbortSignal): C {
  if (limitedClients.has(client)) return client;
  const stack = (client as unknown as LimitedClient).middlewareStack;
  const wait: InitializeMiddleware<object, MetadataBearer> = (next) => async (args) => {
    await bucket.take(signal);
    return next(args);
  };
  stack.addRelativeTo(wait, { relation: 'before', toMiddleware: CALL_COUNTER_MIDDLEWARE, name: RATE_LIMIT_MIDDLEWARE });
  limitedClients.add(client);
  return client;
}

/** The limiter of one service in this target run (one bucket per service per target, shared by its syncs). */
export function serviceBucket(ctx: SyncContext, service: 'SSOAdmin' | 'Identitystore', ratePerSecond: number, clock?: Clock): TokenBucket {
  return stateOf(ctx, stateKey<TokenBucket>(`identity-center:rate:${service}`), () => new TokenBucket({ ratePerSecond, clock }));
}
