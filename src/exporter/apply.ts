import pLimit, { type LimitFunction } from 'p-limit';
import { classifyAwsError, describeAwsError } from '../aws/errors.js';
import { errorMessage } from '../errors.js';
import { organizationFor } from '../identity-center/connection.js';
import type { CommandClass, ExportContext, ExportPlan, PlannedCall, PollSpec, ProviderPlan, ResourceChange, ResourceType } from './types.js';

/** What apply did: errors per provider id, and how often an eventual-consistency answer was retried. */
export interface ApplyResult {
  errors: Map<string, string[]>;
  consistencyRetries: number;
  /** Mutating calls sent (retries and status polls not counted). */
  callsSent: number;
  /** ExternalIds that only AWS's answers told (a created permission set's ARN), by provider id. */
  externalIds: Map<string, string>;
}

/** An ApplyResult of nothing sent. */
export function nothingApplied(): ApplyResult {
  return { errors: new Map(), consistencyRetries: 0, callsSent: 0, externalIds: new Map() };
}

/**
 * Operations that AWS lets run only a few at a time, with the most this export keeps in flight
 * (from the call until its asynchronous operation has ended). Identity Center processes the
 * provisioning of permission sets asynchronously and throttles or rejects concurrent provisioning
 * beyond a small quota (ConflictException); 3 keeps well inside it (DESIGN.md section 8) while
 * still overlapping the waits.
 */
export const OPERATION_CONCURRENCY: Readonly<Record<string, number>> = {
  'SSOAdmin.ProvisionPermissionSet': 3,
};

interface Sender {
  send(command: object, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

interface Connection {
  client: Sender;
  limit: LimitFunction;
}

/**
 * The client a call is sent with. Identity Center (SSOAdmin, Identitystore) lives in the
 * management account: its calls go through that connection (aws-organization-*), rate-limited.
 */
function connectionFor(ex: ExportContext, service: string, region: string | undefined): Connection {
  const aws = ex.aws;
  switch (service) {
    case 'IAM':
      return { client: aws.iam() as unknown as Sender, limit: aws.limit };
    case 'S3Control':
      return { client: aws.s3Control(region) as unknown as Sender, limit: aws.limit };
    case 'SSOAdmin': {
      const ic = organizationFor(ex.sync);
      return { client: ic.ssoAdmin() as unknown as Sender, limit: ic.aws.limit };
    }
    case 'Identitystore': {
      const ic = organizationFor(ex.sync);
      return { client: ic.identityStore() as unknown as Sender, limit: ic.aws.limit };
    }
    default:
      throw new Error(`the export has no client for service ${service}`);
  }
}

const PLACEHOLDER = /\{\{(\w+)\}\}/g;

/** The input with every `{{name}}` replaced by the value an earlier call of the change saved. */
export function resolvePlaceholders<T>(value: T, saved: ReadonlyMap<string, string>): T {
  if (typeof value === 'string') {
    return value.replace(PLACEHOLDER, (_m, name: string) => {
      const v = saved.get(name);
      if (v === undefined) throw new Error(`{{${name}}} was not answered by an earlier call of this change`);
      return v;
    }) as T;
  }
  if (Array.isArray(value)) return value.map((v: unknown) => resolvePlaceholders(v, saved)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolvePlaceholders(v, saved)])) as T;
  return value;
}

/** The value at a dotted path of an answer. */
function at(answer: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), answer);
}

/** An asynchronous operation that AWS reported as FAILED, or that did not end in time. */
export class AsyncOperationError extends Error {
  override name = 'AsyncOperationError';
}

/** The end of an asynchronous operation, or undefined while it runs. */
function ended(answer: unknown, poll: PollSpec): { ok: true } | { ok: false; reason: string } | undefined {
  const status = at(answer, poll.status) as { Status?: string; FailureReason?: string } | undefined;
  if (status?.Status === 'SUCCEEDED') return { ok: true };
  if (status?.Status === 'FAILED') return { ok: false, reason: status.FailureReason ?? 'no reason given' };
  return undefined;
}

/**
 * IAM and S3 Control answer like this for a while after a role or user is created: the new
 * principal is not visible everywhere yet. Retried with backoff within the consistency window.
 */
