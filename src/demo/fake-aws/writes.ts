import type { AttachedPolicy, GroupDetail, ManagedPolicyDetail, PolicyVersion, RoleDetail, Tag, UserDetail } from '@aws-sdk/client-iam';
import { awsError } from './errors.js';
import { forgetEntities } from './iam.js';
import type { FakeAccount, FakeService } from './types.js';

/**
 * The write calls of the access export, answered in memory: the sample account (demo), the bench
 * and the round-trip tests change as AWS would, and the import that follows reads the result.
 */

const noSuchEntity = (what: string) => awsError('NoSuchEntity', 404, `The ${what} cannot be found.`);
const exists = (what: string) => awsError('EntityAlreadyExists', 409, `${what} already exists.`);
const text = (v: unknown): string => (typeof v === 'string' ? v : '');
/** IAM stores documents and returns them URL-encoded. */
const stored = (document: unknown): string => encodeURIComponent(text(document));

function role(account: FakeAccount, name: unknown): RoleDetail {
  const found = account.iam.roles.find((r) => r.RoleName === name);
  if (!found) throw noSuchEntity(`role with name ${text(name)}`);
  return found;
}

function policy(account: FakeAccount, arn: unknown): ManagedPolicyDetail {
  const found = account.iam.policies.find((p) => p.Arn === arn);
  if (!found) throw noSuchEntity(`policy ${text(arn)}`);
  return found;
}

function attachedTo(account: FakeAccount, kind: 'user' | 'group' | 'role', name: unknown): { AttachedManagedPolicies?: AttachedPolicy[] } {
  const list: (UserDetail | GroupDetail | RoleDetail)[] = kind === 'user' ? account.iam.users : kind === 'group' ? account.iam.groups : account.iam.roles;
  const key = kind === 'user' ? 'UserName' : kind === 'group' ? 'GroupName' : 'RoleName';
  const found = list.find((e) => (e as Record<string, unknown>)[key] === name);
  if (!found) throw noSuchEntity(`${kind} with name ${text(name)}`);
  return found;
}

/** Every write changes what GetAccountAuthorizationDetails lists. */
function changed(account: FakeAccount): void {
  forgetEntities(account);
}

function attach(kind: 'user' | 'group' | 'role') {
  return (input: Record<string, unknown>, { account }: { account: FakeAccount }) => {
    const p = policy(account, input.PolicyArn);
    const entity = attachedTo(account, kind, input[kind === 'user' ? 'UserName' : kind === 'group' ? 'GroupName' : 'RoleName']);
    entity.AttachedManagedPolicies ??= [];
    if (!entity.AttachedManagedPolicies.some((a) => a.PolicyArn === p.Arn)) {
      entity.AttachedManagedPolicies.push({ PolicyName: p.PolicyName, PolicyArn: p.Arn });
      p.AttachmentCount = (p.AttachmentCount ?? 0) + 1;
    }
    changed(account);
    return {};
  };
}

function detach(kind: 'user' | 'group' | 'role') {
  return (input: Record<string, unknown>, { account }: { account: FakeAccount }) => {
    const entity = attachedTo(account, kind, input[kind === 'user' ? 'UserName' : kind === 'group' ? 'GroupName' : 'RoleName']);
    const before = entity.AttachedManagedPolicies?.length ?? 0;
    entity.AttachedManagedPolicies = (entity.AttachedManagedPolicies ?? []).filter((a) => a.PolicyArn !== input.PolicyArn);
    if (entity.AttachedManagedPolicies.length === before) throw noSuchEntity(`policy ${text(input.PolicyArn)} attached to ${kind} ${text(input.UserName ?? input.GroupName ?? input.RoleName)}`);
    const p = account.iam.policies.find((x) => x.Arn === input.PolicyArn);
    if (p) p.AttachmentCount = Math.max(0, (p.AttachmentCount ?? 1) - 1);
    changed(account);
    return {};
  };
}

function policyTags(account: FakeAccount): Record<string, { Key?: string; Value?: string }[]> {
  return (account.iam.policyTags ??= {});
}

