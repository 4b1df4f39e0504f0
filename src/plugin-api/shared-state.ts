import type { SyncContext } from './contract.js';

/**
 * A typed key into `ctx.state`, the per-target-run map the syncs share. The type travels with the
 * key, so readers do not cast and two modules cannot use one name for different things by accident.
 */
export interface StateKey<T> {
  readonly name: string;
  /** Type carrier only; never set. */
  readonly __value?: T;
}

export function stateKey<T>(name: string): StateKey<T> {
  return { name };
}

export function getState<T>(ctx: Pick<SyncContext, 'state'>, key: StateKey<T>): T | undefined {
  return ctx.state.get(key.name) as T | undefined;
}

export function setState<T>(ctx: Pick<SyncContext, 'state'>, key: StateKey<T>, value: T): void {
  ctx.state.set(key.name, value);
}

export function deleteState(ctx: Pick<SyncContext, 'state'>, key: StateKey<unknown>): void {
  ctx.state.delete(key.name);
}

/** The value kept under `key` in this target run, made by `make` on first use. */
export function stateOf<T>(ctx: Pick<SyncContext, 'state'>, key: StateKey<T>, make: () => T): T {
  const existing = getState(ctx, key);
  if (existing !== undefined) return existing;
  const made = make();
  setState(ctx, key, made);
  return made;
}

/**
 * A read shared by the syncs of one target run (the IAM snapshot, the bucket index), made on first
 * use. The one rule for every shared read: a failure is not cached, so a later sync of the run reads
 * again instead of failing on an earlier, possibly transient, error.
 */
export function sharedRead<T>(ctx: Pick<SyncContext, 'state'>, key: StateKey<Promise<T>>, load: () => Promise<T>): Promise<T> {
  const existing = getState(ctx, key);
  if (existing) return existing;
  const made = load();
  setState(ctx, key, made);
  made.catch(() => {
    // Only forget this attempt: a newer one may already be in the map.
    if (getState(ctx, key) === made) deleteState(ctx, key);
  });
  return made;
}
