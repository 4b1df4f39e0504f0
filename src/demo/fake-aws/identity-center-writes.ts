import { createHash } from 'node:crypto';
import { awsError } from './errors.js';
import type { FakeAccount, FakeIdentityCenter, FakePermissionSet, FakeService } from './types.js';

/**
 * The Identity Center calls of the permission set export, answered in memory so the demo, the
 * bench and the round-trip tests export permission sets and import them back. Asynchronous
 * operations (assignments, provisioning) end at once with SUCCEEDED, as moto answers them.
 */

const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const notFound = (what: string) => awsError('ResourceNotFoundException', 400, `${what} not found`);

function center(account: FakeAccount): FakeIdentityCenter {
  if (!account.identityCenter) throw awsError('AccessDeniedException', 400, 'IAM Identity Center is not enabled in the sample account');
  return account.identityCenter;
}

function instance(account: FakeAccount, input: Record<string, unknown>): FakeIdentityCenter {
  const ic = center(account);
  if (!ic.instances.some((i) => i.instanceArn === input.InstanceArn)) throw notFound(`instance ${text(input.InstanceArn)}`);
  return ic;
}

function set(account: FakeAccount, input: Record<string, unknown>): FakePermissionSet {
  const found = instance(account, input).permissionSets.find((p) => p.arn === input.PermissionSetArn);
  if (!found) throw notFound(`permission set ${text(input.PermissionSetArn)}`);
  return found;
}

/** Answers of asynchronous operations by request id (the Describe*Status calls read them back). */
const requests = new WeakMap<FakeIdentityCenter, Map<string, Record<string, unknown>>>();

function finished(account: FakeAccount, fields: Record<string, unknown>): Record<string, unknown> {
  const ic = center(account);
  let byId = requests.get(ic);
  if (!byId) requests.set(ic, (byId = new Map()));
  const RequestId = `${createHash('sha256').update(`${byId.size}:${JSON.stringify(fields)}`).digest('hex').slice(0, 8)}-0000-4000-8000-${String(byId.size).padStart(12, '0')}`;
  const status = { ...fields, RequestId, Status: 'SUCCEEDED' };
  byId.set(RequestId, status);
  return status;
}

function status(account: FakeAccount, id: unknown): Record<string, unknown> {
  const found = requests.get(center(account))?.get(text(id));
  if (!found) throw notFound(`request ${text(id)}`);
  return found;
}

function provision(s: FakePermissionSet, accountId: unknown): void {
  if (!s.provisionedTo.includes(text(accountId))) s.provisionedTo.push(text(accountId));
}

