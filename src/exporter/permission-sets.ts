import { AttachCustomerManagedPolicyReferenceToPermissionSetCommand, AttachManagedPolicyToPermissionSetCommand, CreateAccountAssignmentCommand, CreatePermissionSetCommand, DeleteAccountAssignmentCommand, DeleteInlinePolicyFromPermissionSetCommand, DeletePermissionSetCommand, DescribeAccountAssignmentCreationStatusCommand, DescribeAccountAssignmentDeletionStatusCommand, DescribePermissionSetProvisioningStatusCommand, DetachCustomerManagedPolicyReferenceFromPermissionSetCommand, DetachManagedPolicyFromPermissionSetCommand, ProvisionPermissionSetCommand, PutInlinePolicyToPermissionSetCommand, UpdatePermissionSetCommand } from '../aws/sdk/sso-admin.js';
import type { AccessProviderToExport } from '../model/index.js';
import { sameDocument } from './documents.js';
import { CREATOR_TAG } from './existing-iam.js';
import { guardChange, passesGuard, type GuardDecision } from './guard.js';
import { iamNameRules } from './naming.js';
import { accountsOf, detailsOf, loadPermissionSets, principalIdOf, tagsOf, type Assignment, type ExistingSet, type PermissionSetState, type PrincipalType } from './permission-set-state.js';
import { iamDescription } from './roles.js';
import { policyDocument, statementsFor } from './statements.js';
import { emptyPlan, resourceKey, type ExportContext, type PlannedCall, type ProviderPlan, type ResourceChange, type ResourceType, type TypedProvider } from './types.js';

/** Permission set names: 1-32 characters of `[\w+=,.@-]`. */
export const permissionSetNameRules = iamNameRules(32);

/** AWS limit of a permission set's inline policy, in characters. */
export const PERMISSION_SET_INLINE_CHARS = 32_768;

const EXTERNAL_ID_PREFIX = 'permissionset:';
/** The ARN of a created permission set, as CreatePermissionSet answers it. */
const NEW_ARN = '{{permissionSetArn}}';

export function permissionSetExternalId(arn: string): string {
  return `${EXTERNAL_ID_PREFIX}${arn}`;
}

/** Identity Center tag values: letters, digits, spaces and `_ . : / = + - @`, up to 256 characters. */
const tagValue = (text: string) => text.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, '_').slice(0, 256);

/**
 * The tags of a new permission set: creator=RAITO, the owners under the aws-permissionset-owner-*
 * keys (owners with @ are e-mail addresses, `group:<name>` are groups, the rest are names), the
 * account id, and the custom tags. A tag whose value is unknown is left out.
 */
export function permissionSetTags(ex: ExportContext, input: AccessProviderToExport): { Key: string; Value: string }[] {
  const t = ex.options.permissionSetTags;
  const owners = input.owners ?? [];
  const emails = owners.filter((o) => o.includes('@') && !o.startsWith('group:'));
  const groups = owners.filter((o) => o.startsWith('group:')).map((o) => o.slice('group:'.length));
  const names = owners.filter((o) => !o.includes('@') && !o.startsWith('group:'));
  const tags: { Key: string; Value: string }[] = [{ Key: CREATOR_TAG.Key, Value: CREATOR_TAG.Value }];
  const add = (key: string | undefined, values: string[]) => {
    if (key && values.length > 0) tags.push({ Key: key, Value: tagValue(values.join(' ')) });
  };
  add(t.ownerEmailKey, emails);
  add(t.ownerNameKey, names);
  add(t.ownerGroupKey, groups);
  add(t.accountIdKey, [ex.accountId]);
  for (const c of t.custom) if (!tags.some((x) => x.Key === c.key)) tags.push({ Key: c.key, Value: c.value });
  return tags;
}

/** Permission set descriptions: 1-700 characters of printable Latin-1. */
function descriptionOf(input: AccessProviderToExport): string {
  return (iamDescription(input.description) ?? `Access provider ${input.name} of the access governance cloud, exported by the AWS access connector`).slice(0, 700);
}