export function isEventualConsistency(err: unknown): boolean {
  const e = err as { name?: string; Code?: string; message?: string };
  const name = e?.name ?? e?.Code ?? '';
  const message = typeof e?.message === 'string' ? e.message : '';
  if (name === 'NoSuchEntity' || name === 'NoSuchEntityException') return true;
  return /^(MalformedPolicyDocument|MalformedPolicy|InvalidArgument|InvalidRequest)/.test(name) && /invalid principal/i.test(message);
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });

/** Orders the changes: creates and updates by ascending phase, then deletes by descending phase. */
export function applyOrder(plan: ExportPlan, types: readonly ResourceType<unknown>[]): { phase: string; changes: { change: ResourceChange; provider: ProviderPlan }[] }[] {
  const phaseOf = new Map(types.map((t) => [t.type, t.phase]));
  const groups = new Map<string, { order: number; changes: { change: ResourceChange; provider: ProviderPlan }[] }>();
  for (const provider of plan.providers) {
    if (provider.errors.length > 0) continue;
    for (const change of provider.changes) {
      const phase = phaseOf.get(change.type) ?? 0;
      const deleting = change.action === 'delete';
      const name = `${deleting ? 'delete' : 'write'} ${change.type}`;
      // Writes first (ascending), deletes after every write (descending): detach before delete.
      const order = deleting ? 1_000_000 - phase : phase;
      let group = groups.get(name);
      if (!group) groups.set(name, (group = { order, changes: [] }));
      group.changes.push({ change, provider });
    }
  }
  dropCycles([...groups.values()].flatMap((g) => g.changes.map((c) => c.change)));
  return [...groups.entries()].sort(([, a], [, b]) => a.order - b.order).map(([phase, g]) => ({ phase, changes: g.changes }));
}

/**
 * Sends the plan: phase after phase; within a phase every change at once (bounded by
 * aws-concurrency), the calls of one change one after the other. A change whose dependency or
 * earlier change of the same provider failed is not sent. One failing provider never stops others.
 */
