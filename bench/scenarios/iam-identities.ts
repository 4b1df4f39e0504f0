import type { GroupDetail, UserDetail } from '@aws-sdk/client-iam';
import { fakeAwsInterceptor } from '../../src/demo/fake-aws/interceptor.js';
import { fakeServices } from '../../src/demo/fake-aws/services.js';
import type { FakeAccount } from '../../src/demo/fake-aws/types.js';
import type { AwsInterceptor, SyncContext } from '../../src/plugin-api/contract.js';
import { awsAccountPlugin } from '../../src/plugins/aws-account/index.js';
import { benchContext, benchOutputs, measure, runIfMain } from '../context.js';
import type { BenchResult } from '../types.js';

const USERS = 20_000;
const GROUPS = 2_000;
const LATENCY_MS = 20;
/** GetAccountAuthorizationDetails serves at most 1000 entities a page. */
const PAGE = 1000;
/** Each variant runs this often, alternating, and reports its median. */
const ROUNDS = 3;

/** A credential report row's cells: a third of the users sign in with a password, half have keys. */
function credentialCells(u: number): Record<string, string> {
  const cells: Record<string, string> = { mfa_active: u % 3 === 0 ? 'true' : 'false' };
  if (u % 3 === 0) Object.assign(cells, { password_enabled: 'true', password_last_used: '2026-11-20T10:00:00+00:00', password_last_changed: '2026-01-05T09:00:00+00:00' });
  if (u % 2 === 0) {
    Object.assign(cells, {
      access_key_1_active: 'true',
      access_key_1_last_rotated: '2025-06-01T00:00:00+00:00',
      access_key_1_last_used_date: '2026-11-29T23:10:00+00:00',
      access_key_1_last_used_region: 'eu-central-1',
      access_key_1_last_used_service: 's3',
    });
  }
  if (u % 10 === 0) Object.assign(cells, { access_key_2_active: 'false', access_key_2_last_rotated: '2024-03-01T00:00:00+00:00' });
  return cells;
}

function syntheticAccount(): FakeAccount {
  const groups: GroupDetail[] = Array.from({ length: GROUPS }, (_, g) => ({ GroupName: `group-${g}`, GroupId: `AGPA${String(g).padStart(17, '0')}`, Arn: `arn:aws:iam::999999999999:group/group-${g}` }));
  const users: UserDetail[] = Array.from({ length: USERS }, (_, u) => ({
    UserName: `user-${u}`,
    UserId: `AIDA${String(u).padStart(17, '0')}`,
    Arn: `arn:aws:iam::999999999999:user/user-${u}`,
    GroupList: [`group-${u % GROUPS}`, `group-${(u * 7) % GROUPS}`],
    Tags: [{ Key: 'Email', Value: `user-${u}@example.com` }, { Key: 'team', Value: `team-${u % 50}` }],
  }));
  const credentials = Object.fromEntries(users.map((user, u) => [user.UserName!, credentialCells(u)]));
  return { accountId: '999999999999', callerArn: 'arn:aws:iam::999999999999:user/bench', iam: { users, groups, roles: [], policies: [], credentials }, s3: { buckets: [], accessPoints: [] }, glue: {} };
}

type Variant = 'no report' | 'recent report' | 'report built';

/**
 * The fake builds the report's CSV on each GetCredentialReport; that is AWS's work, not ours, so
 * it is built once here and answered from memory (after the same per-call latency).
 */
