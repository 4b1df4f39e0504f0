import { CreateRoleCommand, DeleteRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROLE_INLINE_POLICY } from '../../src/exporter/roles.js';
import { MockAccount, RAITO, obj, provider, roleArn, runExport, trustOf, userArn } from './scenario.js';

let account: MockAccount;
beforeEach(() => {
  account = new MockAccount();
});
afterEach(() => account.restore());

const readSales = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::sales/*' }] };

describe('exporting a role', () => {
  it('creates the role tagged creator=RAITO with the who in its trust policy and the what in one inline policy', async () => {
    account.user('alice').user('bob');
    const { feedback, result } = await runExport([provider({ id: 'ap1', name: 'Sales Reader', who: { users: ['alice', 'bob'] }, what: [{ dataObject: obj('sales'), permissions: ['s3:GetObject'] }] })]);
    expect(account.mutatingCalls()).toEqual([
      {
        operation: 'CreateRole',
        input: { RoleName: 'Sales_Reader', AssumeRolePolicyDocument: JSON.stringify(trustOf(userArn('alice'), userArn('bob'))), Description: undefined, Tags: [RAITO] },
      },
      { operation: 'PutRolePolicy', input: { RoleName: 'Sales_Reader', PolicyName: ROLE_INLINE_POLICY, PolicyDocument: JSON.stringify(readSales) } },
    ]);
    expect(feedback).toEqual([{ accessProvider: 'ap1', actualName: 'Sales_Reader', externalId: 'role:Sales_Reader', type: 'aws_role', errors: [], warnings: [] }]);
    expect(result?.report.counts).toEqual({ aws_role: { created: 1 } });
    expect(result?.report.failed).toBe(0);
  });

  it('makes zero mutating calls when the role already matches (trust order, Effect case and arrays differ)', async () => {
    account.user('alice').user('bob');
    const trust = { Version: '2012-10-17', Statement: [{ Sid: 'x', Effect: 'allow', Principal: { AWS: [userArn('bob'), userArn('alice')] }, Action: ['sts:assumerole'] }] };
    account.role('Reader', { trust, inline: { [ROLE_INLINE_POLICY]: { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::sales/*'] } } }, tags: [RAITO] });
    const { feedback, result } = await runExport([provider({ id: 'ap1', name: 'Reader', actualName: 'Reader', who: { users: ['alice', 'bob'] }, what: [{ dataObject: obj('sales'), permissions: ['s3:GetObject'] }] })]);
    expect(account.mutatingCalls()).toEqual([]);
    expect(result?.report.counts).toEqual({ aws_role: { unchanged: 1 } });
    expect(feedback[0]).toMatchObject({ actualName: 'Reader', externalId: 'role:Reader', errors: [] });
  });

  it('updates only the trust policy when only the who changed', async () => {
    account.user('alice').user('carol');
    account.role('Reader', { trust: trustOf(userArn('alice')), inline: { [ROLE_INLINE_POLICY]: readSales }, tags: [RAITO] });
    const { result } = await runExport([provider({ id: 'ap1', name: 'Reader', actualName: 'Reader', who: { users: ['carol'] }, what: [{ dataObject: obj('sales'), permissions: ['s3:GetObject'] }] })]);
    expect(account.mutatingCalls()).toEqual([{ operation: 'UpdateAssumeRolePolicy', input: { RoleName: 'Reader', PolicyDocument: JSON.stringify(trustOf(userArn('carol'))) } }]);
    expect(result?.report.counts).toEqual({ aws_role: { updated: 1 } });
  });

  it('never updates a role without the creator tag, and says so in the feedback', async () => {
    account.user('alice');
    account.role('Imported', { trust: trustOf(userArn('someone')) });
    const { feedback, result } = await runExport([provider({ id: 'ap1', name: 'Imported', actualName: 'Imported', who: { users: ['alice'] } })]);
    expect(account.mutatingCalls()).toEqual([]);
    expect(feedback[0]?.errors).toEqual([
      'role Imported was not created by the connector (no tag creator=RAITO): it is not changed, nothing was sent (set aws-export-manage-existing: true to let the export update resources the cloud has taken over)',
    ]);
    expect(result?.report.failed).toBe(1);
  });

  it('updates an untagged role with aws-export-manage-existing, with a warning', async () => {
    account.user('alice');
    account.role('Imported', { trust: trustOf(userArn('someone')) });
    const { feedback } = await runExport([provider({ id: 'ap1', name: 'Imported', actualName: 'Imported', who: { users: ['alice'] } })], { params: { 'aws-export-manage-existing': 'true' } });
    expect(account.mutatingCalls().map((c) => c.operation)).toEqual(['UpdateAssumeRolePolicy']);
    expect(feedback[0]?.warnings).toEqual(['role Imported was not created by the connector (no tag creator=RAITO); it was updated because aws-export-manage-existing is true']);
  });

  it('never deletes an untagged role, even with aws-export-manage-existing', async () => {
    account.role('Imported');
    const { feedback } = await runExport([provider({ id: 'ap1', name: 'Imported', actualName: 'Imported', delete: true })], { params: { 'aws-export-manage-existing': 'true' } });
    expect(account.mutatingCalls()).toEqual([]);
    expect(feedback[0]?.errors).toEqual(['role Imported was not created by the connector (no tag creator=RAITO): it is never deleted, nothing was sent']);
  });

  it('deletes its own role: detach, delete inline policies, then the role', async () => {
    account.role('Old', { inline: { [ROLE_INLINE_POLICY]: readSales }, attached: ['Extra'], tags: [RAITO] });
    const { feedback, result } = await runExport([provider({ id: 'ap1', name: 'Old', actualName: 'Old', delete: true })]);
    expect(account.mutatingCalls()).toEqual([
      { operation: 'DetachRolePolicy', input: { RoleName: 'Old', PolicyArn: 'arn:aws:iam::111122223333:policy/Extra' } },
      { operation: 'DeleteRolePolicy', input: { RoleName: 'Old', PolicyName: ROLE_INLINE_POLICY } },
      { operation: 'DeleteRole', input: { RoleName: 'Old' } },
    ]);
    expect(feedback).toEqual([{ accessProvider: 'ap1', actualName: 'Old', externalId: 'role:Old', type: 'aws_role', errors: [], warnings: [] }]);
    expect(result?.report.counts).toEqual({ aws_role: { deleted: 1 } });
  });

  it('expands groups to their members in the trust policy and says which users a group became', async () => {
    account.user('alice', ['analysts']).user('bob', ['analysts']).user('carol');
    const { feedback } = await runExport([provider({ id: 'ap1', name: 'R', who: { groups: ['analysts'], users: ['carol'] }, what: [{ dataObject: obj('sales'), permissions: ['s3:GetObject'] }] })]);
    const create = account.iam.commandCalls(CreateRoleCommand)[0]!.args[0].input;
    expect(JSON.parse(create.AssumeRolePolicyDocument!)).toEqual(trustOf(userArn('alice'), userArn('bob'), userArn('carol')));
    expect(feedback[0]?.warnings).toEqual(['group analysts cannot be named in the policy; it was expanded to its members alice, bob (add or remove members and export again to follow changes)']);
  });

  it('names roles of inheritFrom (role:<name> and ID:<id> of a role created in the same run) and creates the inherited role first', async () => {
    account.user('alice').role('Existing', { tags: [RAITO] });
    await runExport([
      provider({ id: 'child', name: 'Child', who: { inheritFrom: ['ID:parent', 'role:Existing'] }, what: [{ dataObject: obj('sales'), permissions: ['s3:GetObject'] }] }),
      provider({ id: 'parent', name: 'Parent', who: { users: ['alice'] }, what: [{ dataObject: obj('sales'), permissions: ['s3:GetObject'] }] }),
    ]);
    const creates = account.iam.commandCalls(CreateRoleCommand).map((c) => c.args[0].input);
    expect(creates.map((c) => c.RoleName)).toEqual(['Parent', 'Child']);
    expect(JSON.parse(creates[1]!.AssumeRolePolicyDocument!)).toEqual(trustOf(roleArn('Existing'), roleArn('Parent')));
  });

  it('does not create a role with no principal, and says why', async () => {
    const { feedback } = await runExport([provider({ id: 'ap1', name: 'Nobody', who: { users: ['ghost'] }, what: [{ dataObject: obj('sales'), permissions: ['s3:GetObject'] }] })]);
    expect(account.mutatingCalls()).toEqual([]);
    expect(feedback[0]).toMatchObject({
      errors: ['role Nobody would have no principal (who names no existing user, group member or role), so it is not created'],
      warnings: ['user ghost does not exist in the account; left out of who'],
    });
  });

  it('keeps the name of an existing role when the cloud renames it, with a warning', async () => {
    account.user('alice').role('OldName', { trust: trustOf(userArn('alice')), inline: { [ROLE_INLINE_POLICY]: readSales }, tags: [RAITO] });
    const { feedback } = await runExport([provider({ id: 'ap1', name: 'NewName', actualName: 'OldName', who: { users: ['alice'] }, what: [{ dataObject: obj('sales'), permissions: ['s3:GetObject'] }] })]);
    expect(account.mutatingCalls()).toEqual([]);
    expect(feedback[0]).toMatchObject({ actualName: 'OldName', externalId: 'role:OldName', warnings: ['the name asked is NewName, but AWS cannot rename a role: role OldName keeps its name'] });
  });

  it('refuses a trust policy over 2,048 characters, naming the limit and the excess', async () => {
    const users = Array.from({ length: 60 }, (_, i) => `user-with-a-long-name-${i}`);
    for (const u of users) account.user(u);
    const { feedback } = await runExport([provider({ id: 'ap1', name: 'Big', who: { users } })]);
    expect(account.mutatingCalls()).toEqual([]);
    const length = JSON.stringify(trustOf(...users.map(userArn).sort())).length;
    expect(feedback[0]?.errors).toEqual([`the trust policy of role Big would have ${length} characters, ${length - 2048} over the AWS limit of 2048 (too many principals: 60)`]);
  });

  it('makes zero mutating calls on a dry run and still plans the exact calls', async () => {
    account.user('alice');
    const { result, feedback } = await runExport([provider({ id: 'ap1', name: 'R', who: { users: ['alice'] }, what: [{ dataObject: obj('sales'), permissions: ['s3:GetObject'] }] })], { dryRun: true });
    expect(account.mutatingCalls()).toEqual([]);
    expect(account.iam.commandCalls(PutRolePolicyCommand)).toHaveLength(0);
    expect(result?.plan.providers[0]?.changes.map((c) => c.calls.map((x) => x.operation))).toEqual([['CreateRole', 'PutRolePolicy']]);
    expect(result?.report.dryRun).toBe(true);
    expect(result?.report.counts).toEqual({ aws_role: { created: 1 } });
    expect(feedback[0]?.warnings).toEqual(['dry run: 1 change planned (create R), nothing was applied']);
  });

  it('counts the role\'s other inline policies towards the 10,240-character limit, as IAM stores them once decoded', async () => {
    account.user('alice');
    // IAM sends the document URL-encoded; its literal %41 is three characters, not an A.
    const big = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${'x'.repeat(10_150)}/100%41/*` }] };
    account.role('Full', { trust: trustOf(userArn('alice')), inline: { legacy: big }, tags: [RAITO] });
    const { feedback } = await runExport([provider({ id: 'ap1', name: 'Full', actualName: 'Full', who: { users: ['alice'] }, what: [{ dataObject: obj('sales'), permissions: ['s3:GetObject'] }] })]);
    expect(account.mutatingCalls()).toEqual([]);
    const total = JSON.stringify(big).length + JSON.stringify(readSales).length;
    expect(feedback[0]?.errors).toEqual([`the inline policies of role Full would have ${total} characters, ${total - 10_240} over the AWS limit of 10240 in total`]);
  });

  it('takes "does not exist" as done when deleting (a role deleted by hand meanwhile)', async () => {
    account.role('Gone', { tags: [RAITO] });
    account.iam.on(DeleteRoleCommand).rejects(Object.assign(new Error('The role with name Gone cannot be found.'), { name: 'NoSuchEntity', $metadata: { httpStatusCode: 404 } }));
    const { feedback, result } = await runExport([provider({ id: 'ap1', name: 'Gone', actualName: 'Gone', delete: true })]);
    expect(feedback[0]?.errors).toEqual([]);
    expect(result?.report.counts).toEqual({ aws_role: { deleted: 1 } });
    expect(result?.report.consistencyRetries).toBe(0);
  });
});
