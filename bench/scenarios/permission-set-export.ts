import { releaseAwsContext } from '../../src/aws/index.js';
import type { FakeAccount, FakeIdentityCenter } from '../../src/demo/fake-aws/types.js';
import { exportAccess } from '../../src/exporter/index.js';
import { releaseOrganization } from '../../src/identity-center/connection.js';
import type { AccessProviderToExport } from '../../src/model/index.js';
import type { SyncContext } from '../../src/plugin-api/contract.js';
import { awsAccountPlugin } from '../../src/plugins/aws-account/index.js';
import { fileURLToPath } from 'node:url';
import { benchContext, benchOutputs, measure, runIfMain } from '../context.js';
import { startAccountServer } from '../server/child-servers.js';
import type { BenchResult } from '../types.js';

const ACCOUNT = '777777777777';
const INSTANCE = 'arn:aws:sso:::instance/ssoins-0000000000000077';
const STORE = 'd-0000000077';
const USERS = 200;
const GROUPS = 20;
/** Permission sets the measured run creates, and sets an earlier run created that stay as they are. */
const NEW_SETS = 30;
const EXISTING_SETS = 20;
const LATENCY_MS = 20;
const TPS = 20;
const CONCURRENCY = 10;
const MUTATING = /^SSOAdmin\.(Create|Put|Delete|Attach|Detach|Update|Tag|Untag|Provision)/;

function syntheticIdentityCenter(): FakeIdentityCenter {
  return {
    instances: [{ instanceArn: INSTANCE, identityStoreId: STORE }],
    users: Array.from({ length: USERS }, (_, u) => ({ UserId: `user-${u}`, UserName: `user-${u}@example.com`, IdentityStoreId: STORE })),
    groups: Array.from({ length: GROUPS }, (_, g) => ({ GroupId: `group-${g}`, DisplayName: `Group ${g}`, IdentityStoreId: STORE })),
    memberships: [],
    permissionSets: [],
  };
}

/** One permission set per team: a user and a group assigned, read access to the team's folder. */
function sets(from: number, count: number): AccessProviderToExport[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    return {
      id: `ps-${i}`,
      name: `Team ${i} readers`,
      description: `Team ${i} reads its folder`,
      type: 'aws_sso_role',
      action: 'grant',
      delete: false,
      who: { users: [`user-${(i * 7) % USERS}@example.com`], groups: [`Group ${i % GROUPS}`], inheritFrom: [] },
      what: [{ dataObject: { fullName: `${ACCOUNT}:eu-central-1:team-data/team-${i}`, type: 'folder' }, permissions: ['s3:GetObject', 's3:GetObjectVersion'] }],
    };
  });
}

async function* from<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

function count(ctx: SyncContext, test: (op: string) => boolean): number {
  return ctx.calls.entries().reduce((n, [op, c]) => n + (test(op) && !op.includes('#retry') ? c : 0), 0);
}

/** The account the bench endpoint serves and keeps the writes of (bench/server/serve-account.ts builds it in its own process). */
export function benchAccount(): FakeAccount {
  return { accountId: ACCOUNT, callerArn: `arn:aws:iam::${ACCOUNT}:user/bench`, iam: { users: [], groups: [], roles: [], policies: [], policyTags: {} }, s3: { buckets: [], accessPoints: [] }, glue: {}, identityCenter: syntheticIdentityCenter() };
}

/** One export run on its own SyncContext, as one target run does it, over HTTP against the bench endpoint. */
async function exportOnce(endpoint: string, input: AccessProviderToExport[], dryRun = false) {
  const params = {
    'aws-endpoint-url': endpoint,
    'aws-regions': 'eu-central-1',
    'aws-concurrency': String(CONCURRENCY),
    'aws-organization-identity-center-instance-arn': INSTANCE,
    'aws-organization-identity-store': STORE,
    'aws-identity-center-rate-limit': TPS,
  };
  const ctx = { ...benchContext(awsAccountPlugin, params, undefined, ['data-access']), dryRun };
  const { out, finish } = benchOutputs();
  const started = performance.now();
  const result = await exportAccess(ctx, from(input), out['access-provider-feedback']);
  const wallMs = performance.now() - started;
  await finish();
  releaseOrganization(ctx);
  releaseAwsContext(ctx);
  const planned = result?.plan.providers.reduce((n, p) => n + p.changes.reduce((m, c) => m + c.calls.length, 0), 0) ?? 0;
  const sso = count(ctx, (op) => op.startsWith('SSOAdmin.'));
  const store = count(ctx, (op) => op.startsWith('Identitystore.'));
  return { ctx, result, wallMs, planned, mutating: count(ctx, (op) => MUTATING.test(op)), sso, store, boundMs: (Math.max(sso, store) / TPS) * 1000 };
}

/**
 * The permission set export at the Identity Center rate (20 requests per second per API) with
 * 20 ms per call, over HTTP (SSO Admin and Identity Store JSON from the bench endpoint, which keeps the writes): a dry run, the run that creates 30 sets next to 20 unchanged ones, then the same
 * input again (zero mutating calls). The bound is the calls of the busier API divided by the rate.
 */
export default async function permissionSetExport(): Promise<BenchResult> {
  const server = await startAccountServer(fileURLToPath(import.meta.url), 'benchAccount', LATENCY_MS);
  process.env.AWS_ACCESS_KEY_ID ??= 'AKIABENCH';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'bench-secret';
  const endpoint = server.url;
  const existing = sets(0, EXISTING_SETS);
  const input = [...existing, ...sets(EXISTING_SETS, NEW_SETS)];
  // An earlier run created the existing sets (not measured).
  await exportOnce(endpoint, existing);
  let first: Awaited<ReturnType<typeof exportOnce>> | undefined;
  const result = await measure(
    `permission-set-export (${NEW_SETS} new + ${EXISTING_SETS} unchanged permission sets, 2 assignments each, ${LATENCY_MS} ms/call, ${TPS} TPS)`,
    { calls: { toJSON: () => ({}) } } as unknown as SyncContext,
    async () => {
      const plan = await exportOnce(endpoint, input, true);
      first = await exportOnce(endpoint, input);
      const second = await exportOnce(endpoint, input);
      return {
        counts: JSON.stringify(first.result?.report.counts),
        failed: first.result?.report.failed ?? -1,
        plannedCalls: first.planned,
        mutatingCalls: first.mutating,
        mutatingEqualsPlan: String(first.planned === first.mutating),
        ssoAdminCalls: first.sso,
        identityStoreCalls: first.store,
        wallMs: Math.round(first.wallMs),
        wallBoundMs: Math.round(first.boundMs),
        wallPerBound: (first.wallMs / first.boundMs).toFixed(3),
        dryRunMutatingCalls: plan.mutating,
        dryRunWallMs: Math.round(plan.wallMs),
        dryRunWallPerBound: (plan.wallMs / plan.boundMs).toFixed(3),
        secondRunMutatingCalls: second.mutating,
        secondRunCounts: JSON.stringify(second.result?.report.counts),
        secondRunWallPerBound: (second.wallMs / second.boundMs).toFixed(3),
      };
    },
  );
  server.close();
  return { ...result, calls: first?.ctx.calls.toJSON() ?? {} };
}

await runIfMain(import.meta.url, permissionSetExport);