function withCachedReport(interceptor: AwsInterceptor): AwsInterceptor {
  let report: unknown;
  return async (call) => {
    if (call.operation !== 'GetCredentialReport' || report === undefined) {
      const out = await interceptor(call);
      if (call.operation === 'GetCredentialReport') report = out;
      return out;
    }
    await new Promise((resolve) => setTimeout(resolve, LATENCY_MS));
    return report;
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** 20,000 users and 2,000 groups through the identity sync, 20 ms per AWS call, with and without the credential report. */
export default async function iamIdentities(): Promise<BenchResult> {
  const base = syntheticAccount();
  // Every run starts on an account of its own, so "report built" finds no report and waits for one.
  const cachedReport = withCachedReport(fakeAwsInterceptor(base, fakeServices));
  await cachedReport({ service: 'IAM', operation: 'GenerateCredentialReport', region: 'us-east-1', input: {} });
  await cachedReport({ service: 'IAM', operation: 'GetCredentialReport', region: 'us-east-1', input: {} });

  const runOnce = async (variant: Variant): Promise<{ ctx: SyncContext; ms: number; cpuMs: number; users: number; groups: number; complete: boolean }> => {
    const account: FakeAccount = { ...base, iam: { ...base.iam, credentialReportReadyAfter: variant === 'report built' ? 1 : 0 } };
    const fake = fakeAwsInterceptor(account, fakeServices, { latencyMs: LATENCY_MS });
    const interceptor: AwsInterceptor = (call) => (call.operation === 'GetCredentialReport' ? cachedReport(call) : fake(call));
    const params = { 'aws-regions': 'eu-central-1', 'aws-identity-skip-credential-report': variant === 'no report' ? 'true' : 'false' };
    const ctx = benchContext(awsAccountPlugin, params, interceptor, ['identity-store']);
    const { out, finish } = benchOutputs();
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    await awsAccountPlugin.syncs.identityStore!(ctx, out);
    const streams = await finish();
    const cpu = process.cpuUsage(cpuBefore);
    return { ctx, ms: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000, users: streams.users?.records ?? 0, groups: streams.groups?.records ?? 0, complete: streams.users?.complete ?? false };
  };

  const variants: Variant[] = ['no report', 'recent report', 'report built'];
  const times: Record<Variant, number[]> = { 'no report': [], 'recent report': [], 'report built': [] };
  const cpuTimes: Record<Variant, number[]> = { 'no report': [], 'recent report': [], 'report built': [] };
  // Calls are counted on the context of the last "report built" run (the bound that matters).
  const lastCtx = benchContext(awsAccountPlugin, { 'aws-regions': 'eu-central-1' }, fakeAwsInterceptor(base, fakeServices), ['identity-store']);
  return measure(`iam-identities (20k users, 2k groups, 20 ms/call; ${ROUNDS} rounds each without, with a recent and with a newly built credential report)`, lastCtx, async () => {
    let last: Awaited<ReturnType<typeof runOnce>> | undefined;
    for (let round = 0; round < ROUNDS; round++) {
      for (const variant of variants) {
        const run = await runOnce(variant);
        times[variant].push(run.ms);
        cpuTimes[variant].push(run.cpuMs);
        if (variant === 'report built') last = run;
      }
    }
    for (const [op, n] of last!.ctx.calls.entries()) lastCtx.calls.add(op, n);
    const minPages = Math.ceil((USERS + GROUPS) / PAGE);
    // The report costs 2 or 3 calls however many users there are (peers make ~10 per user).
    if (lastCtx.calls.total > minPages + 3) throw new Error(`iam-identities made ${lastCtx.calls.total} AWS calls, more than ${minPages} GAAD pages + 3 report calls`);
    const spread = (v: Variant) => `${Math.round(Math.min(...times[v]))}-${Math.round(Math.max(...times[v]))}`;
    const noReport = median(times['no report']);
    return {
      users: last!.users,
      groups: last!.groups,
      usersComplete: String(last!.complete),
      minPages,
      calls: lastCtx.calls.total,
      callBound: `${minPages} GAAD pages + 3 report calls = ${minPages + 3}`,
      'ms without report (median, min-max)': `${Math.round(noReport)} (${spread('no report')})`,
      'ms with a recent report (2 calls)': `${Math.round(median(times['recent report']))} (${spread('recent report')})`,
      'ms with a report AWS builds (3 calls, 1 s wait)': `${Math.round(median(times['report built']))} (${spread('report built')})`,
      'extra ms, recent report': Math.round(median(times['recent report']) - noReport),
      'extra ms, report built': Math.round(median(times['report built']) - noReport),
      'cpu ms without / with a recent report (medians)': `${Math.round(median(cpuTimes['no report']))} / ${Math.round(median(cpuTimes['recent report']))}`,
    };
  });
}

await runIfMain(import.meta.url, iamIdentities);