export const iamWrites: FakeService = {
  CreateRole(input, { account }) {
    const wanted = text(input.RoleName).toLowerCase();
    // Names of another length cannot match: no lower-casing of thousands of names per create (bench).
    if (account.iam.roles.some((r) => r.RoleName?.length === wanted.length && r.RoleName.toLowerCase() === wanted)) throw exists(`Role with name ${text(input.RoleName)}`);
    const created: RoleDetail = {
      RoleName: text(input.RoleName),
      RoleId: `AROA${text(input.RoleName).toUpperCase().replace(/[^A-Z0-9]/g, '').padEnd(17, 'X').slice(0, 17)}`,
      Arn: `arn:aws:iam::${account.accountId}:role/${text(input.RoleName)}`,
      Path: '/',
      CreateDate: new Date(),
      AssumeRolePolicyDocument: stored(input.AssumeRolePolicyDocument),
      RolePolicyList: [],
      AttachedManagedPolicies: [],
      InstanceProfileList: [],
      Tags: (input.Tags as Tag[] | undefined) ?? [],
    };
    account.iam.roles.push(created);
    changed(account);
    return { Role: { RoleName: created.RoleName, Arn: created.Arn, RoleId: created.RoleId, Path: '/', CreateDate: created.CreateDate } };
  },
  UpdateAssumeRolePolicy(input, { account }) {
    role(account, input.RoleName).AssumeRolePolicyDocument = stored(input.PolicyDocument);
    return {};
  },
  PutRolePolicy(input, { account }) {
    const r = role(account, input.RoleName);
    r.RolePolicyList = [...(r.RolePolicyList ?? []).filter((p) => p.PolicyName !== input.PolicyName), { PolicyName: text(input.PolicyName), PolicyDocument: stored(input.PolicyDocument) }];
    return {};
  },
  DeleteRolePolicy(input, { account }) {
    const r = role(account, input.RoleName);
    if (!r.RolePolicyList?.some((p) => p.PolicyName === input.PolicyName)) throw noSuchEntity(`role policy ${text(input.PolicyName)}`);
    r.RolePolicyList = r.RolePolicyList.filter((p) => p.PolicyName !== input.PolicyName);
    return {};
  },
  RemoveRoleFromInstanceProfile(input, { account }) {
    const r = role(account, input.RoleName);
    r.InstanceProfileList = (r.InstanceProfileList ?? []).filter((p) => p.InstanceProfileName !== input.InstanceProfileName);
    return {};
  },
  DeleteRole(input, { account }) {
    const r = role(account, input.RoleName);
    if ((r.AttachedManagedPolicies?.length ?? 0) > 0 || (r.RolePolicyList?.length ?? 0) > 0) throw awsError('DeleteConflict', 409, 'Cannot delete entity, must detach all policies first.');
    account.iam.roles = account.iam.roles.filter((x) => x !== r);
    changed(account);
    return {};
  },
  CreatePolicy(input, { account }) {
    const arn = `arn:aws:iam::${account.accountId}:policy/${text(input.PolicyName)}`;
    if (account.iam.policies.some((p) => p.Arn?.toLowerCase() === arn.toLowerCase())) throw exists(`A policy called ${text(input.PolicyName)}`);
    const version: PolicyVersion = { VersionId: 'v1', IsDefaultVersion: true, Document: stored(input.PolicyDocument), CreateDate: new Date() };
    account.iam.policies.push({ PolicyName: text(input.PolicyName), Arn: arn, Path: '/', DefaultVersionId: 'v1', AttachmentCount: 0, IsAttachable: true, Description: text(input.Description), PolicyVersionList: [version] });
    policyTags(account)[arn] = (input.Tags as Tag[] | undefined) ?? [];
    changed(account);
    return { Policy: { PolicyName: input.PolicyName, Arn: arn, DefaultVersionId: 'v1' } };
  },
  CreatePolicyVersion(input, { account }) {
    const p = policy(account, input.PolicyArn);
    const versions = p.PolicyVersionList ?? [];
    if (versions.length >= 5) throw awsError('LimitExceeded', 409, 'A managed policy can have up to 5 versions.');
    const next = `v${Math.max(0, ...versions.map((v) => Number(v.VersionId?.slice(1) ?? 0))) + 1}`;
    const setDefault = input.SetAsDefault === true;
    if (setDefault) for (const v of versions) v.IsDefaultVersion = false;
    versions.push({ VersionId: next, IsDefaultVersion: setDefault, Document: stored(input.PolicyDocument), CreateDate: new Date() });
    p.PolicyVersionList = versions;
    if (setDefault) p.DefaultVersionId = next;
    return { PolicyVersion: { VersionId: next, IsDefaultVersion: setDefault } };
  },
  DeletePolicyVersion(input, { account }) {
    const p = policy(account, input.PolicyArn);
    const v = p.PolicyVersionList?.find((x) => x.VersionId === input.VersionId);
    if (!v) throw noSuchEntity(`policy version ${text(input.VersionId)}`);
    if (v.IsDefaultVersion) throw awsError('DeleteConflict', 409, 'Cannot delete the default version of a policy.');
    p.PolicyVersionList = p.PolicyVersionList?.filter((x) => x !== v);
    return {};
  },
  DeletePolicy(input, { account }) {
    const p = policy(account, input.PolicyArn);
    if ((p.AttachmentCount ?? 0) > 0) throw awsError('DeleteConflict', 409, 'Cannot delete a policy attached to entities.');
    account.iam.policies = account.iam.policies.filter((x) => x !== p);
    delete policyTags(account)[text(input.PolicyArn)];
    changed(account);
    return {};
  },
  ListPolicyTags(input, { account }) {
    policy(account, input.PolicyArn);
    return { Tags: policyTags(account)[text(input.PolicyArn)] ?? [], IsTruncated: false };
  },
  ListPolicyVersions(input, { account }) {
    const p = policy(account, input.PolicyArn);
    return { Versions: (p.PolicyVersionList ?? []).map(({ VersionId, IsDefaultVersion, CreateDate }) => ({ VersionId, IsDefaultVersion, CreateDate })), IsTruncated: false };
  },
  AttachUserPolicy: attach('user'),
  AttachGroupPolicy: attach('group'),
  AttachRolePolicy: attach('role'),
  DetachUserPolicy: detach('user'),
  DetachGroupPolicy: detach('group'),
  DetachRolePolicy: detach('role'),
};

