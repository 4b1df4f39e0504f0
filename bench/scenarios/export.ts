import type { GroupDetail, RoleDetail, UserDetail } from '@aws-sdk/client-iam';
import { releaseAwsContext } from '../../src/aws/index.js';
import type { FakeAccount, FakeBucket } from '../../src/demo/fake-aws/types.js';
import { exportAccess } from '../../src/exporter/index.js';
import type { AccessProviderToExport } from '../../src/model/index.js';
import type { SyncContext } from '../../src/plugin-api/contract.js';
import { awsAccountPlugin } from '../../src/plugins/aws-account/index.js';
import { fileURLToPath } from 'node:url';
import { benchContext, benchOutputs, measure, runIfMain } from '../context.js';
import { gaadPages } from '../gaad-pages.js';
import { startAccountServer } from '../server/child-servers.js';
import type { BenchResult } from '../types.js';

const ACCOUNT = '888888888888';
const EXISTING_ROLES = 5_000;
const USERS = 1_000;
const GROUPS = 50;
const BUCKETS = 20;
const ROLES = 500;
const POLICIES = 400;
const ACCESS_POINTS = 100;
const REGIONS = ['eu-central-1', 'us-east-1'];
const LATENCY_MS = 20;
const CONCURRENCY = 10;
const MUTATING = /\.(Create|Put|Delete|Attach|Detach|Update|Tag|Untag|Set|Remove|Add)[A-Za-z]*$/;

const stored = (doc: object): string => encodeURIComponent(JSON.stringify(doc));
const bucketName = (b: number): string => `export-data-${String(b).padStart(2, '0')}`;
const regionOf = (b: number): string => REGIONS[b % REGIONS.length]!;
const folder = (b: number, path: string) => ({ fullName: `${ACCOUNT}:${regionOf(b)}:${bucketName(b)}/${path}`, type: 'folder' as const });

/** The account the bench endpoint serves (exported: bench/server/serve-account.ts builds it in its own process). */
export function syntheticAccount(): FakeAccount {
  const groups: GroupDetail[] = Array.from({ length: GROUPS }, (_, g) => ({ GroupName: `group-${g}`, Arn: `arn:aws:iam::${ACCOUNT}:group/group-${g}`, AttachedManagedPolicies: [] }));
  const users: UserDetail[] = Array.from({ length: USERS }, (_, u) => ({ UserName: `user-${u}`, Arn: `arn:aws:iam::${ACCOUNT}:user/user-${u}`, GroupList: [`group-${u % GROUPS}`], AttachedManagedPolicies: [] }));
  const roles: RoleDetail[] = Array.from({ length: EXISTING_ROLES }, (_, r) => ({
    RoleName: `existing-role-${r}`,
    Arn: `arn:aws:iam::${ACCOUNT}:role/existing-role-${r}`,
    Path: '/',
    AssumeRolePolicyDocument: stored({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/user-${r % USERS}` } }] }),
    RolePolicyList: [{ PolicyName: 'inline', PolicyDocument: stored({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucketName(r % BUCKETS)}/jobs/*` }] }) }],
    AttachedManagedPolicies: [],
    Tags: [],
  }));
  const buckets: FakeBucket[] = Array.from({ length: BUCKETS }, (_, b) => ({ name: bucketName(b), region: regionOf(b), objects: [] }));
  return { accountId: ACCOUNT, callerArn: `arn:aws:iam::${ACCOUNT}:user/bench`, iam: { users, groups, roles, policies: [], policyTags: {} }, s3: { buckets, accessPoints: [] }, glue: {} };
}

/** 500 roles, 400 managed policies and 100 access points, each with a small who and a folder or two. */
function providers(): AccessProviderToExport[] {
  const list: AccessProviderToExport[] = [];
  const base = { action: 'grant' as const, delete: false };
  for (let i = 0; i < ROLES; i++) {
    list.push({
      ...base,
      id: `role-${i}`,
      name: `Team ${i} reader`,
      type: 'aws_role',
      who: { users: [`user-${i % USERS}`, `user-${(i + 7) % USERS}`], groups: [], inheritFrom: [] },
      what: [{ dataObject: folder(i % BUCKETS, `team-${i}`), permissions: ['s3:GetObject', 's3:GetObjectVersion'] }],
    });
  }
  for (let i = 0; i < POLICIES; i++) {
    list.push({
      ...base,
      id: `policy-${i}`,
      name: `Team ${i} writer`,
      type: 'aws_policy',
      who: { users: [`user-${(i * 3) % USERS}`], groups: [`group-${i % GROUPS}`], inheritFrom: [] },
      what: [
        { dataObject: folder(i % BUCKETS, `team-${i}/out`), permissions: ['s3:PutObject'] },
        { dataObject: folder(i % BUCKETS, `team-${i}/in`), permissions: ['s3:GetObject'] },
      ],
    });
  }
  for (let i = 0; i < ACCESS_POINTS; i++) {
    list.push({
      ...base,
      id: `ap-${i}`,
      name: `share ${i}`,
      type: 'aws_access_point',
      who: { users: [`user-${(i * 11) % USERS}`], groups: [], inheritFrom: [] },
      what: [{ dataObject: folder(i % BUCKETS, `share-${i}`), permissions: ['s3:GetObject'] }],
    });
  }
  return list;
}