interface WantedPolicies {
  /** AWS managed policy ARNs. */
  managed: string[];
  customer: { name: string; path: string }[];
  dependsOn: string[];
  warnings: string[];
}

/**
 * The policies `who.inheritFrom` names: `policy:<arn>` (an AWS managed policy is attached, a policy
 * of this account referenced by path and name) or `ID:<id>` of a managed policy provider of this
 * export (created first). Permission sets are assigned in every account by name, so a customer
 * managed policy must exist in this account or be created in this run.
 */
function wantedPolicies(ex: ExportContext, inheritFrom: readonly string[]): WantedPolicies {
  const wanted: WantedPolicies = { managed: [], customer: [], dependsOn: [], warnings: [] };
  const addCustomer = (name: string, path: string) => {
    if (!wanted.customer.some((c) => c.name === name && c.path === path)) wanted.customer.push({ name, path });
  };
  for (const entry of [...new Set(inheritFrom)].sort()) {
    if (entry.startsWith('ID:')) {
      const provider = ex.providers.get(entry.slice(3));
      if (!provider) wanted.warnings.push(`inheritFrom ${entry} names no access provider of this export; left out`);
      else if (provider.type !== 'aws_policy') wanted.warnings.push(`inheritFrom ${entry} names access provider ${provider.input.name} of type ${provider.type}; a permission set can only include managed policies; left out`);
      else if (provider.input.delete) wanted.warnings.push(`inheritFrom ${entry} names policy ${provider.name}, which this export deletes; left out`);
      else {
        const existing = ex.iam.policy(provider.name);
        addCustomer(existing?.PolicyName ?? provider.name, existing?.Path ?? '/');
        wanted.dependsOn.push(resourceKey('aws_policy', provider.name));
      }
      continue;
    }
    const arn = entry.startsWith('policy:') ? entry.slice('policy:'.length) : undefined;
    const match = arn ? /^arn:aws[a-z-]*:iam::(aws|\d{12}):policy(\/(?:.*\/)?)([^/]+)$/.exec(arn) : null;
    if (!arn || !match) {
      wanted.warnings.push(`inheritFrom ${entry} is neither policy:<managed policy ARN> nor ID:<id> of a managed policy; a permission set can only include managed policies; left out`);
      continue;
    }
    const [, owner, path, name] = match as unknown as [string, string, string, string];
    if (owner === 'aws') {
      if (!wanted.managed.includes(arn)) wanted.managed.push(arn);
    } else if (owner !== ex.accountId) {
      wanted.warnings.push(`inheritFrom ${entry} is a policy of account ${owner}; a permission set assigned in ${ex.accountId} can only reference policies of this account; left out`);
    } else if (!ex.iam.policy(name) && ![...ex.providers.values()].some((p) => p.type === 'aws_policy' && !p.input.delete && p.name === name)) {
      wanted.warnings.push(`inheritFrom ${entry}: policy ${name} does not exist in the account; left out`);
    } else {
      addCustomer(name, path);
      const planned = [...ex.providers.values()].find((p) => p.type === 'aws_policy' && !p.input.delete && p.name === name);
      if (planned) wanted.dependsOn.push(resourceKey('aws_policy', planned.name));
    }
  }
  return wanted;
}

/** Users and groups of who as principal ids; names the identity store does not know become warnings. */
async function wantedAssignments(ex: ExportContext, state: PermissionSetState, who: AccessProviderToExport['who']): Promise<{ assignments: (Assignment & { name: string })[]; warnings: string[] }> {
  const warnings: string[] = [];
  const lookups = [...[...new Set(who.users)].sort().map((name) => ['USER', name] as const), ...[...new Set(who.groups)].sort().map((name) => ['GROUP', name] as const)];
  const ids = await Promise.all(lookups.map(([type, name]) => principalIdOf(ex, state, type, name)));
  const assignments: (Assignment & { name: string })[] = [];
  lookups.forEach(([type, name], i) => {
    const id = ids[i];
    if (id) assignments.push({ type, id, name });
    else warnings.push(`${type === 'USER' ? 'user' : 'group'} ${name} does not exist in the IAM Identity Center identity store; left out of who`);
  });
  return { assignments, warnings };
}

