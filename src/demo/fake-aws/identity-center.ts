import { awsError } from './errors.js';
import type { FakeAccount, FakeIdentityCenter, FakePermissionSet, FakeService } from './types.js';

/** Identity Center pages with a numeric NextToken over one list (MaxResults up to `max`). */
function page<T>(items: readonly T[], input: Record<string, unknown>, max: number): { slice: T[]; NextToken?: string } {
  const start = input.NextToken ? Number(input.NextToken) : 0;
  const size = Math.min(Number(input.MaxResults ?? max), max);
  const slice = items.slice(start, start + size);
  const next = start + slice.length;
  return next < items.length ? { slice, NextToken: String(next) } : { slice };
}

function center(account: FakeAccount): FakeIdentityCenter {
  if (!account.identityCenter) throw awsError('AccessDeniedException', 400, 'IAM Identity Center is not enabled in the sample account');
  return account.identityCenter;
}

function instanceOf(account: FakeAccount, arn: unknown): void {
  if (!center(account).instances.some((i) => i.instanceArn === arn)) throw awsError('ResourceNotFoundException', 400, `instance ${String(arn)} not found`);
}

function storeOf(account: FakeAccount, id: unknown): FakeIdentityCenter {
  const ic = center(account);
  if (!ic.instances.some((i) => i.identityStoreId === id)) throw awsError('ResourceNotFoundException', 400, `identity store ${String(id)} not found`);
  return ic;
}

function permissionSet(account: FakeAccount, input: Record<string, unknown>): FakePermissionSet {
  instanceOf(account, input.InstanceArn);
  const arn = input.PermissionSetArn ?? input.ResourceArn;
  const found = center(account).permissionSets.find((p) => p.arn === arn);
  if (!found) throw awsError('ResourceNotFoundException', 400, `permission set ${String(arn)} not found`);
  return found;
}

// Members by group, built once per Identity Center (the bench has 100,000 memberships).
const membersCache = new WeakMap<FakeIdentityCenter, Map<string, { groupId: string; userId: string }[]>>();

function membersOf(ic: FakeIdentityCenter, groupId: string): { groupId: string; userId: string }[] {
  let byGroup = membersCache.get(ic);
  if (!byGroup) {
    byGroup = new Map();
    for (const m of ic.memberships) {
      const list = byGroup.get(m.groupId);
      if (list) list.push(m);
      else byGroup.set(m.groupId, [m]);
    }
    membersCache.set(ic, byGroup);
  }
  return byGroup.get(groupId) ?? [];
}

export const ssoAdminService: FakeService = {
  ListInstances(input, { account }) {
    const { slice, NextToken } = page(center(account).instances, input, 100);
    return { Instances: slice.map((i) => ({ InstanceArn: i.instanceArn, IdentityStoreId: i.identityStoreId, Status: 'ACTIVE', OwnerAccountId: account.accountId })), NextToken };
  },
  ListPermissionSetsProvisionedToAccount(input, { account }) {
    instanceOf(account, input.InstanceArn);
    const arns = center(account).permissionSets.filter((p) => p.provisionedTo.includes(String(input.AccountId))).map((p) => p.arn);
    const { slice, NextToken } = page(arns, input, 100);
    return { PermissionSets: slice, NextToken };
  },
  DescribePermissionSet(input, { account }) {
    const p = permissionSet(account, input);
    return { PermissionSet: { PermissionSetArn: p.arn, Name: p.name, Description: p.description, SessionDuration: 'PT1H' } };
  },
  GetInlinePolicyForPermissionSet(input, { account }) {
    return { InlinePolicy: permissionSet(account, input).inlinePolicy ?? '' };
  },
  ListManagedPoliciesInPermissionSet(input, { account }) {
    const { slice, NextToken } = page(permissionSet(account, input).managedPolicies ?? [], input, 100);
    return { AttachedManagedPolicies: slice, NextToken };
  },
  ListCustomerManagedPolicyReferencesInPermissionSet(input, { account }) {
    const { slice, NextToken } = page(permissionSet(account, input).customerManagedPolicies ?? [], input, 100);
    return { CustomerManagedPolicyReferences: slice.map((r) => ({ Name: r.Name, Path: r.Path ?? '/' })), NextToken };
  },
  GetPermissionsBoundaryForPermissionSet(input, { account }) {
    const boundary = permissionSet(account, input).permissionsBoundary;
    if (!boundary) throw awsError('ResourceNotFoundException', 400, 'the permission set has no permissions boundary');
    return { PermissionsBoundary: boundary };
  },
  ListTagsForResource(input, { account }) {
    const { slice, NextToken } = page(permissionSet(account, input).tags ?? [], input, 50);
    return { Tags: slice, NextToken };
  },
  ListAccountAssignments(input, { account }) {
    const p = permissionSet(account, input);
    const mine = p.assignments.filter((a) => a.accountId === input.AccountId);
    const { slice, NextToken } = page(mine, input, 100);
    return {
      AccountAssignments: slice.map((a) => ({ AccountId: a.accountId, PermissionSetArn: p.arn, PrincipalType: a.principalType, PrincipalId: a.principalId })),
      NextToken,
    };
  },
};

export const identityStoreService: FakeService = {
  ListUsers(input, { account }) {
    const { slice, NextToken } = page(storeOf(account, input.IdentityStoreId).users, input, 100);
    return { Users: slice, NextToken };
  },
  ListGroups(input, { account }) {
    const { slice, NextToken } = page(storeOf(account, input.IdentityStoreId).groups, input, 100);
    return { Groups: slice, NextToken };
  },
  ListGroupMemberships(input, { account }) {
    const ic = storeOf(account, input.IdentityStoreId);
    const { slice, NextToken } = page(membersOf(ic, String(input.GroupId)), input, 100);
    return {
      GroupMemberships: slice.map((m) => ({ IdentityStoreId: input.IdentityStoreId, MembershipId: `${m.groupId}:${m.userId}`, GroupId: m.groupId, MemberId: { UserId: m.userId } })),
      NextToken,
    };
  },
  DescribeUser(input, { account }) {
    const user = storeOf(account, input.IdentityStoreId).users.find((u) => u.UserId === input.UserId);
    if (!user) throw awsError('ResourceNotFoundException', 400, `user ${String(input.UserId)} not found`);
    return { ...user, IdentityStoreId: input.IdentityStoreId };
  },
  DescribeGroup(input, { account }) {
    const group = storeOf(account, input.IdentityStoreId).groups.find((g) => g.GroupId === input.GroupId);
    if (!group) throw awsError('ResourceNotFoundException', 400, `group ${String(input.GroupId)} not found`);
    return { ...group, IdentityStoreId: input.IdentityStoreId };
  },
};