function accessPoint(account: FakeAccount, region: string, name: unknown) {
  const ap = account.s3.accessPoints.find((a) => a.name === name && a.region === region);
  if (!ap) throw awsError('NoSuchAccessPoint', 404, `The specified accesspoint does not exist: ${text(name)}`);
  return ap;
}

export const s3ControlWrites: FakeService = {
  CreateAccessPoint(input, { account, region }) {
    if (account.s3.accessPoints.some((a) => a.name === input.Name && a.region === region)) throw awsError('AccessPointAlreadyOwnedByYou', 409, `Access point ${text(input.Name)} already exists.`);
    if (!account.s3.buckets.some((b) => b.name === input.Bucket)) throw awsError('NoSuchBucket', 404, `The specified bucket does not exist: ${text(input.Bucket)}`);
    account.s3.accessPoints.push({ name: text(input.Name), bucket: text(input.Bucket), region, tags: (input.Tags as { Key: string; Value: string }[] | undefined) ?? [] });
    return { AccessPointArn: `arn:aws:s3:${region}:${account.accountId}:accesspoint/${text(input.Name)}` };
  },
  PutAccessPointPolicy(input, { account, region }) {
    accessPoint(account, region, input.Name).policy = text(input.Policy);
    return {};
  },
  DeleteAccessPointPolicy(input, { account, region }) {
    delete accessPoint(account, region, input.Name).policy;
    return {};
  },
  DeleteAccessPoint(input, { account, region }) {
    const ap = accessPoint(account, region, input.Name);
    account.s3.accessPoints = account.s3.accessPoints.filter((a) => a !== ap);
    return {};
  },
  ListTagsForResource(input, { account }) {
    const ap = account.s3.accessPoints.find((a) => `arn:aws:s3:${a.region}:${account.accountId}:accesspoint/${a.name}` === input.ResourceArn);
    if (!ap) throw awsError('NoSuchAccessPoint', 404, `The specified resource does not exist: ${text(input.ResourceArn)}`);
    return { Tags: ap.tags ?? [] };
  },
};