const sameAssignment = (a: Assignment, b: Assignment) => a.type === b.type && a.id === b.id;
const principalWord = (type: PrincipalType) => (type === 'USER' ? 'user' : 'group');

function assignmentCall(ex: ExportContext, state: PermissionSetState, arn: string, a: Assignment, create: boolean): PlannedCall {
  const status = create ? 'AccountAssignmentCreationStatus' : 'AccountAssignmentDeletionStatus';
  return {
    service: 'SSOAdmin',
    operation: create ? 'CreateAccountAssignment' : 'DeleteAccountAssignment',
    input: { InstanceArn: state.instanceArn, PermissionSetArn: arn, TargetId: ex.accountId, TargetType: 'AWS_ACCOUNT', PrincipalType: a.type, PrincipalId: a.id },
    saves: { requestId: `${status}.RequestId` },
    poll: {
      operation: create ? 'DescribeAccountAssignmentCreationStatus' : 'DescribeAccountAssignmentDeletionStatus',
      input: { InstanceArn: state.instanceArn, [create ? 'AccountAssignmentCreationRequestId' : 'AccountAssignmentDeletionRequestId']: '{{requestId}}' },
      status,
    },
  };
}

function provisionCall(ex: ExportContext, state: PermissionSetState, arn: string): PlannedCall {
  return {
    service: 'SSOAdmin',
    operation: 'ProvisionPermissionSet',
    input: { InstanceArn: state.instanceArn, PermissionSetArn: arn, TargetType: 'AWS_ACCOUNT', TargetId: ex.accountId },
    saves: { requestId: 'PermissionSetProvisioningStatus.RequestId' },
    poll: { operation: 'DescribePermissionSetProvisioningStatus', input: { InstanceArn: state.instanceArn, ProvisionPermissionSetRequestId: '{{requestId}}' }, status: 'PermissionSetProvisioningStatus' },
  };
}

/** The creator=RAITO guard, plus: a set tagged for another account belongs to that account's connector. */
async function guardSet(ex: ExportContext, state: PermissionSetState, set: ExistingSet, action: 'update' | 'delete'): Promise<GuardDecision> {
  const tags = await tagsOf(ex, state, set.arn);
  const accountKey = ex.options.permissionSetTags.accountIdKey;
  const owner = accountKey ? tags.find((t) => t.Key === accountKey)?.Value : undefined;
  if (owner && owner !== ex.accountId) return { allowed: false, error: `permission set ${set.name} was exported for account ${owner} (tag ${accountKey}): the export of account ${ex.accountId} does not ${action} it, nothing was sent` };
  return guardChange(`permission set ${set.name}`, tags, action, ex.options.manageExisting);
}

async function planDelete(ex: ExportContext, state: PermissionSetState, set: ExistingSet, plan: ProviderPlan): Promise<ProviderPlan> {
  if (!passesGuard(plan, await guardSet(ex, state, set, 'delete'))) return plan;
  const [details, accounts] = await Promise.all([detailsOf(ex, state, set.arn), accountsOf(ex, state, set.arn)]);
  const calls = details.assignments.map((a) => assignmentCall(ex, state, set.arn, a, false));
  const elsewhere = accounts.filter((a) => a !== ex.accountId);
  if (accounts.includes(ex.accountId)) calls.push(provisionCall(ex, state, set.arn));
  const words = [`remove ${details.assignments.length} assignment${details.assignments.length === 1 ? '' : 's'} in account ${ex.accountId}`];
  if (elsewhere.length > 0) {
    // A permission set serves the whole organization: deleting it would take access away in other accounts.
    plan.warnings.push(`permission set ${set.name} is still provisioned to account${elsewhere.length === 1 ? '' : 's'} ${elsewhere.sort().join(', ')}: only its assignments in this account are removed, the permission set itself is kept`);
  } else {
    calls.push({ service: 'SSOAdmin', operation: 'DeletePermissionSet', input: { InstanceArn: state.instanceArn, PermissionSetArn: set.arn }, okIf: 'not-found' });
    words.push('delete the permission set');
  }
  if (calls.length > 0) plan.changes.push({ key: resourceKey('aws_sso_role', set.name), type: 'aws_sso_role', resource: set.name, action: 'delete', changes: words, calls, dependsOn: [] });
  return plan;
}

