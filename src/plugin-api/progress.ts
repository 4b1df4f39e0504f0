import type { SyncContext } from './contract.js';
import { getState, stateKey, stateOf } from './shared-state.js';

/** Units of work a sync counts for the progress line (buckets listed, log files read), with the total when known. */
export interface WorkCount {
  readonly unit: string;
  done: number;
  total?: number;
}

// Kept in the target run's state, so the contract's shape stays as it is and a plugin that never counts costs nothing.
const KEY = stateKey<Map<string, WorkCount>>('progress:work');

function counts(ctx: Pick<SyncContext, 'state'>): Map<string, WorkCount> {
  return stateOf(ctx, KEY, () => new Map());
}

/**
 * Starts (or restarts) counting one unit of work; the sync increments `done` as it goes.
 * Only a live view reads it: nothing in the run depends on it.
 */
export function countWork(ctx: Pick<SyncContext, 'state'>, unit: string, total?: number): WorkCount {
  const entry: WorkCount = { unit, done: 0, ...(total === undefined ? {} : { total }) };
  counts(ctx).set(unit, entry);
  return entry;
}

/** The units counted so far in this target run, in the order they started. */
export function workCounts(ctx: Pick<SyncContext, 'state'>): WorkCount[] {
  return [...(getState(ctx, KEY)?.values() ?? [])];
}
