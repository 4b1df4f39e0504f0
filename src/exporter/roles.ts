import type { RoleDetail } from '@aws-sdk/client-iam';
import { plainDocument } from '../aws/iam-pages.js';
import { CreateRoleCommand, DeleteRoleCommand, DeleteRolePolicyCommand, DetachRolePolicyCommand, PutRolePolicyCommand, RemoveRoleFromInstanceProfileCommand, UpdateAssumeRolePolicyCommand } from '../aws/sdk/iam.js';
import { sameDocument } from './documents.js';
import { CREATOR_TAG } from './existing-iam.js';
import { guardChange, passesGuard } from './guard.js';
import { roleNameRules } from './naming.js';
import { LIMITS, policyDocument, statementsFor } from './statements.js';
import { emptyPlan, resourceKey, type ExportContext, type PlannedCall, type ProviderPlan, type ResourceChange, type ResourceType, type TypedProvider } from './types.js';
import { resolveWho } from './who.js';

/** The one inline policy that holds a role's permissions (documented in docs/aws-account-connector.md). */
export const ROLE_INLINE_POLICY = 'raito-access';

/** IAM descriptions take printable Latin-1 only, up to 1000 characters. */
export function iamDescription(text: string | undefined): string | undefined {
  if (!text) return undefined;
  return text.replace(/[^\t\n\r\u0020-\u007e\u00a1-\u00ff]/g, '?').slice(0, 1000);
}

function trustDocument(principals: string[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principals.length === 1 ? principals[0] : principals }, Action: 'sts:AssumeRole' }] });
}

function deleteCalls(role: RoleDetail): PlannedCall[] {
  const name = role.RoleName!;
  const calls: PlannedCall[] = [];
  for (const p of role.InstanceProfileList ?? []) {
    calls.push({ service: 'IAM', operation: 'RemoveRoleFromInstanceProfile', input: { InstanceProfileName: p.InstanceProfileName, RoleName: name }, okIf: 'not-found' });
  }
  for (const p of role.AttachedManagedPolicies ?? []) calls.push({ service: 'IAM', operation: 'DetachRolePolicy', input: { RoleName: name, PolicyArn: p.PolicyArn }, okIf: 'not-found' });
  for (const p of role.RolePolicyList ?? []) calls.push({ service: 'IAM', operation: 'DeleteRolePolicy', input: { RoleName: name, PolicyName: p.PolicyName }, okIf: 'not-found' });
  calls.push({ service: 'IAM', operation: 'DeleteRole', input: { RoleName: name }, okIf: 'not-found' });
  return calls;
}