export const ssoAdminWrites: FakeService = {
  ListPermissionSets(input, { account }) {
    return { PermissionSets: instance(account, input).permissionSets.map((p) => p.arn) };
  },
  ListAccountsForProvisionedPermissionSet(input, { account }) {
    return { AccountIds: [...set(account, input).provisionedTo] };
  },
  CreatePermissionSet(input, { account }) {
    const ic = instance(account, input);
    const name = text(input.Name);
    if (ic.permissionSets.some((p) => p.name === name)) throw awsError('ConflictException', 400, `permission set ${name} already exists`);
    const id = createHash('sha256').update(`${text(input.InstanceArn)}/${name}`).digest('hex').slice(0, 16);
    const arn = `${text(input.InstanceArn).replace(':instance/', ':permissionSet/')}/ps-${id}`;
    ic.permissionSets.push({ arn, name, description: text(input.Description) || undefined, tags: (input.Tags as { Key: string; Value: string }[] | undefined) ?? [], provisionedTo: [], assignments: [] });
    return { PermissionSet: { PermissionSetArn: arn, Name: name, Description: input.Description } };
  },
  UpdatePermissionSet(input, { account }) {
    set(account, input).description = text(input.Description) || undefined;
    return {};
  },
  DeletePermissionSet(input, { account }) {
    const ic = instance(account, input);
    ic.permissionSets.splice(ic.permissionSets.indexOf(set(account, input)), 1);
    return {};
  },
  PutInlinePolicyToPermissionSet(input, { account }) {
    set(account, input).inlinePolicy = text(input.InlinePolicy);
    return {};
  },
  DeleteInlinePolicyFromPermissionSet(input, { account }) {
    set(account, input).inlinePolicy = undefined;
    return {};
  },
  AttachManagedPolicyToPermissionSet(input, { account }) {
    const s = set(account, input);
    const arn = text(input.ManagedPolicyArn);
    s.managedPolicies = [...(s.managedPolicies ?? []).filter((p) => p.Arn !== arn), { Arn: arn, Name: arn.slice(arn.lastIndexOf('/') + 1) }];
    return {};
  },
  DetachManagedPolicyFromPermissionSet(input, { account }) {
    const s = set(account, input);
    s.managedPolicies = (s.managedPolicies ?? []).filter((p) => p.Arn !== input.ManagedPolicyArn);
    return {};
  },
  AttachCustomerManagedPolicyReferenceToPermissionSet(input, { account }) {
    const s = set(account, input);
    const ref = input.CustomerManagedPolicyReference as { Name: string; Path?: string };
    s.customerManagedPolicies = [...(s.customerManagedPolicies ?? []), { Name: ref.Name, Path: ref.Path ?? '/' }];
    return {};
  },
  DetachCustomerManagedPolicyReferenceFromPermissionSet(input, { account }) {
    const s = set(account, input);
    const ref = input.CustomerManagedPolicyReference as { Name: string; Path?: string };
    s.customerManagedPolicies = (s.customerManagedPolicies ?? []).filter((c) => !(c.Name === ref.Name && (c.Path ?? '/') === (ref.Path ?? '/')));
    return {};
  },
  CreateAccountAssignment(input, { account }) {
    const s = set(account, input);
    const a = { accountId: text(input.TargetId), principalType: input.PrincipalType as 'USER' | 'GROUP', principalId: text(input.PrincipalId) };
    if (!s.assignments.some((x) => x.accountId === a.accountId && x.principalType === a.principalType && x.principalId === a.principalId)) s.assignments.push(a);
    provision(s, input.TargetId);
    return { AccountAssignmentCreationStatus: finished(account, { TargetId: a.accountId, TargetType: 'AWS_ACCOUNT', PermissionSetArn: s.arn, PrincipalType: a.principalType, PrincipalId: a.principalId }) };
  },
  DeleteAccountAssignment(input, { account }) {
    const s = set(account, input);
    s.assignments = s.assignments.filter((x) => !(x.accountId === input.TargetId && x.principalType === input.PrincipalType && x.principalId === input.PrincipalId));
    return { AccountAssignmentDeletionStatus: finished(account, { TargetId: input.TargetId, TargetType: 'AWS_ACCOUNT', PermissionSetArn: s.arn, PrincipalType: input.PrincipalType, PrincipalId: input.PrincipalId }) };
  },
  ProvisionPermissionSet(input, { account }) {
    const s = set(account, input);
    provision(s, input.TargetId);
    return { PermissionSetProvisioningStatus: finished(account, { AccountId: input.TargetId, PermissionSetArn: s.arn }) };
  },
  DescribePermissionSetProvisioningStatus(input, { account }) {
    return { PermissionSetProvisioningStatus: status(account, input.ProvisionPermissionSetRequestId) };
  },
  DescribeAccountAssignmentCreationStatus(input, { account }) {
    return { AccountAssignmentCreationStatus: status(account, input.AccountAssignmentCreationRequestId) };
  },
  DescribeAccountAssignmentDeletionStatus(input, { account }) {
    return { AccountAssignmentDeletionStatus: status(account, input.AccountAssignmentDeletionRequestId) };
  },
};

function store(account: FakeAccount, id: unknown): FakeIdentityCenter {
  const ic = center(account);
  if (!ic.instances.some((i) => i.identityStoreId === id)) throw notFound(`identity store ${text(id)}`);
  return ic;
}

const attributeValue = (input: Record<string, unknown>): string => text((input.AlternateIdentifier as { UniqueAttribute?: { AttributeValue?: unknown } } | undefined)?.UniqueAttribute?.AttributeValue);

export const identityStoreLookups: FakeService = {
  GetUserId(input, { account }) {
    const name = attributeValue(input);
    const user = store(account, input.IdentityStoreId).users.find((u) => u.UserName === name);
    if (!user) throw notFound(`user ${name}`);
    return { UserId: user.UserId, IdentityStoreId: input.IdentityStoreId };
  },
  GetGroupId(input, { account }) {
    const name = attributeValue(input);
    const group = store(account, input.IdentityStoreId).groups.find((g) => g.DisplayName === name);
    if (!group) throw notFound(`group ${name}`);
    return { GroupId: group.GroupId, IdentityStoreId: input.IdentityStoreId };
  },
};
