import { classifyAwsError, describeAwsError } from '../aws/errors.js';
import type { AwsContext } from '../aws/context.js';
import { errorMessage } from '../errors.js';
import type { CommandClass, ExportContext, ExportPlan, PlannedCall, ProviderPlan, ResourceChange, ResourceType } from './types.js';

/** What apply did: errors per provider id, and how often an eventual-consistency answer was retried. */
export interface ApplyResult {
  errors: Map<string, string[]>;
  consistencyRetries: number;
  /** Mutating calls sent (retries not counted). */
  callsSent: number;
}

interface Sender {
  send(command: object, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

function clientFor(aws: AwsContext, call: PlannedCall): Sender {
  switch (call.service) {
    case 'IAM':
      return aws.iam() as unknown as Sender;
    case 'S3Control':
      return aws.s3Control(call.region) as unknown as Sender;
    case 'SSOAdmin':
      return aws.ssoAdmin(call.region) as unknown as Sender;
    case 'Identitystore':
      return aws.identityStore(call.region) as unknown as Sender;
    default:
      throw new Error(`the export has no client for service ${call.service}`);
  }
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
  const result: ApplyResult = { errors: new Map(), consistencyRetries: 0, callsSent: 0 };
  const done = new Map<string, Promise<boolean>>();
  const providerFailed = new Set<string>();
  const fail = (provider: ProviderPlan, message: string) => {
    providerFailed.add(provider.provider);
    result.errors.set(provider.provider, [...(result.errors.get(provider.provider) ?? []), message]);
  };

  const send = async (call: PlannedCall): Promise<void> => {
    const command = commands.get(`${call.service}.${call.operation}`);
    if (!command) throw new Error(`no command registered for ${call.service}.${call.operation}`);
    const client = clientFor(ex.aws, call);
    // The window counts the backoff waited (not the calls' own time), so the number of retries is predictable.
    let waited = 0;
    let delay = ex.options.consistencyBaseDelayMs;
    for (;;) {
      try {
        await ex.aws.limit(() => client.send(new command(call.input), { abortSignal: ex.sync.signal }));
        return;
      } catch (err) {
        if (call.okIf === 'not-found' && classifyAwsError(err) === 'not-found') return;
        if (!isEventualConsistency(err) || waited + delay > ex.options.consistencyWindowMs || ex.sync.signal.aborted) throw err;
        result.consistencyRetries++;
        ex.sync.logger.debug({ operation: `${call.service}.${call.operation}`, delayMs: delay, err: errorMessage(err) }, 'eventual consistency: retrying');
        await sleep(delay, ex.sync.signal);
        waited += delay;
        delay = Math.min(delay * 2, 8_000);
      }
    }
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
    for (const call of change.calls) {
      try {
        result.callsSent++;
        await send(call);
      } catch (err) {
        const described = describeAwsError(err, { service: call.service, operation: call.operation, resource: change.resource, region: call.region, defaultRegion: ex.aws.defaultRegion });
        fail(provider, `${change.action} of ${change.type} ${change.resource} failed at ${call.service}.${call.operation}: ${described.message}`);
        return false;
      }
    }
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
