import type { ManagedPolicyDetail, PolicyVersion, Tag } from '@aws-sdk/client-iam';
import { AttachGroupPolicyCommand, AttachRolePolicyCommand, AttachUserPolicyCommand, CreatePolicyCommand, CreatePolicyVersionCommand, DeletePolicyCommand, DeletePolicyVersionCommand, DetachGroupPolicyCommand, DetachRolePolicyCommand, DetachUserPolicyCommand, ListPolicyTagsCommand, ListPolicyVersionsCommand } from '../aws/sdk/iam.js';
import { describeAwsError } from '../aws/errors.js';
import { defaultDocument } from '../importers/iam-snapshot.js';
import { sameDocument } from './documents.js';
import { CREATOR_TAG, type Attachments } from './existing-iam.js';
import { guardChange, passesGuard } from './guard.js';
import { policyNameRules } from './naming.js';
import { iamDescription } from './roles.js';
import { LIMITS, policyDocument, statementsFor } from './statements.js';
import { emptyPlan, resourceKey, type ExportContext, type PlannedCall, type ProviderPlan, type ResourceType, type TypedProvider } from './types.js';
import { resolveWho } from './who.js';

type Kind = 'user' | 'group' | 'role';
const attachOp: Record<Kind, string> = { user: 'AttachUserPolicy', group: 'AttachGroupPolicy', role: 'AttachRolePolicy' };
const detachOp: Record<Kind, string> = { user: 'DetachUserPolicy', group: 'DetachGroupPolicy', role: 'DetachRolePolicy' };
const nameField: Record<Kind, string> = { user: 'UserName', group: 'GroupName', role: 'RoleName' };

/** Per export: attachments planned so far per user, group and role, so the 10-per-entity quota counts them all. */
interface PolicyState {
  planned: Map<string, number>;
}

function policyArn(ex: ExportContext, name: string): string {
  return `arn:${ex.partition}:iam::${ex.accountId}:policy/${name}`;
}

async function read<T>(ex: ExportContext, operation: string, resource: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await ex.aws.limit(fn);
  } catch (err) {
    throw describeAwsError(err, { service: 'IAM', operation, resource });
  }
}

/** The tags of a managed policy (GetAccountAuthorizationDetails does not list them): read only before a change. */
async function policyTags(ex: ExportContext, arn: string): Promise<Tag[]> {
  const out = await read(ex, 'ListPolicyTags', arn, () => ex.aws.iam().send(new ListPolicyTagsCommand({ PolicyArn: arn }), { abortSignal: ex.sync.signal }));
  return out.Tags ?? [];
}

async function policyVersions(ex: ExportContext, arn: string): Promise<PolicyVersion[]> {
  const out = await read(ex, 'ListPolicyVersions', arn, () => ex.aws.iam().send(new ListPolicyVersionsCommand({ PolicyArn: arn }), { abortSignal: ex.sync.signal }));
  return out.Versions ?? [];
}

function attachCall(kind: Kind, name: string, arn: string, attach: boolean): PlannedCall {
  return attach
    ? { service: 'IAM', operation: attachOp[kind], input: { [nameField[kind]]: name, PolicyArn: arn } }
    : { service: 'IAM', operation: detachOp[kind], input: { [nameField[kind]]: name, PolicyArn: arn }, okIf: 'not-found' };
}

/** Detach everything, delete the non-default versions, delete the policy. */
async function deleteCalls(ex: ExportContext, arn: string): Promise<PlannedCall[]> {
  const attached = ex.iam.attachmentsOf(arn);
  const calls: PlannedCall[] = [];
  for (const kind of ['user', 'group', 'role'] as const) {
    for (const name of [...attached[`${kind}s`]].sort()) calls.push(attachCall(kind, name, arn, false));
  }
  for (const v of await policyVersions(ex, arn)) {
    if (!v.IsDefaultVersion && v.VersionId) calls.push({ service: 'IAM', operation: 'DeletePolicyVersion', input: { PolicyArn: arn, VersionId: v.VersionId }, okIf: 'not-found' });
  }
  calls.push({ service: 'IAM', operation: 'DeletePolicy', input: { PolicyArn: arn }, okIf: 'not-found' });
  return calls;
}

