import type { GroupDetail, UserDetail } from '@aws-sdk/client-iam';
import type { FakeAccount } from '../../src/demo/fake-aws/types.js';
import { gaadPages } from '../gaad-pages.js';
import type { HttpScenario } from '../types.js';

const USERS = 20_000;
const GROUPS = 2_000;
const LATENCY_MS = 20;

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

/** 20,000 users and 2,000 groups through the identity sync with a recent credential report, 20 ms per AWS call. */
const iamIdentities: HttpScenario = {
  name: 'iam-identities',
  title: `iam-identities (20k users, 2k groups, a recent credential report, ${LATENCY_MS} ms/call)`,
  latencyMs: LATENCY_MS,
  account: syntheticAccount,
  target: { 'aws-regions': 'eu-central-1', 'skip-data-source-sync': true, 'skip-data-access-sync': true, 'skip-data-usage-sync': true },
  pageBound(account) {
    // The identity sync alone asks for users and groups; the report's two calls (Generate, Get) run beside the pages.
    const gaad = gaadPages(account, ['User', 'Group'], undefined, LATENCY_MS);
    return { pages: gaad.pages, concurrency: gaad.concurrency, explain: `${gaad.explain} (the 2 credential report calls run beside them)` };
  },
  check({ calls, records }, account) {
    const problems: string[] = [];
    const gaad = gaadPages(account, ['User', 'Group']).pages;
    const expected = { 'IAM.GenerateCredentialReport': 1, 'IAM.GetAccountAuthorizationDetails': gaad, 'IAM.GetCredentialReport': 1 };
    if (JSON.stringify(calls) !== JSON.stringify(expected)) problems.push(`calls ${JSON.stringify(calls)}, not the page bound ${JSON.stringify(expected)}`);
    // The credential report adds the root user.
    if (records.users !== USERS + 1 || records.groups !== GROUPS) problems.push(`${records.users} users and ${records.groups} groups, not ${USERS} + root and ${GROUPS}`);
    return problems;
  },
};

export default iamIdentities;