async function planPermissionSet(ex: ExportContext, state: PermissionSetState, provider: TypedProvider): Promise<ProviderPlan> {
  const input = provider.input;
  const fromExternalId = input.externalId?.startsWith(EXTERNAL_ID_PREFIX) ? state.byArn.get(input.externalId.slice(EXTERNAL_ID_PREFIX.length)) : undefined;
  const existing = fromExternalId ?? (provider.existingName ? state.byName.get(provider.existingName.toLowerCase()) : undefined) ?? state.byName.get(provider.name.toLowerCase());
  const name = existing?.name ?? provider.name;
  const plan = emptyPlan(provider, name);
  if (existing) plan.externalId = permissionSetExternalId(existing.arn);
  const key = resourceKey('aws_sso_role', name);

  if (input.delete) return existing ? planDelete(ex, state, existing, plan) : plan;

  if (existing && provider.name.toLowerCase() !== name.toLowerCase()) {
    plan.warnings.push(`the name asked is ${provider.name}, but AWS cannot rename a permission set: permission set ${name} keeps its name`);
  }
  const policies = wantedPolicies(ex, input.who.inheritFrom);
  const who = await wantedAssignments(ex, state, input.who);
  plan.warnings.push(...policies.warnings, ...who.warnings);
  const { statements, errors } = await statementsFor({ what: input.what, effect: 'Allow', accountId: ex.accountId, partition: ex.partition, permissions: ex.s3Permissions, target: { kind: 'identity' } });
  plan.errors.push(...errors);
  const inline = statements.length > 0 ? policyDocument(statements).text : undefined;
  if (inline && inline.length > PERMISSION_SET_INLINE_CHARS) {
    plan.errors.push(`the inline policy of permission set ${name} would have ${inline.length} characters, ${inline.length - PERMISSION_SET_INLINE_CHARS} over the AWS limit of ${PERMISSION_SET_INLINE_CHARS}`);
  }
  if (plan.errors.length > 0) return plan;

  let assignments: (Assignment & { name: string })[] = who.assignments;
  if (assignments.length === 0 && ex.options.dummyUser) {
    const id = await principalIdOf(ex, state, 'USER', ex.options.dummyUser);
    if (id) {
      assignments = [{ type: 'USER', id, name: ex.options.dummyUser }];
      plan.warnings.push(`permission set ${name} has no user or group in this account: the dummy user ${ex.options.dummyUser} (aws-permissionset-dummy-user) is assigned so that AWS provisions it`);
    } else {
      plan.warnings.push(`the dummy user ${ex.options.dummyUser} (aws-permissionset-dummy-user) does not exist in the IAM Identity Center identity store`);
    }
  }
  if (assignments.length === 0) {
    plan.warnings.push(`permission set ${name} has no user or group in this account, so AWS does not provision it here (set aws-permissionset-dummy-user to provision it anyway)`);
  }

  const arn = existing?.arn ?? NEW_ARN;
  const instance = { InstanceArn: state.instanceArn, PermissionSetArn: arn };
  const policyCalls = (attach: boolean, managed: string[], customer: { name: string; path: string }[]): PlannedCall[] => [
    ...managed.map((m) => ({ service: 'SSOAdmin', operation: attach ? 'AttachManagedPolicyToPermissionSet' : 'DetachManagedPolicyFromPermissionSet', input: { ...instance, ManagedPolicyArn: m }, ...(attach ? {} : { okIf: 'not-found' as const }) })),
    ...customer.map((c) => ({
      service: 'SSOAdmin',
      operation: attach ? 'AttachCustomerManagedPolicyReferenceToPermissionSet' : 'DetachCustomerManagedPolicyReferenceFromPermissionSet',
      input: { ...instance, CustomerManagedPolicyReference: { Name: c.name, Path: c.path } },
      ...(attach ? {} : { okIf: 'not-found' as const }),
    })),
  ];
  const policyWords = (sign: string, managed: string[], customer: { name: string; path: string }[]) => [
    ...managed.map((m) => `${sign} AWS managed policy ${m.slice(m.lastIndexOf('/') + 1)}`),
    ...customer.map((c) => `${sign} customer managed policy ${c.path}${c.name}`),
  ];
  const assignmentWords = (sign: string, list: readonly (Assignment & { name?: string })[]) => list.map((a) => `${sign} ${principalWord(a.type)} ${a.name ?? a.id}`);
  const inlineWords = `inline policy: ${statements.length} statement${statements.length === 1 ? '' : 's'}`;

  if (!existing) {
    const calls: PlannedCall[] = [
      {
        service: 'SSOAdmin',
        operation: 'CreatePermissionSet',
        input: { InstanceArn: state.instanceArn, Name: name, Description: descriptionOf(input), Tags: permissionSetTags(ex, input) },
        saves: { permissionSetArn: 'PermissionSet.PermissionSetArn' },
      },
    ];
    if (inline) calls.push({ service: 'SSOAdmin', operation: 'PutInlinePolicyToPermissionSet', input: { ...instance, InlinePolicy: inline } });
    calls.push(...policyCalls(true, policies.managed, policies.customer));
    calls.push(...assignments.map((a) => assignmentCall(ex, state, arn, a, true)));
    if (assignments.length > 0) calls.push(provisionCall(ex, state, arn));
    const words = [...(inline ? [inlineWords] : []), ...policyWords('+', policies.managed, policies.customer), ...assignmentWords('+', assignments)];
    plan.changes.push({ key, type: 'aws_sso_role', resource: name, action: 'create', changes: words, calls, dependsOn: policies.dependsOn, externalId: permissionSetExternalId(NEW_ARN) });
    return plan;
  }

  const details = await detailsOf(ex, state, existing.arn);
  const change: ResourceChange = { key, type: 'aws_sso_role', resource: name, action: 'update', changes: [], calls: [], dependsOn: policies.dependsOn };
  // A description is only generated for a new set; an existing one keeps its own unless the provider has one.
  const description = input.description ? descriptionOf(input) : undefined;
  if (description !== undefined && (existing.description ?? '') !== description) {
    change.changes.push('description');
    change.calls.push({ service: 'SSOAdmin', operation: 'UpdatePermissionSet', input: { ...instance, Description: description } });
  }
  if (inline && !sameDocument(details.inlinePolicy, inline)) {
    change.changes.push(inlineWords);
    change.calls.push({ service: 'SSOAdmin', operation: 'PutInlinePolicyToPermissionSet', input: { ...instance, InlinePolicy: inline } });
  }
  if (!inline && details.inlinePolicy) {
    change.changes.push('inline policy: removed (nothing asked)');
    change.calls.push({ service: 'SSOAdmin', operation: 'DeleteInlinePolicyFromPermissionSet', input: instance, okIf: 'not-found' });
  }
  const sameRef = (a: { name: string; path: string }, b: { name: string; path: string }) => a.name === b.name && a.path === b.path;
  const attachManaged = policies.managed.filter((m) => !details.managedPolicies.includes(m));
  const detachManaged = details.managedPolicies.filter((m) => !policies.managed.includes(m));
  const attachCustomer = policies.customer.filter((c) => !details.customerPolicies.some((d) => sameRef(c, d)));
  const detachCustomer = details.customerPolicies.filter((d) => !policies.customer.some((c) => sameRef(c, d)));
  change.changes.push(...policyWords('+', attachManaged, attachCustomer), ...policyWords('-', detachManaged, detachCustomer));
  change.calls.push(...policyCalls(false, detachManaged, detachCustomer), ...policyCalls(true, attachManaged, attachCustomer));
  const definitionChanged = change.calls.length > 0;

  const removed = details.assignments.filter((a) => !assignments.some((w) => sameAssignment(a, w)));
  const added = assignments.filter((w) => !details.assignments.some((a) => sameAssignment(a, w)));
  change.changes.push(...assignmentWords('+', added), ...assignmentWords('-', removed));
  change.calls.push(...removed.map((a) => assignmentCall(ex, state, existing.arn, a, false)), ...added.map((a) => assignmentCall(ex, state, existing.arn, a, true)));
  if (change.calls.length === 0) return plan;
  // A changed definition reaches the account only by provisioning it again (assignments provision themselves).
  if (assignments.length > 0 && (definitionChanged || added.length > 0)) change.calls.push(provisionCall(ex, state, existing.arn));

  if (!passesGuard(plan, await guardSet(ex, state, existing, 'update'))) return plan;
  plan.changes.push(change);
  return plan;
}

