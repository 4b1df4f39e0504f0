/**
 * The access export: access providers decided in the cloud become IAM roles, managed policies,
 * S3 access points and Identity Center permission sets (plan, then apply, then exactly one feedback record per provider).
 *
 * How it runs: read the providers; give each a type and a name (naming.ts); read what exists (the
 * run's IAM snapshot, plus each type's `load`); plan every provider (`plan`: read calls only);
 * on a dry run stop there; otherwise apply (apply.ts: writes by ascending phase, deletes by
 * descending phase, concurrent within aws-concurrency); write the feedback; report to the host.
 * Every update or delete is guarded by the tag creator=RAITO (guard.ts).
 *
 * How to add a resource type (permission-sets.ts, `aws_sso_role`, is the latest example):
 * 1. Write `src/exporter/<type>.ts` exporting a `ResourceType` (types.ts): its access provider
 *    type, an apply `phase` (roles 10, policies 20, access points 30, permission sets 40: pick one after the types it
 *    names), its `naming` rules (naming.ts), the SDK `commands` its plans use keyed
 *    `Service.Operation`, its `externalId` (as the import writes it), `load` (read what exists,
 *    once) and `plan` (one provider -> `ProviderPlan` with `ResourceChange`s whose `calls` are the
 *    exact inputs; guard every update/delete with `guardChange`; read calls only), and `nameOf`
 *    when its externalId does not carry the name (then it is loaded before naming).
 * 2. Add it to `resourceTypes` below. If it needs another AWS client, add its service to
 *    `connectionFor` in apply.ts. Its name affixes go in `affixesFor`. An id only AWS's answer
 *    tells (an ARN) is passed to later calls with `saves` and `{{name}}`; asynchronous operations
 *    are followed with `poll`; an operation AWS limits in concurrency goes in OPERATION_CONCURRENCY.
 * 3. Test it like test/exporter/roles.test.ts (plan, apply, idempotency, guard).
 */
import { awsContextFor } from '../aws/index.js';
import { errorMessage } from '../errors.js';
import { bucketIndex } from '../importers/data-objects/buckets.js';
import { forgetIamSnapshot, iamSnapshot } from '../importers/iam-snapshot.js';
import type { AccessProviderFeedback, AccessProviderToExport, AccessProviderType } from '../model/index.js';
import type { AccessExportReport, StreamSink, SyncContext } from '../plugin-api/contract.js';
import { loadS3Permissions } from '../policy/index.js';
import { accessPointType } from './access-points.js';
import { applyPlan, nothingApplied, type ApplyResult } from './apply.js';
import { ExistingIam } from './existing-iam.js';
import { feedbackOf, outcomeOf } from './feedback.js';
import { assignNames, type Affixes } from './naming.js';
import { ACCOUNT_PLACEHOLDER, exportOptions, type ExportOptions } from './parameters.js';
import { permissionSetType } from './permission-sets.js';
import { countOutcomes, formatPlanTable } from './plan.js';
import { policyType } from './policies.js';
import { roleType } from './roles.js';
import type { ExportContext, ExportPlan, ProviderPlan, ResourceType, TypedProvider } from './types.js';

export { exportParameters, exportOptions, validateExportParameters, type ExportOptions } from './parameters.js';
export type { ExportContext, ExportPlan, PlannedCall, ProviderPlan, ResourceChange, ResourceType, TypedProvider } from './types.js';
export { resourceKey, emptyPlan } from './types.js';
export { guardChange } from './guard.js';

/** Every resource type the export writes. */
export const resourceTypes: ResourceType<unknown>[] = [roleType, policyType, accessPointType, permissionSetType];

function affixesFor(type: AccessProviderType, options: ExportOptions, accountId: string): Affixes {
  switch (type) {
    case 'aws_role':
      return { prefix: options.rolePrefix, suffix: options.roleSuffix };
    case 'aws_policy':
      return { prefix: options.policyPrefix, suffix: options.policySuffix };
    case 'aws_access_point':
      return { prefix: options.accessPointPrefix, suffix: options.accessPointSuffix };
    case 'aws_sso_role':
      return { prefix: options.ssoRolePrefix.replaceAll(ACCOUNT_PLACEHOLDER, accountId), suffix: options.ssoRoleSuffix.replaceAll(ACCOUNT_PLACEHOLDER, accountId) };
    default:
      return { prefix: '', suffix: '' };
  }
}

/**
 * The name AWS knows a provider by today: its actualName, else what its externalId says (for a
 * permission set, `permissionset:<arn>`, the name its loaded state holds for that ARN).
 */
function existingNameOf(input: AccessProviderToExport, type: AccessProviderType, nameOf: (type: AccessProviderType, externalId: string) => string | undefined): string | undefined {
  if (input.actualName) return input.actualName;
  const id = input.externalId ?? '';
  if (type === 'aws_sso_role' && id.startsWith('permissionset:')) return nameOf(type, id);
  if (type === 'aws_role' && id.startsWith('role:')) return id.slice(5);
  if (type === 'aws_policy' && id.startsWith('policy:')) return id.slice(id.lastIndexOf('/') + 1) || undefined;
  if (type === 'aws_access_point' && id.startsWith('accesspoint:')) return id.slice(id.lastIndexOf('/') + 1) || undefined;
  return undefined;
}

