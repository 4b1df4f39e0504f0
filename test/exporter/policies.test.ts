import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MockAccount, RAITO, obj, policyArn, provider, runExport } from './scenario.js';

let account: MockAccount;
beforeEach(() => {
  account = new MockAccount();
});
afterEach(() => account.restore());

const doc = (Effect: string, Action: string, Resource: string) => ({ Version: '2012-10-17', Statement: [{ Effect, Action, Resource }] });
const what = [{ dataObject: obj('sales'), permissions: ['s3:GetObject'] }];

describe('exporting a managed policy', () => {
  it('creates it tagged creator=RAITO and attaches it to the users, groups and roles of who', async () => {
    account.user('alice').group('analysts').role('Worker', { tags: [RAITO] });
    const { feedback, result } = await runExport([provider({ id: 'p', name: 'Sales Read', type: 'aws_policy', who: { users: ['alice'], groups: ['analysts'], inheritFrom: ['role:Worker'] }, what })]);
    const arn = policyArn('Sales_Read');
    expect(account.mutatingCalls()).toEqual([
      { operation: 'CreatePolicy', input: { PolicyName: 'Sales_Read', PolicyDocument: JSON.stringify(doc('Allow', 's3:GetObject', 'arn:aws:s3:::sales/*')), Description: undefined, Tags: [RAITO] } },
      { operation: 'AttachUserPolicy', input: { UserName: 'alice', PolicyArn: arn } },
      { operation: 'AttachGroupPolicy', input: { GroupName: 'analysts', PolicyArn: arn } },
      { operation: 'AttachRolePolicy', input: { RoleName: 'Worker', PolicyArn: arn } },
    ]);
    expect(feedback).toEqual([{ accessProvider: 'p', actualName: 'Sales_Read', externalId: `policy:${arn}`, type: 'aws_policy', errors: [], warnings: [] }]);
    expect(result?.report.counts).toEqual({ aws_policy: { created: 1 } });
  });

  it('turns a deny provider without type into a managed policy with Deny statements, never a grant', async () => {
    account.user('alice');
    await runExport([provider({ id: 'd', name: 'No HR', action: 'deny', who: { users: ['alice'] }, what: [{ dataObject: obj('hr'), permissions: ['s3:GetObject'] }] })]);
    expect(account.mutatingCalls()[0]).toEqual({ operation: 'CreatePolicy', input: expect.objectContaining({ PolicyName: 'No_HR', PolicyDocument: JSON.stringify(doc('Deny', 's3:GetObject', 'arn:aws:s3:::hr/*')) }) });
  });

  it('a deny provider typed as role becomes a policy, with a warning', async () => {
    account.user('alice');
    const { feedback } = await runExport([provider({ id: 'd', name: 'NoHr', type: 'aws_role', action: 'deny', who: { users: ['alice'] }, what: [{ dataObject: obj('hr'), permissions: ['s3:GetObject'] }] })]);
    expect(feedback[0]).toMatchObject({ type: 'aws_policy', warnings: ['deny access is written as a managed policy with Deny statements attached to the same who (the type aws_role cannot deny)'] });
  });

  it('updates the document as a new default version, deleting the oldest non-default version first when five exist', async () => {
    const arn = policyArn('P');
    account.user('alice', [], ['P']);
    account.policy('P', doc('Allow', 's3:GetObject', 'arn:aws:s3:::old/*'), {
      tags: [RAITO],
      versions: [
        { VersionId: 'v5', IsDefaultVersion: true, CreateDate: new Date('2026-05-01') },
        { VersionId: 'v2', IsDefaultVersion: false, CreateDate: new Date('2026-02-01') },
        { VersionId: 'v1', IsDefaultVersion: false, CreateDate: new Date('2026-01-01') },
        { VersionId: 'v3', IsDefaultVersion: false, CreateDate: new Date('2026-03-01') },
        { VersionId: 'v4', IsDefaultVersion: false, CreateDate: new Date('2026-04-01') },
      ],
    });
    const { result } = await runExport([provider({ id: 'p', name: 'P', type: 'aws_policy', actualName: 'P', who: { users: ['alice'] }, what })]);
    expect(account.mutatingCalls()).toEqual([
      { operation: 'DeletePolicyVersion', input: { PolicyArn: arn, VersionId: 'v1' } },
      { operation: 'CreatePolicyVersion', input: { PolicyArn: arn, PolicyDocument: JSON.stringify(doc('Allow', 's3:GetObject', 'arn:aws:s3:::sales/*')), SetAsDefault: true } },
    ]);
    expect(result?.report.counts).toEqual({ aws_policy: { updated: 1 } });
  });

  it('diffs attachments with the snapshot: attaches what is missing, detaches what is no longer asked, nothing else', async () => {
    const arn = policyArn('P');
    account.user('alice', [], ['P']).user('bob');
    account.policy('P', doc('Allow', 's3:GetObject', 'arn:aws:s3:::sales/*'), { tags: [RAITO] });
    await runExport([provider({ id: 'p', name: 'P', type: 'aws_policy', actualName: 'P', who: { users: ['bob'] }, what })]);
    expect(account.mutatingCalls()).toEqual([
      { operation: 'AttachUserPolicy', input: { UserName: 'bob', PolicyArn: arn } },
      { operation: 'DetachUserPolicy', input: { UserName: 'alice', PolicyArn: arn } },
    ]);
  });

  it('makes zero mutating calls when document and attachments already match', async () => {
    account.user('alice', [], ['P']);
    account.policy('P', { Version: '2012-10-17', Statement: { Effect: 'allow', Action: ['s3:getobject'], Resource: ['arn:aws:s3:::sales/*'] } }, { tags: [RAITO] });
    const { result } = await runExport([provider({ id: 'p', name: 'P', type: 'aws_policy', actualName: 'P', who: { users: ['alice'] }, what })]);
    expect(account.mutatingCalls()).toEqual([]);
    expect(result?.report.counts).toEqual({ aws_policy: { unchanged: 1 } });
  });

  it('compares with the default version named by DefaultVersionId when the listing flags none as default, and changes nothing', async () => {
    account.user('alice', [], ['P']);
    account.policy('P', doc('Allow', 's3:GetObject', 'arn:aws:s3:::sales/*'), { tags: [RAITO] });
    const listed = account.policies.at(-1)!;
    listed.PolicyVersionList = [{ VersionId: 'v1', Document: listed.PolicyVersionList![0]!.Document }];
    const { result } = await runExport([provider({ id: 'p', name: 'P', type: 'aws_policy', actualName: 'P', who: { users: ['alice'] }, what })]);
    expect(account.mutatingCalls()).toEqual([]);
    expect(result?.report.counts).toEqual({ aws_policy: { unchanged: 1 } });
  });

  it('never touches an untagged policy (no version, no attachment)', async () => {
    account.user('alice').user('bob', [], ['Theirs']);
    account.policy('Theirs', doc('Allow', 's3:GetObject', 'arn:aws:s3:::x/*'));
    const { feedback } = await runExport([provider({ id: 'p', name: 'Theirs', type: 'aws_policy', actualName: 'Theirs', who: { users: ['alice'] }, what })]);
    expect(account.mutatingCalls()).toEqual([]);
    expect(feedback[0]?.errors[0]).toMatch(/^managed policy Theirs was not created by the connector \(no tag creator=RAITO\): it is not changed/);
  });

  it('a renamed policy is created under the new name, takes over the attachments, and the old one is deleted after', async () => {
    const oldArn = policyArn('OldP');
    const newArn = policyArn('NewP');
    account.user('alice', [], ['OldP']);
    account.policy('OldP', doc('Allow', 's3:GetObject', 'arn:aws:s3:::sales/*'), { tags: [RAITO], versions: [{ VersionId: 'v2', IsDefaultVersion: true }, { VersionId: 'v1', IsDefaultVersion: false }] });
    const { feedback } = await runExport([provider({ id: 'p', name: 'NewP', type: 'aws_policy', actualName: 'OldP', who: { users: ['alice'] }, what })]);
    expect(account.mutatingCalls().map((c) => `${c.operation} ${JSON.stringify(c.input.PolicyArn ?? c.input.PolicyName)}`)).toEqual([
      'CreatePolicy "NewP"',
      `AttachUserPolicy "${newArn}"`,
      `DetachUserPolicy "${oldArn}"`,
      `DeletePolicyVersion "${oldArn}"`,
      `DeletePolicy "${oldArn}"`,
    ]);
    expect(feedback[0]).toMatchObject({ actualName: 'NewP', externalId: `policy:${newArn}`, warnings: ['renamed from OldP: the policy is created as NewP, takes over the attachments, and OldP is deleted'] });
  });

  it('deletes its own policy: detach everywhere, delete non-default versions, delete the policy', async () => {
    const arn = policyArn('P');
    account.user('alice', [], ['P']).group('g').role('R', { attached: ['P'], tags: [RAITO] });
    account.groups[0]!.AttachedManagedPolicies = [{ PolicyName: 'P', PolicyArn: arn }];
    account.policy('P', doc('Allow', 's3:GetObject', 'arn:aws:s3:::sales/*'), { tags: [RAITO], versions: [{ VersionId: 'v3', IsDefaultVersion: true }, { VersionId: 'v2', IsDefaultVersion: false }] });
    const { result } = await runExport([provider({ id: 'p', name: 'P', type: 'aws_policy', actualName: 'P', delete: true })]);
    expect(account.mutatingCalls()).toEqual([
      { operation: 'DetachUserPolicy', input: { UserName: 'alice', PolicyArn: arn } },
      { operation: 'DetachGroupPolicy', input: { GroupName: 'g', PolicyArn: arn } },
      { operation: 'DetachRolePolicy', input: { RoleName: 'R', PolicyArn: arn } },
      { operation: 'DeletePolicyVersion', input: { PolicyArn: arn, VersionId: 'v2' } },
      { operation: 'DeletePolicy', input: { PolicyArn: arn } },
    ]);
    expect(result?.report.counts).toEqual({ aws_policy: { deleted: 1 } });
  });

  it('refuses a document over 6,144 characters, saying by how much, and sends nothing', async () => {
    account.user('alice');
    const many = Array.from({ length: 150 }, (_, i) => ({ dataObject: obj(`bucket-${i}/data/file-${i}.csv`, 'file'), permissions: [i % 2 ? 's3:GetObject' : 's3:PutObject'] }));
    const { feedback } = await runExport([provider({ id: 'p', name: 'Huge', type: 'aws_policy', who: { users: ['alice'] }, what: many })]);
    expect(account.mutatingCalls()).toEqual([]);
    expect(feedback[0]?.errors).toHaveLength(1);
    const [, chars, over] = /would have (\d+) characters, (\d+) over the AWS limit of 6144$/.exec(feedback[0]!.errors[0]!) ?? [];
    expect(Number(chars) - 6144).toBe(Number(over));
    expect(Number(over)).toBeGreaterThan(0);
  });

  it('refuses an attachment that would give a user an eleventh managed policy', async () => {
    account.user('alice', [], ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']);
    const { feedback } = await runExport([provider({ id: 'p', name: 'Eleventh', type: 'aws_policy', who: { users: ['alice'] }, what })]);
    expect(account.mutatingCalls()).toEqual([]);
    expect(feedback[0]?.errors).toEqual(['user alice would have 11 managed policies attached, 1 over the AWS default limit of 10']);
  });
});
