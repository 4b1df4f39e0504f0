import type { GroupDetail, ManagedPolicyDetail, RoleDetail, UserDetail } from '@aws-sdk/client-iam';
import { awsError } from './errors.js';
import type { FakeAccount, FakeService } from './types.js';

type Entity =
  | { kind: 'User'; detail: UserDetail }
  | { kind: 'Group'; detail: GroupDetail }
  | { kind: 'Role'; detail: RoleDetail }
  | { kind: 'LocalManagedPolicy' | 'AWSManagedPolicy'; detail: ManagedPolicyDetail };

function policyKind(p: ManagedPolicyDetail): 'AWSManagedPolicy' | 'LocalManagedPolicy' {
  return p.Arn?.startsWith('arn:aws:iam::aws:') ? 'AWSManagedPolicy' : 'LocalManagedPolicy';
}

/** IAM pages with a numeric marker over one list, as IAM's Marker/IsTruncated/MaxItems work. */
function page<T>(items: T[], input: Record<string, unknown>, defaultMax = 100): { slice: T[]; IsTruncated: boolean; Marker?: string } {
  const start = input.Marker ? Number(input.Marker) : 0;
  const max = Math.min(Number(input.MaxItems ?? defaultMax), 1000);
  const slice = items.slice(start, start + max);
  const next = start + slice.length;
  return next < items.length ? { slice, IsTruncated: true, Marker: String(next) } : { slice, IsTruncated: false };
}

// Entities in the order GetAccountAuthorizationDetails serves them, cached per account and filter.
const entityCache = new WeakMap<FakeAccount, Map<string, Entity[]>>();

/** After a write (the export): the next GetAccountAuthorizationDetails lists the account anew. */
export function forgetEntities(account: FakeAccount): void {
  entityCache.delete(account);
}

function entities(account: FakeAccount, filter: string[] | undefined): Entity[] {
  const key = (filter ?? []).join(',');
  let byFilter = entityCache.get(account);
  if (!byFilter) entityCache.set(account, (byFilter = new Map()));
  let list = byFilter.get(key);
  if (!list) {
    const all: Entity[] = [
      ...account.iam.users.map((detail) => ({ kind: 'User' as const, detail })),
      ...account.iam.groups.map((detail) => ({ kind: 'Group' as const, detail })),
      ...account.iam.roles.map((detail) => ({ kind: 'Role' as const, detail })),
      ...account.iam.policies.map((detail) => ({ kind: policyKind(detail), detail })),
    ];
    list = filter && filter.length > 0 ? all.filter((e) => filter.includes(e.kind)) : all;
    byFilter.set(key, list);
  }
  return list;
}

function findUser(account: FakeAccount, name: unknown): UserDetail {
  const user = account.iam.users.find((u) => u.UserName === name);
  if (!user) throw awsError('NoSuchEntity', 404, `The user with name ${String(name)} cannot be found.`);
  return user;
}

/** The columns of AWS's credential report, in AWS's order. */
const REPORT_COLUMNS = [
  'user', 'arn', 'user_creation_time', 'password_enabled', 'password_last_used', 'password_last_changed', 'password_next_rotation', 'mfa_active',
  'access_key_1_active', 'access_key_1_last_rotated', 'access_key_1_last_used_date', 'access_key_1_last_used_region', 'access_key_1_last_used_service',
  'access_key_2_active', 'access_key_2_last_rotated', 'access_key_2_last_used_date', 'access_key_2_last_used_region', 'access_key_2_last_used_service',
  'cert_1_active', 'cert_1_last_rotated', 'cert_2_active', 'cert_2_last_rotated',
];

/** A user without password, MFA, keys or certificates, as AWS reports one. */
const REPORT_DEFAULTS: Record<string, string> = {
  password_enabled: 'false', password_last_used: 'N/A', password_last_changed: 'N/A', password_next_rotation: 'N/A', mfa_active: 'false',
  access_key_1_active: 'false', access_key_1_last_rotated: 'N/A', access_key_1_last_used_date: 'N/A', access_key_1_last_used_region: 'N/A', access_key_1_last_used_service: 'N/A',
  access_key_2_active: 'false', access_key_2_last_rotated: 'N/A', access_key_2_last_used_date: 'N/A', access_key_2_last_used_region: 'N/A', access_key_2_last_used_service: 'N/A',
  cert_1_active: 'false', cert_1_last_rotated: 'N/A', cert_2_active: 'false', cert_2_last_rotated: 'N/A',
};

const ROOT_DEFAULTS: Record<string, string> = { password_enabled: 'not_supported', password_last_changed: 'not_supported', password_next_rotation: 'not_supported' };

