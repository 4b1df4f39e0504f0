import type { FakeAccount, FakeIdentityCenter } from '../../src/demo/fake-aws/types.js';
import { fakeAwsInterceptor } from '../../src/demo/fake-aws/interceptor.js';
import { fakeServices } from '../../src/demo/fake-aws/services.js';
import { awsOrganizationPlugin } from '../../src/plugins/aws-organization/index.js';
import { benchContext, benchOutputs, measure, runIfMain } from '../context.js';
import type { BenchResult } from '../types.js';

const USERS = 20_000;
const GROUPS = 2_000;
const MEMBERSHIPS = 100_000;
const LATENCY_MS = 20;
const TPS = 20;
/** The Identity Store API serves at most 100 items a page. */
const PAGE = 100;
const STORE = 'd-0000000001';

function syntheticIdentityCenter(): FakeIdentityCenter {
  const users = Array.from({ length: USERS }, (_, u) => ({
    UserId: `user-${u}`,
    UserName: `user-${u}@example.com`,
    DisplayName: `User ${u}`,
    Emails: [{ Value: `user-${u}@example.com`, Primary: true }],
    IdentityStoreId: STORE,
  }));
  const groups = Array.from({ length: GROUPS }, (_, g) => ({ GroupId: `group-${g}`, DisplayName: `Group ${g}`, Description: `team ${g}`, IdentityStoreId: STORE }));
  const perGroup = MEMBERSHIPS / GROUPS;
  const memberships = Array.from({ length: MEMBERSHIPS }, (_, i) => {
    const g = Math.floor(i / perGroup);
    return { groupId: `group-${g}`, userId: `user-${(g * perGroup + (i % perGroup)) % USERS}` };
  });
  return { instances: [{ instanceArn: 'arn:aws:sso:::instance/ssoins-0000000000000001', identityStoreId: STORE }], users, groups, memberships, permissionSets: [] };
}

/** The lowest number of calls the Identity Store API allows: every page of users and groups, and of each group's members (at least one per group). */
function pageBound(ic: FakeIdentityCenter): number {
  const members = new Map<string, number>();
  for (const m of ic.memberships) members.set(m.groupId, (members.get(m.groupId) ?? 0) + 1);
  let bound = Math.ceil(ic.users.length / PAGE) + Math.ceil(ic.groups.length / PAGE);
  for (const g of ic.groups) bound += Math.max(1, Math.ceil((members.get(g.GroupId!) ?? 0) / PAGE));
  return bound;
}

/** 20,000 Identity Center users, 2,000 groups and 100,000 memberships at 20 ms per call and 20 requests per second. */
export default async function identityCenter(): Promise<BenchResult> {
  const ic = syntheticIdentityCenter();
  const account: FakeAccount = { accountId: '999999999999', callerArn: 'arn:aws:iam::999999999999:user/bench', iam: { users: [], groups: [], roles: [], policies: [] }, s3: { buckets: [], accessPoints: [] }, glue: {}, identityCenter: ic };
  const interceptor = fakeAwsInterceptor(account, fakeServices, { latencyMs: LATENCY_MS });
  const ctx = benchContext(awsOrganizationPlugin, { 'aws-region': 'eu-central-1', 'aws-identity-store-id': STORE, 'aws-identity-center-rate-limit': TPS }, interceptor, ['identity-store']);
  const { out, finish } = benchOutputs();
  const bound = pageBound(ic);
  return measure(`identity-center (20k users, 2k groups, 100k memberships, ${LATENCY_MS} ms/call, ${TPS} TPS)`, ctx, async () => {
    const started = performance.now();
    await awsOrganizationPlugin.syncs.identityStore!(ctx, out);
    const wallMs = performance.now() - started;
    const streams = await finish();
    awsOrganizationPlugin.close?.(ctx);
    const calls = ctx.calls.total;
    const wallBoundMs = (calls / TPS) * 1000;
    return {
      users: streams.users?.records ?? 0,
      groups: streams.groups?.records ?? 0,
      pageBound: bound,
      calls,
      callsPerPageBound: (calls / bound).toFixed(3),
      wallBoundMs: Math.round(wallBoundMs),
      wallPerBound: (wallMs / wallBoundMs).toFixed(3),
    };
  });
}

await runIfMain(import.meta.url, identityCenter);