/** The type a provider is written as, or why it cannot be: no type means role for grant and policy for deny. */
function typeOf(input: AccessProviderToExport, known: ReadonlySet<AccessProviderType>): { type: AccessProviderType; warning?: string; error?: string } {
  if (input.action === 'deny') {
    if (input.type && input.type !== 'aws_policy') {
      return { type: 'aws_policy', warning: `deny access is written as a managed policy with Deny statements attached to the same who (the type ${input.type} cannot deny)` };
    }
    return { type: 'aws_policy' };
  }
  const type = input.type ?? 'aws_role';
  if (!known.has(type)) return { type, error: `access providers of type ${type} cannot be exported by this connector` };
  return { type };
}

export interface ExportResult {
  report: AccessExportReport;
  plan: ExportPlan;
  /** True when something was sent to AWS (the import must then read IAM again). */
  applied: boolean;
}

/** Gives each provider its type (names come later, once the account id is known). */
function typeAll(inputs: readonly AccessProviderToExport[], types: readonly ResourceType<unknown>[]): { typed: TypedProvider[]; refused: Map<string, string> } {
  const known = new Set(types.map((t) => t.type));
  const refused = new Map<string, string>();
  const typed: TypedProvider[] = [];
  for (const input of inputs) {
    const { type, warning, error } = typeOf(input, known);
    if (error) refused.set(input.id, error);
    typed.push({ input, type, name: '', warnings: warning ? [warning] : [] });
  }
  return { typed, refused };
}

/** Gives each typed provider its existing name and the name it should carry. */
function nameAll(
  typed: readonly TypedProvider[],
  refused: ReadonlyMap<string, string>,
  options: ExportOptions,
  accountId: string,
  types: readonly ResourceType<unknown>[],
  nameOf: (type: AccessProviderType, externalId: string) => string | undefined,
): void {
  for (const p of typed) p.existingName = existingNameOf(p.input, p.type, nameOf);
  for (const t of types) {
    const ofType = typed.filter((p) => p.type === t.type && !refused.has(p.input.id));
    const names = assignNames(
      t.naming,
      affixesFor(t.type, options, accountId),
      ofType.map((p) => ({ id: p.input.id, base: p.input.namingHint || p.input.name, existingName: p.existingName })),
    );
    for (const p of ofType) p.name = names.get(p.input.id)!;
  }
}

/**
 * Plans and (unless `ctx.dryRun`) applies the export, writes one feedback record per provider, and
 * returns the report for the host. Makes no AWS call at all when there is nothing to export.
 */
export async function exportAccess(
  ctx: SyncContext,
  toExport: AsyncIterable<AccessProviderToExport>,
  feedback: StreamSink<AccessProviderFeedback>,
  overrides: Partial<ExportOptions> = {},
  types: readonly ResourceType<unknown>[] = resourceTypes,
): Promise<ExportResult | undefined> {
  const inputs: AccessProviderToExport[] = [];
  const seen = new Set<string>();
  const duplicates: AccessProviderToExport[] = [];
  for await (const input of toExport) {
    if (seen.has(input.id)) duplicates.push(input);
    else {
      seen.add(input.id);
      inputs.push(input);
    }
  }
  if (inputs.length === 0) return undefined;

  const options = exportOptions(ctx.params, overrides);
  const aws = awsContextFor(ctx);
  const { typed, refused } = typeAll(inputs, types);
  // Bucket regions only matter to access points; all reads run at once.
  const needsBuckets = typed.some((p) => p.type === 'aws_access_point');
  let reads: [string, Awaited<ReturnType<typeof iamSnapshot>>, Awaited<ReturnType<typeof loadS3Permissions>>, { name: string; region: string }[]];
  try {
    reads = await Promise.all([aws.accountId(), iamSnapshot(ctx), loadS3Permissions(), needsBuckets ? bucketIndex(ctx) : []]);
  } catch (err) {
    // Without knowing what exists nothing can be planned safely; every provider still gets its feedback record.
    const error = `the export could not read what exists in AWS, so nothing was sent: ${errorMessage(err)}`;
    const plans = typed.map((p): ProviderPlan => ({ provider: p.input.id, type: p.type, actualName: p.input.actualName ?? p.input.name, delete: p.input.delete, changes: [], errors: [error], warnings: [] }));
    return finish(ctx, feedback, { version: 1, dryRun: ctx.dryRun, accountId: '', providers: plans }, nothingApplied(), duplicates, false);
  }
  const [accountId, snapshot, s3Permissions, buckets] = reads;
  const bucketRegions = new Map(buckets.map((b) => [b.name, b.region] as const));
  const providers = new Map<string, TypedProvider>();
  const ex: ExportContext = {
    sync: ctx,
    aws,
    accountId,
    partition: 'aws',
    options,
    iam: new ExistingIam(snapshot),
    s3Permissions,
    bucketRegions,
    // Filled once every provider is named (below); loads that run before naming do not look at it.
    providers,
  };

  // Types whose externalIds do not carry the name are loaded first, so naming sees the names AWS has.
  const states = new Map<AccessProviderType, Promise<unknown>>();
  const byType = new Map(types.map((t) => [t.type, t]));
  const loadedNames = new Map<AccessProviderType, unknown>();
  for (const t of types) {
    const ofType = typed.filter((p) => p.type === t.type && !refused.has(p.input.id));
    if (!t.nameOf || ofType.length === 0) continue;
    const state = t.load(ex, ofType);
    states.set(t.type, state);
    // A failed load is reported by the plan of each of its providers; naming then goes without it.
    loadedNames.set(t.type, await state.catch(() => undefined));
  }
  nameAll(typed, refused, options, accountId, types, (type, externalId) => {
    const state = loadedNames.get(type);
    return state === undefined ? undefined : byType.get(type)?.nameOf?.(state, externalId);
  });
  for (const p of typed) providers.set(p.input.id, p);

  const plans = await planAll(ex, typed, refused, snapshot.hasAccessDetails, types, states);
  const plan: ExportPlan = { version: 1, dryRun: ctx.dryRun, accountId, providers: plans };
  ctx.logger.info({ providers: plans.length, changes: plans.reduce((n, p) => n + p.changes.length, 0), dryRun: ctx.dryRun }, 'access export planned');

  const applied = !ctx.dryRun && plans.some((p) => p.errors.length === 0 && p.changes.length > 0);
  const result = applied ? await applyPlan(ex, plan, types) : nothingApplied();
  // The import that follows must see what the export wrote.
  if (applied) forgetIamSnapshot(ctx);
  return finish(ctx, feedback, plan, result, duplicates, applied);
}

