import type { GroupDetail, UserDetail } from '@aws-sdk/client-iam';

/** The sample company's account id (AWS's documentation example id). */
export const sampleAccountId = '111122223333';

const created = new Date('2024-01-15T09:00:00Z');

/** Stable, readable ids so demo output is the same on every run. */
function id(prefix: string, name: string): string {
  return `${prefix}${name.toUpperCase().replace(/[^A-Z0-9]/g, '').padEnd(17, 'X').slice(0, 17)}`;
}

function user(name: string, groups: string[], tags: Record<string, string> = {}): UserDetail {
  return {
    UserName: name,
    UserId: id('AIDA', name),
    Arn: `arn:aws:iam::${sampleAccountId}:user/${name}`,
    Path: '/',
    CreateDate: created,
    GroupList: groups,
    Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    UserPolicyList: [],
    AttachedManagedPolicies: [],
  };
}

function group(name: string): GroupDetail {
  return {
    GroupName: name,
    GroupId: id('AGPA', name),
    Arn: `arn:aws:iam::${sampleAccountId}:group/${name}`,
    Path: '/',
    CreateDate: created,
    GroupPolicyList: [],
    AttachedManagedPolicies: [],
  };
}

export const sampleGroups: GroupDetail[] = [group('analysts'), group('data-engineers'), group('finance'), group('admins')];

export const sampleUsers: UserDetail[] = [
  user('alice', ['analysts'], { Email: 'alice@acme.example', team: 'sales-analytics' }),
  user('bob', ['analysts', 'finance'], { email: 'bob@acme.example' }),
  user('carol', ['data-engineers'], { 'contact-email': 'carol@acme.example' }),
  user('dave', ['data-engineers', 'admins'], { Email: 'dave@acme.example' }),
  user('erin', ['finance'], { Email: 'erin@acme.example' }),
  user('frank', ['finance'], { Email: 'frank@acme.example' }),
  user('grace', ['admins'], { Email: 'grace@acme.example' }),
  user('heidi', ['analysts'], { Email: 'heidi@acme.example', department: 'marketing' }),
  user('ivan', ['data-engineers'], { Email: 'ivan@acme.example' }),
  user('judy', ['analysts', 'data-engineers'], { Email: 'judy@acme.example' }),
  user('mallory', [], { Email: 'mallory@contractor.example', contractor: 'true' }),
  user('svc-etl', ['data-engineers'], { purpose: 'nightly ETL' }),
  user('svc-backup', [], { purpose: 'backups' }),
];