function reportCell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The report's CSV: the root row, then one row per user. */
function credentialReport(account: FakeAccount): string {
  const cells = account.iam.credentials ?? {};
  const created = (d: Date | undefined) => (d ?? new Date('2024-01-15T08:00:00Z')).toISOString().replace('.000Z', '+00:00');
  const rows = [
    { user: '<root_account>', arn: `arn:aws:iam::${account.accountId}:root`, user_creation_time: created(undefined), ...REPORT_DEFAULTS, ...ROOT_DEFAULTS, ...cells['<root_account>'] },
    ...account.iam.users.map((u) => ({ user: u.UserName ?? '', arn: u.Arn ?? '', user_creation_time: created(u.CreateDate), ...REPORT_DEFAULTS, ...cells[u.UserName ?? ''] })),
  ];
  const lines = [REPORT_COLUMNS.join(','), ...rows.map((row) => REPORT_COLUMNS.map((c) => reportCell((row as Record<string, string>)[c] ?? 'N/A')).join(','))];
  return `${lines.join('\n')}\n`;
}

// GenerateCredentialReport calls per account, to answer STARTED before COMPLETE.
const reportRequests = new WeakMap<FakeAccount, number>();

export const iamService: FakeService = {
  GenerateCredentialReport(_input, { account }) {
    const seen = reportRequests.get(account) ?? 0;
    reportRequests.set(account, seen + 1);
    return seen < (account.iam.credentialReportReadyAfter ?? 0) ? { State: seen === 0 ? 'STARTED' : 'INPROGRESS' } : { State: 'COMPLETE' };
  },
  GetCredentialReport(_input, { account }) {
    const seen = reportRequests.get(account) ?? 0;
    if (seen === 0) throw awsError('CredentialReportNotPresentException', 410, 'Credential report not present');
    if (seen <= (account.iam.credentialReportReadyAfter ?? 0)) throw awsError('CredentialReportNotReadyException', 404, 'Credential report is being generated');
    return { Content: new TextEncoder().encode(credentialReport(account)), ReportFormat: 'text/csv', GeneratedTime: new Date('2026-11-30T06:00:00Z') };
  },
  GetAccountAuthorizationDetails(input, { account }) {
    const { slice, IsTruncated, Marker } = page(entities(account, input.Filter as string[] | undefined), input);
    return {
      UserDetailList: slice.flatMap((e) => (e.kind === 'User' ? [e.detail] : [])),
      GroupDetailList: slice.flatMap((e) => (e.kind === 'Group' ? [e.detail] : [])),
      RoleDetailList: slice.flatMap((e) => (e.kind === 'Role' ? [e.detail] : [])),
      Policies: slice.flatMap((e) => (e.kind === 'LocalManagedPolicy' || e.kind === 'AWSManagedPolicy' ? [e.detail] : [])),
      IsTruncated,
      Marker,
    };
  },
  ListUsers(input, { account }) {
    const { slice, IsTruncated, Marker } = page(account.iam.users, input);
    return { Users: slice.map(({ UserName, UserId, Arn, Path, CreateDate }) => ({ UserName, UserId, Arn, Path, CreateDate })), IsTruncated, Marker };
  },
  ListGroups(input, { account }) {
    const { slice, IsTruncated, Marker } = page(account.iam.groups, input);
    return { Groups: slice.map(({ GroupName, GroupId, Arn, Path, CreateDate }) => ({ GroupName, GroupId, Arn, Path, CreateDate })), IsTruncated, Marker };
  },
  GetGroup(input, { account }) {
    const group = account.iam.groups.find((g) => g.GroupName === input.GroupName);
    if (!group) throw awsError('NoSuchEntity', 404, `The group with name ${String(input.GroupName)} cannot be found.`);
    const members = account.iam.users.filter((u) => u.GroupList?.includes(group.GroupName ?? ''));
    const { slice, IsTruncated, Marker } = page(members, input);
    return { Group: group, Users: slice.map(({ UserName, UserId, Arn }) => ({ UserName, UserId, Arn })), IsTruncated, Marker };
  },
  ListUserTags(input, { account }) {
    const { slice, IsTruncated, Marker } = page(findUser(account, input.UserName).Tags ?? [], input);
    return { Tags: slice, IsTruncated, Marker };
  },
};

export const stsService: FakeService = {
  GetCallerIdentity(_input, { account }) {
    return { Account: account.accountId, Arn: account.callerArn, UserId: 'AIDASAMPLECALLER' };
  },
};
