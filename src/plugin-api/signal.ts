import { setMaxListeners } from 'node:events';

/**
 * How many abort listeners a sync's signal may have before Node warns of a leak. Every AWS call in
 * flight (up to aws-concurrency, at most 100) listens on it, and so does every backoff or
 * rate-limit wait; each listener goes when its call or wait ends, so the count follows the work in
 * flight, never the length of the run. Node's default of 10 printed MaxListenersExceededWarning into
 * users' logs as soon as aws-concurrency was above 10.
 */
export const SYNC_SIGNAL_LISTENERS = 1_000;

/** Lets a signal be shared by all the work in flight of one sync (see SYNC_SIGNAL_LISTENERS). */
export function shareSignal<S extends AbortSignal>(signal: S): S {
  setMaxListeners(SYNC_SIGNAL_LISTENERS, signal);
  return signal;
}