async function planRole(ex: ExportContext, provider: TypedProvider): Promise<ProviderPlan> {
  const input = provider.input;
  const existing = (provider.existingName ? ex.iam.role(provider.existingName) : undefined) ?? ex.iam.role(provider.name);
  const name = existing?.RoleName ?? provider.name;
  const plan = emptyPlan(provider, name);
  plan.externalId = roleType.externalId(ex, name);
  const key = resourceKey('aws_role', name);

  if (input.delete) {
    if (!existing) return plan;
    if (passesGuard(plan, guardChange(`role ${name}`, existing.Tags, 'delete', false))) plan.changes.push({ key, type: 'aws_role', resource: name, action: 'delete', changes: ['delete the role, its inline policies and its attachments'], calls: deleteCalls(existing), dependsOn: [] });
    return plan;
  }

  if (existing && provider.name.toLowerCase() !== name.toLowerCase()) {
    plan.warnings.push(`the name asked is ${provider.name}, but AWS cannot rename a role: role ${name} keeps its name`);
  }
  const who = resolveWho(ex, input.who, { expandGroups: true, self: name });
  plan.warnings.push(...who.warnings);
  const principals = [...who.userArns, ...who.roles.map((r) => r.arn)].sort();
  if (principals.length === 0) {
    plan.errors.push(`role ${name} would have no principal (who names no existing user, group member or role), so it is ${existing ? 'not changed' : 'not created'}`);
    return plan;
  }
  const trust = trustDocument(principals);
  if (trust.length > LIMITS.trustPolicyChars) {
    plan.errors.push(`the trust policy of role ${name} would have ${trust.length} characters, ${trust.length - LIMITS.trustPolicyChars} over the AWS limit of ${LIMITS.trustPolicyChars} (too many principals: ${principals.length})`);
  }
  const { statements, errors } = await statementsFor({ what: input.what, effect: 'Allow', accountId: ex.accountId, partition: ex.partition, permissions: ex.s3Permissions, target: { kind: 'identity' } });
  plan.errors.push(...errors);
  const permissions = statements.length > 0 ? policyDocument(statements).text : undefined;
  const others = (existing?.RolePolicyList ?? []).filter((p) => p.PolicyName !== ROLE_INLINE_POLICY);
  const inlineTotal = (permissions?.length ?? 0) + others.reduce((n, p) => n + (plainDocument(p.PolicyDocument)?.length ?? 0), 0);
  if (inlineTotal > LIMITS.roleInlinePolicyChars) {
    plan.errors.push(`the inline policies of role ${name} would have ${inlineTotal} characters, ${inlineTotal - LIMITS.roleInlinePolicyChars} over the AWS limit of ${LIMITS.roleInlinePolicyChars} in total`);
  }
  if (plan.errors.length > 0) return plan;

  const trustWords = `trust: ${[...who.users, ...who.groups.map((g) => `group ${g}`), ...who.roles.map((r) => `role ${r.name}`)].join(', ')}`;
  const permissionWords = `inline policy ${ROLE_INLINE_POLICY}: ${statements.length} statement${statements.length === 1 ? '' : 's'}`;
  if (!existing) {
    const calls: PlannedCall[] = [
      {
        service: 'IAM',
        operation: 'CreateRole',
        input: { RoleName: name, AssumeRolePolicyDocument: trust, Description: iamDescription(input.description), Tags: [CREATOR_TAG] },
      },
    ];
    if (permissions) calls.push({ service: 'IAM', operation: 'PutRolePolicy', input: { RoleName: name, PolicyName: ROLE_INLINE_POLICY, PolicyDocument: permissions } });
    plan.changes.push({ key, type: 'aws_role', resource: name, action: 'create', changes: [trustWords, ...(permissions ? [permissionWords] : [])], calls, dependsOn: who.dependsOn });
    return plan;
  }

  const change: ResourceChange = { key, type: 'aws_role', resource: name, action: 'update', changes: [], calls: [], dependsOn: who.dependsOn };
  if (!sameDocument(existing.AssumeRolePolicyDocument, trust)) {
    change.changes.push(trustWords);
    change.calls.push({ service: 'IAM', operation: 'UpdateAssumeRolePolicy', input: { RoleName: name, PolicyDocument: trust } });
  }
  const current = existing.RolePolicyList?.find((p) => p.PolicyName === ROLE_INLINE_POLICY);
  if (permissions && !sameDocument(current?.PolicyDocument, permissions)) {
    change.changes.push(permissionWords);
    change.calls.push({ service: 'IAM', operation: 'PutRolePolicy', input: { RoleName: name, PolicyName: ROLE_INLINE_POLICY, PolicyDocument: permissions } });
  }
  if (!permissions && current) {
    change.changes.push(`inline policy ${ROLE_INLINE_POLICY}: removed (nothing asked)`);
    change.calls.push({ service: 'IAM', operation: 'DeleteRolePolicy', input: { RoleName: name, PolicyName: ROLE_INLINE_POLICY }, okIf: 'not-found' });
  }
  if (change.calls.length === 0) return plan;
  if (!passesGuard(plan, guardChange(`role ${name}`, existing.Tags, 'update', ex.options.manageExisting))) return plan;
  if (others.length > 0) plan.warnings.push(`role ${name} has other inline policies (${others.map((p) => p.PolicyName).join(', ')}); the export leaves them in place`);
  plan.changes.push(change);
  return plan;
}

/** IAM roles: the who in the trust policy, the what in one inline policy. */
export const roleType: ResourceType<undefined> = {
  type: 'aws_role',
  phase: 10,
  naming: roleNameRules,
  commands: {
    'IAM.CreateRole': CreateRoleCommand,
    'IAM.PutRolePolicy': PutRolePolicyCommand,
    'IAM.UpdateAssumeRolePolicy': UpdateAssumeRolePolicyCommand,
    'IAM.DeleteRolePolicy': DeleteRolePolicyCommand,
    'IAM.DetachRolePolicy': DetachRolePolicyCommand,
    'IAM.RemoveRoleFromInstanceProfile': RemoveRoleFromInstanceProfileCommand,
    'IAM.DeleteRole': DeleteRoleCommand,
  },
  externalId: (_ex, name) => `role:${name}`,
  // Everything a role plan needs is in the run's IAM snapshot.
  load: () => Promise.resolve(undefined),
  plan: (ex, _state, provider) => planRole(ex, provider),
};
