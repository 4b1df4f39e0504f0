import type { GroupDetail, UserDetail } from '@aws-sdk/client-iam';
import { fakeAwsInterceptor } from '../../src/demo/fake-aws/interceptor.js';
import { fakeServices } from '../../src/demo/fake-aws/services.js';
import type { FakeAccount } from '../../src/demo/fake-aws/types.js';
import { awsAccountPlugin } from '../../src/plugins/aws-account/index.js';
import { benchContext, benchOutputs, measure, runIfMain } from '../context.js';
import type { BenchResult } from '../types.js';

const USERS = 20_000;
const GROUPS = 2_000;
const LATENCY_MS = 20;
/** GetAccountAuthorizationDetails serves at most 1000 entities a page. */
const PAGE = 1000;

function syntheticAccount(): FakeAccount {
  const groups: GroupDetail[] = Array.from({ length: GROUPS }, (_, g) => ({ GroupName: `group-${g}`, GroupId: `AGPA${String(g).padStart(17, '0')}`, Arn: `arn:aws:iam::999999999999:group/group-${g}` }));
  const users: UserDetail[] = Array.from({ length: USERS }, (_, u) => ({
    UserName: `user-${u}`,
    UserId: `AIDA${String(u).padStart(17, '0')}`,
    Arn: `arn:aws:iam::999999999999:user/user-${u}`,
    GroupList: [`group-${u % GROUPS}`, `group-${(u * 7) % GROUPS}`],
    Tags: [{ Key: 'Email', Value: `user-${u}@example.com` }, { Key: 'team', Value: `team-${u % 50}` }],
  }));
  return { accountId: '999999999999', callerArn: 'arn:aws:iam::999999999999:user/bench', iam: { users, groups, roles: [], policies: [] }, s3: { buckets: [], accessPoints: [] }, glue: {} };
}

/** 20,000 users and 2,000 groups through the identity sync, 20 ms per AWS call. */
export default async function iamIdentities(): Promise<BenchResult> {
  const interceptor = fakeAwsInterceptor(syntheticAccount(), fakeServices, { latencyMs: LATENCY_MS });
  const ctx = benchContext(awsAccountPlugin, { 'aws-regions': 'eu-central-1' }, interceptor, ['identity-store']);
  const { out, finish } = benchOutputs();
  return measure('iam-identities (20k users, 2k groups, 20 ms/call)', ctx, async () => {
    await awsAccountPlugin.syncs.identityStore!(ctx, out);
    const streams = await finish();
    const minPages = Math.ceil((USERS + GROUPS) / PAGE);
    const calls = ctx.calls.total;
    return { users: streams.users?.records ?? 0, groups: streams.groups?.records ?? 0, minPages, calls, callsPerMinPage: (calls / minPages).toFixed(2) };
  });
}

await runIfMain(import.meta.url, iamIdentities);