const sortedList = (set: Iterable<string>) => [...set].sort();

async function planPolicy(ex: ExportContext, state: PolicyState, provider: TypedProvider): Promise<ProviderPlan> {
  const input = provider.input;
  const previous = provider.existingName ? ex.iam.policy(provider.existingName) : undefined;
  const atName = ex.iam.policy(provider.name);
  const plan = emptyPlan(provider);

  if (input.delete) {
    const existing = previous ?? atName;
    if (!existing?.PolicyName || !existing.Arn) return plan;
    plan.actualName = existing.PolicyName;
    plan.externalId = `policy:${existing.Arn}`;
    if (passesGuard(plan, guardChange(`managed policy ${existing.PolicyName}`, await policyTags(ex, existing.Arn), 'delete', false))) plan.changes.push({ key: resourceKey('aws_policy', existing.PolicyName), type: 'aws_policy', resource: existing.PolicyName, action: 'delete', changes: ['detach everywhere and delete'], calls: await deleteCalls(ex, existing.Arn), dependsOn: [] });
    return plan;
  }

  // A renamed policy is created under the new name and the old one deleted; only possible for our own.
  let existing = atName;
  let renameFrom: ManagedPolicyDetail | undefined;
  if (previous?.PolicyName && previous.Arn && previous.PolicyName.toLowerCase() !== provider.name.toLowerCase()) {
    const previousTags = await policyTags(ex, previous.Arn);
    const guard = guardChange(`managed policy ${previous.PolicyName}`, previousTags, 'delete', false);
    if (guard.allowed) {
      renameFrom = previous;
      plan.warnings.push(`renamed from ${previous.PolicyName}: the policy is created as ${provider.name}, takes over the attachments, and ${previous.PolicyName} is deleted`);
    } else {
      existing = previous;
      plan.warnings.push(`the name asked is ${provider.name}, but policy ${previous.PolicyName} was not created by the connector, so it keeps its name`);
    }
  } else if (previous) existing = previous;
  const name = existing?.PolicyName ?? provider.name;
  const arn = existing?.Arn ?? policyArn(ex, name);
  plan.actualName = name;
  plan.externalId = `policy:${arn}`;
  const key = resourceKey('aws_policy', name);

  const who = resolveWho(ex, input.who, { expandGroups: false });
  plan.warnings.push(...who.warnings);
  const effect = input.action === 'deny' ? 'Deny' : 'Allow';
  const { statements, errors } = await statementsFor({ what: input.what, effect, accountId: ex.accountId, partition: ex.partition, permissions: ex.s3Permissions, target: { kind: 'identity' } });
  plan.errors.push(...errors);
  if (statements.length === 0 && errors.length === 0) plan.errors.push(`managed policy ${name} would have no statement (the what is empty); AWS needs at least one`);
  const { text } = policyDocument(statements);
  if (text.length > LIMITS.managedPolicyChars) {
    plan.errors.push(`managed policy ${name} would have ${text.length} characters, ${text.length - LIMITS.managedPolicyChars} over the AWS limit of ${LIMITS.managedPolicyChars}`);
  }

  const wanted: Attachments = { users: new Set(who.users), groups: new Set(who.groups), roles: new Set(who.roles.map((r) => r.name)) };
  const current: Attachments = existing?.Arn ? ex.iam.attachmentsOf(existing.Arn) : { users: new Set(), groups: new Set(), roles: new Set() };
  const attach: PlannedCall[] = [];
  const detach: PlannedCall[] = [];
  const words: string[] = [];
  const quotaKeys: string[] = [];
  for (const kind of ['user', 'group', 'role'] as const) {
    const field = `${kind}s` as const;
    for (const n of sortedList(wanted[field])) {
      if (current[field].has(n)) continue;
      attach.push(attachCall(kind, n, arn, true));
      words.push(`+ ${kind} ${n}`);
      const quotaKey = `${kind}:${n}`;
      quotaKeys.push(quotaKey);
      const count = ex.iam.attachedPolicies(kind, n) + (state.planned.get(quotaKey) ?? 0) + 1;
      if (count > LIMITS.managedPoliciesPerEntity) {
        plan.errors.push(`${kind} ${n} would have ${count} managed policies attached, ${count - LIMITS.managedPoliciesPerEntity} over the AWS default limit of ${LIMITS.managedPoliciesPerEntity}`);
      }
    }
    for (const n of sortedList(current[field])) {
      if (wanted[field].has(n)) continue;
      detach.push(attachCall(kind, n, arn, false));
      words.push(`- ${kind} ${n}`);
    }
  }
  if (plan.errors.length > 0) return plan;
  for (const k of quotaKeys) state.planned.set(k, (state.planned.get(k) ?? 0) + 1);

  const permissionWords = `${statements.length} ${effect} statement${statements.length === 1 ? '' : 's'}`;
  if (!existing) {
    plan.changes.push({
      key,
      type: 'aws_policy',
      resource: name,
      action: 'create',
      changes: [permissionWords, ...words],
      calls: [{ service: 'IAM', operation: 'CreatePolicy', input: { PolicyName: name, PolicyDocument: text, Description: iamDescription(input.description), Tags: [CREATOR_TAG] } }, ...attach],
      dependsOn: who.dependsOn,
    });
    if (renameFrom?.Arn && renameFrom.PolicyName) {
      plan.changes.push({
        key: resourceKey('aws_policy', renameFrom.PolicyName),
        type: 'aws_policy',
        resource: renameFrom.PolicyName,
        action: 'delete',
        changes: [`renamed to ${name}: detach everywhere and delete`],
        calls: await deleteCalls(ex, renameFrom.Arn),
        dependsOn: [key],
      });
    }
    return plan;
  }

  const calls: PlannedCall[] = [];
  if (!sameDocument(defaultDocument(existing), text)) {
    words.unshift(`new default version: ${permissionWords}`);
    // IAM keeps at most five versions: the oldest non-default one makes room.
    const versions = await policyVersions(ex, arn);
    if (versions.length >= 5) {
      const oldest = versions.filter((v) => !v.IsDefaultVersion).sort((a, b) => (a.CreateDate?.getTime() ?? 0) - (b.CreateDate?.getTime() ?? 0))[0];
      if (oldest?.VersionId) calls.push({ service: 'IAM', operation: 'DeletePolicyVersion', input: { PolicyArn: arn, VersionId: oldest.VersionId } });
    }
    calls.push({ service: 'IAM', operation: 'CreatePolicyVersion', input: { PolicyArn: arn, PolicyDocument: text, SetAsDefault: true } });
  }
  calls.push(...attach, ...detach);
  if (calls.length === 0) return plan;
  if (!passesGuard(plan, guardChange(`managed policy ${name}`, await policyTags(ex, arn), 'update', ex.options.manageExisting))) return plan;
  plan.changes.push({ key, type: 'aws_policy', resource: name, action: 'update', changes: words, calls, dependsOn: who.dependsOn });
  return plan;
}

/** Customer managed policies: the what as the default version, the who as attachments (users, groups, roles). */
export const policyType: ResourceType<PolicyState> = {
  type: 'aws_policy',
  phase: 20,
  naming: policyNameRules,
  commands: {
    'IAM.CreatePolicy': CreatePolicyCommand,
    'IAM.CreatePolicyVersion': CreatePolicyVersionCommand,
    'IAM.DeletePolicyVersion': DeletePolicyVersionCommand,
    'IAM.DeletePolicy': DeletePolicyCommand,
    'IAM.AttachUserPolicy': AttachUserPolicyCommand,
    'IAM.AttachGroupPolicy': AttachGroupPolicyCommand,
    'IAM.AttachRolePolicy': AttachRolePolicyCommand,
    'IAM.DetachUserPolicy': DetachUserPolicyCommand,
    'IAM.DetachGroupPolicy': DetachGroupPolicyCommand,
    'IAM.DetachRolePolicy': DetachRolePolicyCommand,
  },
  externalId: (ex, name) => `policy:${policyArn(ex, name)}`,
  load: () => Promise.resolve({ planned: new Map() }),
  plan: (ex, state, provider) => planPolicy(ex, state, provider),
};
