import { CallCounter } from '../plugin-api/call-counter.js';
import type { SyncContext } from '../plugin-api/contract.js';
import { shareSignal } from '../plugin-api/signal.js';

/** A SyncContext for one target run: fresh state shared by its syncs, and a fresh call counter unless one is given. */
export function createSyncContext(init: Omit<SyncContext, 'calls' | 'state'> & { calls?: CallCounter }): SyncContext {
  return { ...init, signal: shareSignal(init.signal), calls: init.calls ?? new CallCounter(), state: new Map() };
}