/** IAM Identity Center permission sets: the what in one inline policy, the who as account assignments. */
export const permissionSetType: ResourceType<PermissionSetState> = {
  type: 'aws_sso_role',
  // After roles (10), policies (20) and access points (30): it references managed policies created before it.
  phase: 40,
  naming: permissionSetNameRules,
  commands: {
    'SSOAdmin.CreatePermissionSet': CreatePermissionSetCommand,
    'SSOAdmin.UpdatePermissionSet': UpdatePermissionSetCommand,
    'SSOAdmin.PutInlinePolicyToPermissionSet': PutInlinePolicyToPermissionSetCommand,
    'SSOAdmin.DeleteInlinePolicyFromPermissionSet': DeleteInlinePolicyFromPermissionSetCommand,
    'SSOAdmin.AttachManagedPolicyToPermissionSet': AttachManagedPolicyToPermissionSetCommand,
    'SSOAdmin.DetachManagedPolicyFromPermissionSet': DetachManagedPolicyFromPermissionSetCommand,
    'SSOAdmin.AttachCustomerManagedPolicyReferenceToPermissionSet': AttachCustomerManagedPolicyReferenceToPermissionSetCommand,
    'SSOAdmin.DetachCustomerManagedPolicyReferenceFromPermissionSet': DetachCustomerManagedPolicyReferenceFromPermissionSetCommand,
    'SSOAdmin.CreateAccountAssignment': CreateAccountAssignmentCommand,
    'SSOAdmin.DeleteAccountAssignment': DeleteAccountAssignmentCommand,
    'SSOAdmin.DescribeAccountAssignmentCreationStatus': DescribeAccountAssignmentCreationStatusCommand,
    'SSOAdmin.DescribeAccountAssignmentDeletionStatus': DescribeAccountAssignmentDeletionStatusCommand,
    'SSOAdmin.ProvisionPermissionSet': ProvisionPermissionSetCommand,
    'SSOAdmin.DescribePermissionSetProvisioningStatus': DescribePermissionSetProvisioningStatusCommand,
    'SSOAdmin.DeletePermissionSet': DeletePermissionSetCommand,
  },
  // The ARN is only known once the set exists; a new one gets its externalId from CreatePermissionSet's answer.
  externalId: () => undefined,
  load: (ex) => loadPermissionSets(ex),
  plan: (ex, state, provider) => planPermissionSet(ex, state, provider),
  nameOf: (state, externalId) => (externalId.startsWith(EXTERNAL_ID_PREFIX) ? state.byArn.get(externalId.slice(EXTERNAL_ID_PREFIX.length))?.name : undefined),
};
