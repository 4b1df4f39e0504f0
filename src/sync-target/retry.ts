/** Retry policy of the sync API client. */
export interface RetryOptions {
  /** Attempts per request, the first included. Default 6. */
  maxAttempts: number;
  /** Backoff base: attempt n waits a random time in [0, min(maxDelayMs, baseDelayMs * 2^(n-1))]. Default 500. */
  baseDelayMs: number;
  /** Cap of the backoff. Default 30 000. */
  maxDelayMs: number;
  /** Cap of a server's Retry-After; a longer wait fails the request instead. Default 120 000. */
  maxRetryAfterMs: number;
}

export const defaultRetry: RetryOptions = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 };

/** Statuses that say "try again later" rather than "your request is wrong" (of the 4xx, only 408, 409 and 429). */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 409, 429, 502, 503, 504]);

/** Exponential backoff with full jitter (spreads clients that failed together). `attempt` starts at 1. */
export function backoffDelay(attempt: number, retry: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs'>, random: () => number = Math.random): number {
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date. Undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Waits `ms`, or less when `signal` fires (the caller checks the signal afterwards). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