async function* from<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

function mutatingCalls(ctx: SyncContext): number {
  return ctx.calls.entries().reduce((n, [op, count]) => n + (MUTATING.test(op) && !op.includes('#retry') ? count : 0), 0);
}

/**
 * One export run on its own SyncContext (its own snapshot), as one target run would do it, over
 * HTTP: the bench endpoint (a child process) answers in the real wire formats and keeps the writes.
 */
async function exportOnce(endpoint: string, input: AccessProviderToExport[], dryRun = false) {
  const ctx = { ...benchContext(awsAccountPlugin, { 'aws-regions': REGIONS.join(','), 'aws-concurrency': String(CONCURRENCY), 'aws-endpoint-url': endpoint }, undefined, ['data-access']), dryRun };
  const { out, finish } = benchOutputs();
  const started = performance.now();
  const result = await exportAccess(ctx, from(input), out['access-provider-feedback']);
  const wallMs = performance.now() - started;
  const feedback = (await finish())['access-provider-feedback'];
  releaseAwsContext(ctx);
  const planned = result?.plan.providers.reduce((n, p) => n + p.changes.reduce((m, c) => m + c.calls.length, 0), 0) ?? 0;
  return { ctx, result, wallMs, feedback: feedback?.records ?? 0, planned, mutating: mutatingCalls(ctx), total: ctx.calls.total };
}

/** The export into an account with 5,000 roles: first run, then the same input again (0 mutating calls). */
export default async function exportBench(): Promise<BenchResult> {
  const server = await startAccountServer(fileURLToPath(import.meta.url), 'syntheticAccount', LATENCY_MS);
  process.env.AWS_ACCESS_KEY_ID ??= 'AKIABENCH';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'bench-secret';
  const endpoint = server.url;
  const input = providers();
  let first: Awaited<ReturnType<typeof exportOnce>> | undefined;
  const result = await measure(`export (${ROLES} roles, ${POLICIES} policies, ${ACCESS_POINTS} access points into ${EXISTING_ROLES} existing roles, ${LATENCY_MS} ms/call, concurrency ${CONCURRENCY})`, { calls: { toJSON: () => ({}) } } as unknown as SyncContext, async () => {
    const plan = await exportOnce(endpoint, input, true);
    first = await exportOnce(endpoint, input);
    const second = await exportOnce(endpoint, input);
    const lowerBoundMs = (first.total * LATENCY_MS) / CONCURRENCY;
    return {
      providers: input.length,
      feedbackRecords: first.feedback,
      failed: first.result?.report.failed ?? -1,
      counts: JSON.stringify(first.result?.report.counts),
      plannedCalls: first.planned,
      mutatingCalls: first.mutating,
      mutatingEqualsPlan: String(first.planned === first.mutating),
      // The export reads the snapshot the access import would: one chain per entity type, an empty type one page.
      gaadPageBound: gaadPages(syntheticAccount(), ['User', 'Group', 'Role', 'LocalManagedPolicy', 'AWSManagedPolicy']).pages,
      gaadCalls: first.ctx.calls.get('IAM.GetAccountAuthorizationDetails'),
      readCalls: first.total - first.mutating,
      totalCalls: first.total,
      wallMs: Math.round(first.wallMs),
      lowerBoundMs: Math.round(lowerBoundMs),
      wallPerBound: (first.wallMs / lowerBoundMs).toFixed(2),
      dryRunWallMs: Math.round(plan.wallMs),
      dryRunMutatingCalls: plan.mutating,
      applyMs: Math.round(first.wallMs - plan.wallMs),
      applyPerBound: ((first.wallMs - plan.wallMs) / ((first.mutating * LATENCY_MS) / CONCURRENCY)).toFixed(2),
      secondRunMutatingCalls: second.mutating,
      secondRunReadCalls: second.total - second.mutating,
      secondRunWallMs: Math.round(second.wallMs),
      secondRunUnchanged: JSON.stringify(second.result?.report.counts),
    };
  });
  server.close();
  // The calls of the first run (the second one's are in the figures).
  result.calls = first?.ctx.calls.toJSON() ?? {};
  return result;
}

await runIfMain(import.meta.url, exportBench);
