import type { FakeIdentityCenter } from '../../src/demo/fake-aws/types.js';
import type { HttpScenario } from '../types.js';

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
const identityCenter: HttpScenario = {
  name: 'identity-center',
  title: `identity-center (20k users, 2k groups, 100k memberships, ${LATENCY_MS} ms/call, ${TPS} TPS)`,
  latencyMs: LATENCY_MS,
  account: () => ({ accountId: '999999999999', callerArn: 'arn:aws:iam::999999999999:user/bench', iam: { users: [], groups: [], roles: [], policies: [] }, s3: { buckets: [], accessPoints: [] }, glue: {}, identityCenter: syntheticIdentityCenter() }),
  target: { 'connector-name': 'aws-organization', 'aws-region': 'eu-central-1', 'aws-identity-store-id': STORE, 'aws-identity-center-rate-limit': TPS },
  pageBound(account) {
    const pages = pageBound(account.identityCenter!);
    // The Identity Store's quota, not the latency, sets the pace: 20 calls a second.
    return { pages, concurrency: 1, msPerPage: 1000 / TPS, explain: `${pages} Identity Store pages of ${PAGE} (users, groups, each group's members) at ${TPS} requests per second` };
  },
  check({ records }) {
    return records.users === USERS && records.groups === GROUPS ? [] : [`${records.users} users and ${records.groups} groups, not ${USERS} and ${GROUPS}`];
  },
};

export default identityCenter;