/** One feedback record per provider (duplicates included), the counts, and the report for the host. */
async function finish(
  ctx: SyncContext,
  feedback: StreamSink<AccessProviderFeedback>,
  plan: ExportPlan,
  result: ApplyResult,
  duplicates: readonly AccessProviderToExport[],
  applied: boolean,
): Promise<ExportResult> {
  const plans = plan.providers;
  const planTable = formatPlanTable(plan);
  const outcomes: { type: string; outcome: ReturnType<typeof outcomeOf> }[] = [];
  for (const p of plans) {
    const errors = result.errors.get(p.provider) ?? [];
    outcomes.push({ type: p.type, outcome: outcomeOf(p, errors) });
    // A resource whose id only AWS's answer told (a created permission set) is linked by it.
    const externalId = result.externalIds.get(p.provider);
    if (externalId) p.externalId = externalId;
    await feedback.write(feedbackOf(p, errors, ctx.dryRun));
  }
  for (const d of duplicates) {
    outcomes.push({ type: d.type ?? 'aws_role', outcome: 'failed' });
    await feedback.write({ accessProvider: d.id, actualName: d.actualName ?? d.name, type: d.type, errors: [`access provider ${d.id} appears more than once in the export input; only its first occurrence was exported`], warnings: [] });
  }
  const failed = outcomes.filter((o) => o.outcome === 'failed').length;
  if (failed > 0) feedback.warn(`${failed} access provider(s) could not be exported; their feedback records say why`);
  const report: AccessExportReport = { dryRun: ctx.dryRun, plan, planTable, counts: countOutcomes(outcomes), consistencyRetries: result.consistencyRetries, failed };
  ctx.logger.info({ counts: report.counts, consistencyRetries: report.consistencyRetries, mutatingCalls: result.callsSent, dryRun: ctx.dryRun }, 'access export finished');
  return { report, plan, applied };
}

async function planAll(
  ex: ExportContext,
  typed: readonly TypedProvider[],
  refused: ReadonlyMap<string, string>,
  iamReadable: boolean,
  types: readonly ResourceType<unknown>[],
  states: Map<AccessProviderType, Promise<unknown>>,
): Promise<ProviderPlan[]> {
  const byType = new Map(types.map((t) => [t.type, t]));
  const stateOf = (t: ResourceType<unknown>): Promise<unknown> => {
    let state = states.get(t.type);
    if (!state) {
      state = t.load(ex, typed.filter((p) => p.type === t.type && !refused.has(p.input.id)));
      states.set(t.type, state);
    }
    return state;
  };
  return Promise.all(
    typed.map(async (provider): Promise<ProviderPlan> => {
      const base: ProviderPlan = { provider: provider.input.id, type: provider.type, actualName: provider.input.actualName ?? provider.name, delete: provider.input.delete, changes: [], errors: [], warnings: [...provider.warnings] };
      const refusal = refused.get(provider.input.id);
      if (refusal) return { ...base, actualName: provider.input.actualName ?? provider.input.name, errors: [refusal] };
      if (!iamReadable) {
        return { ...base, errors: ['IAM roles and policies could not be read (iam:GetAccountAuthorizationDetails was denied, or aws-access-skip-iam is set), so the export cannot tell what exists: nothing was sent'] };
      }
      const t = byType.get(provider.type)!;
      try {
        return await t.plan(ex, await stateOf(t), provider);
      } catch (err) {
        return { ...base, errors: [`could not be planned: ${errorMessage(err)}`] };
      }
    }),
  );
}