export async function applyPlan(ex: ExportContext, plan: ExportPlan, types: readonly ResourceType<unknown>[]): Promise<ApplyResult> {
  const commands = new Map<string, CommandClass>();
  for (const t of types) for (const [op, cls] of Object.entries(t.commands)) commands.set(op, cls);
  const result = nothingApplied();
  const done = new Map<string, Promise<boolean>>();
  const providerFailed = new Set<string>();
  const fail = (provider: ProviderPlan, message: string) => {
    providerFailed.add(provider.provider);
    result.errors.set(provider.provider, [...(result.errors.get(provider.provider) ?? []), message]);
  };

  const caps = new Map(Object.entries(OPERATION_CONCURRENCY).map(([op, n]) => [op, pLimit(n)] as const));

  /** Sends one call (retrying eventual-consistency answers) and returns its answer. */
  const sendOnce = async (call: PlannedCall, input: Record<string, unknown>): Promise<unknown> => {
    const command = commands.get(`${call.service}.${call.operation}`);
    if (!command) throw new Error(`no command registered for ${call.service}.${call.operation}`);
    const { client, limit } = connectionFor(ex, call.service, call.region);
    // The window counts the backoff waited (not the calls' own time), so the number of retries is predictable.
    let waited = 0;
    let delay = ex.options.consistencyBaseDelayMs;
    for (;;) {
      try {
        return await limit(() => client.send(new command(input), { abortSignal: ex.sync.signal }));
      } catch (err) {
        if (call.okIf === 'not-found' && classifyAwsError(err) === 'not-found') return undefined;
        if (!isEventualConsistency(err) || waited + delay > ex.options.consistencyWindowMs || ex.sync.signal.aborted) throw err;
        result.consistencyRetries++;
        ex.sync.logger.debug({ operation: `${call.service}.${call.operation}`, delayMs: delay, err: errorMessage(err) }, 'eventual consistency: retrying');
        await sleep(delay, ex.sync.signal);
        waited += delay;
        delay = Math.min(delay * 2, 8_000);
      }
    }
  };

  /** Asks about an asynchronous operation with backoff until it ends; FAILED and a timeout are errors. */
  const follow = async (call: PlannedCall, poll: PollSpec, answer: unknown, saved: ReadonlyMap<string, string>): Promise<void> => {
    let state = ended(answer, poll);
    let waited = 0;
    let delay = ex.options.pollBaseDelayMs;
    const read: PlannedCall = { service: call.service, operation: poll.operation, region: call.region, input: {} };
    const input = resolvePlaceholders(poll.input, saved);
    while (!state) {
      if (ex.sync.signal.aborted) throw new AsyncOperationError(`the run was stopped while ${call.operation} was still in progress`);
      if (waited >= ex.options.pollTimeoutMs) throw new AsyncOperationError(`${call.operation} was still in progress after ${Math.round(waited / 1000)} s (${poll.operation} ${JSON.stringify(input)})`);
      await sleep(delay, ex.sync.signal);
      waited += delay;
      delay = Math.min(delay * 2, 10_000);
      try {
        state = ended(await sendOnce(read, input), poll);
      } catch (err) {
        // Name the status read, not the call it follows (its permission is a different one).
        throw describeAwsError(err, { service: call.service, operation: poll.operation, region: call.region, defaultRegion: ex.aws.defaultRegion });
      }
    }
    if (!state.ok) throw new AsyncOperationError(`${call.operation} ended with status FAILED: ${state.reason}`);
  };

  /** Sends a call with its placeholders resolved, saves what later calls need, follows it to its end. */
  const send = async (call: PlannedCall, saved: Map<string, string>): Promise<void> => {
    const work = async () => {
      const answer = await sendOnce(call, resolvePlaceholders(call.input, saved));
      for (const [name, path] of Object.entries(call.saves ?? {})) {
        const value = at(answer, path);
        if (typeof value !== 'string') throw new Error(`the answer has no ${path}`);
        saved.set(name, value);
      }
      if (call.poll) await follow(call, call.poll, answer, saved);
    };
    const cap = caps.get(`${call.service}.${call.operation}`);
    await (cap ? cap(work) : work());
  };

  const run = async (change: ResourceChange, provider: ProviderPlan): Promise<boolean> => {
    for (const dep of change.dependsOn) {
      const ok = await done.get(dep);
      if (ok === false) {
        fail(provider, `${change.type} ${change.resource} was not ${change.action}d: it depends on ${dep.replace(/^[^:]+:/, '')}, which failed`);
        return false;
      }
    }
    if (providerFailed.has(provider.provider)) return false;
    if (ex.sync.signal.aborted) {
      fail(provider, `${change.type} ${change.resource} was not ${change.action}d: the run was stopped`);
      return false;
    }
    const saved = new Map<string, string>();
    // Linked as soon as AWS told the id, even when a later call fails: the resource exists.
    const link = () => {
      if (!change.externalId) return;
      try {
        result.externalIds.set(provider.provider, resolvePlaceholders(change.externalId, saved));
      } catch {
        // Not created yet: nothing to link.
      }
    };
    for (const call of change.calls) {
      try {
        result.callsSent++;
        await send(call, saved);
      } catch (err) {
        link();
        const message =
          err instanceof AsyncOperationError
            ? err.message
            : describeAwsError(err, { service: call.service, operation: call.operation, resource: change.resource, region: call.region, defaultRegion: ex.aws.defaultRegion }).message;
        fail(provider, `${change.action} of ${change.type} ${change.resource} failed at ${call.service}.${call.operation}: ${message}`);
        return false;
      }
    }
    link();
    return true;
  };

  for (const { changes } of applyOrder(plan, types)) {
    // Every change of the phase is registered before any starts, so a dependency later in the list is awaited too.
    const starts = changes.map(({ change, provider }) => {
      let finish!: (ok: boolean) => void;
      done.set(change.key, new Promise<boolean>((resolve) => (finish = resolve)));
      return () => run(change, provider).then(finish);
    });
    await Promise.all(starts.map((start) => start()));
  }
  return result;
}

/**
 * Drops dependencies that would wait in a circle (two new roles that trust each other): both are
 * then created at once, and the eventual-consistency retry lets the second trust policy through.
 */
export function dropCycles(changes: readonly ResourceChange[]): void {
  const byKey = new Map(changes.map((c) => [c.key, c]));
  const reaches = (from: string, target: string, seen = new Set<string>()): boolean => {
    if (from === target) return true;
    if (seen.has(from)) return false;
    seen.add(from);
    return (byKey.get(from)?.dependsOn ?? []).some((d) => reaches(d, target, seen));
  };
  for (const change of changes) change.dependsOn = change.dependsOn.filter((d) => !reaches(d, change.key));
}
