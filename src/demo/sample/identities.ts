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

/** Credential report cells of the sample users (the others have no password, MFA or keys). */
export const sampleCredentials: Record<string, Record<string, string>> = {
  '<root_account>': { mfa_active: 'true', password_last_used: '2026-06-02T08:15:00+00:00' },
  alice: { password_enabled: 'true', password_last_used: '2026-11-27T16:40:12+00:00', password_last_changed: '2026-08-03T10:00:00+00:00', mfa_active: 'true' },
  dave: { password_enabled: 'true', password_last_used: '2026-11-29T07:55:41+00:00', password_last_changed: '2025-02-11T12:30:00+00:00', mfa_active: 'false' },
  mallory: { password_enabled: 'true', password_last_used: 'no_information', password_last_changed: '2024-01-15T09:00:00+00:00', mfa_active: 'false' },
  'svc-etl': {
    access_key_1_active: 'true',
    access_key_1_last_rotated: '2025-03-01T00:00:00+00:00',
    access_key_1_last_used_date: '2026-11-30T02:00:00+00:00',
    access_key_1_last_used_region: 'eu-central-1',
    access_key_1_last_used_service: 's3',
    access_key_2_active: 'false',
    access_key_2_last_rotated: '2024-01-15T09:00:00+00:00',
    access_key_2_last_used_date: '2024-11-02T03:00:00+00:00',
    access_key_2_last_used_region: 'eu-central-1',
    access_key_2_last_used_service: 'glue',
  },
  'svc-backup': { access_key_1_active: 'true', access_key_1_last_rotated: '2024-01-15T09:00:00+00:00' },
};
