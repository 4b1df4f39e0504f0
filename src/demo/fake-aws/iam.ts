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

export const iamService: FakeService = {
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
