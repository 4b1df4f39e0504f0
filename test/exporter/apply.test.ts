import { AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MockAccount, RAITO, obj, provider, runExport } from './scenario.js';

let account: MockAccount;
beforeEach(() => {
  account = new MockAccount();
});
afterEach(() => account.restore());

const what = [{ dataObject: obj('sales'), permissions: ['s3:GetObject'] }];
const awsError = (name: string, message: string, status = 400) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

describe('applying the plan', () => {
  it('writes roles, then policies, then access points; deletes after every write, access points first and roles last', async () => {
    account.user('alice').bucket('sales');
    account.role('OldRole', { tags: [RAITO] });
    account.policy('OldPolicy', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }, { tags: [RAITO] });
    account.accessPoint('old-ap', 'sales', { tags: [RAITO] });
    await runExport([
      provider({ id: 'ap', name: 'new-ap', type: 'aws_access_point', who: { inheritFrom: ['ID:role'] }, what }),
      provider({ id: 'del-role', name: 'OldRole', actualName: 'OldRole', delete: true }),
      provider({ id: 'del-ap', name: 'old-ap', type: 'aws_access_point', actualName: 'old-ap', externalId: 'accesspoint:arn:aws:s3:eu-central-1:111122223333:accesspoint/old-ap', delete: true }),
      provider({ id: 'pol', name: 'NewPolicy', type: 'aws_policy', who: { inheritFrom: ['ID:role'] }, what }),
      provider({ id: 'del-pol', name: 'OldPolicy', type: 'aws_policy', actualName: 'OldPolicy', delete: true }),
      provider({ id: 'role', name: 'NewRole', who: { users: ['alice'] }, what }),
    ]);
    expect(account.mutatingCalls().map((c) => c.operation)).toEqual([
      'CreateRole',
      'PutRolePolicy',
      'CreatePolicy',
      'AttachRolePolicy',
      'CreateAccessPoint',
      'PutAccessPointPolicy',
      'DeleteAccessPoint',
      'DeletePolicy',
      'DeleteRole',
    ]);
  });

  it('applies unrelated changes concurrently, never more at once than aws-concurrency', async () => {
    account.user('alice');
    let inFlight = 0;
    let most = 0;
    account.iam.on(CreateRoleCommand).callsFake(async () => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 20));
      inFlight--;
      return {};
    });
    const providers = Array.from({ length: 8 }, (_, i) => provider({ id: `r${i}`, name: `R${i}`, who: { users: ['alice'] }, what }));
    await runExport(providers, { params: { 'aws-concurrency': '3' } });
    expect(most).toBe(3);
    expect(account.iam.commandCalls(CreateRoleCommand)).toHaveLength(8);
  });

  it('retries "Invalid principal in policy" after a create and counts the retries in the report', async () => {
    account.user('alice');
    account.iam
      .on(CreatePolicyCommand)
      .resolves({})
      .on(AttachRolePolicyCommand)
      .rejectsOnce(awsError('NoSuchEntity', 'The role with name Child cannot be found.', 404))
      .resolves({});
    account.iam
      .on(CreateRoleCommand, { RoleName: 'Child' })
      .rejectsOnce(awsError('MalformedPolicyDocument', 'Invalid principal in policy: "AWS":"arn:aws:iam::111122223333:role/Parent"'))
      .resolves({});
    const { result, feedback } = await runExport([
      provider({ id: 'parent', name: 'Parent', who: { users: ['alice'] }, what }),
      provider({ id: 'child', name: 'Child', who: { inheritFrom: ['ID:parent'] }, what }),
      provider({ id: 'pol', name: 'Pol', type: 'aws_policy', who: { inheritFrom: ['ID:child'] }, what }),
    ]);
    expect(feedback.map((f) => f.errors)).toEqual([[], [], []]);
    expect(result?.report.consistencyRetries).toBe(2);
    expect(account.iam.commandCalls(CreateRoleCommand, { RoleName: 'Child' })).toHaveLength(2);
  });

  it('gives up on an eventual-consistency error after the window and names the call that failed', async () => {
    account.user('alice');
    account.iam.on(CreateRoleCommand).rejects(awsError('MalformedPolicyDocument', 'Invalid principal in policy: "AWS":"x"'));
    const { result, feedback } = await runExport([provider({ id: 'r', name: 'R', who: { users: ['alice'] }, what })]);
    expect(feedback[0]?.errors).toEqual(['create of aws_role R failed at IAM.CreateRole: AWS call IAM.CreateRole on R failed (MalformedPolicyDocument: Invalid principal in policy: "AWS":"x")']);
    // Backoff 1 + 2 + 4 + 8 + 16 = 31 ms fits in the test's 40 ms window, 32 more would not: 5 retries, then it gives up.
    expect(result?.report.consistencyRetries).toBe(5);
    expect(account.iam.commandCalls(CreateRoleCommand)).toHaveLength(6);
    expect(result?.report.failed).toBe(1);
  });

  it('one failing provider stops neither the others nor their feedback; what depends on it is not sent', async () => {
    account.user('alice');
    account.iam.on(CreateRoleCommand, { RoleName: 'Broken' }).rejects(awsError('AccessDenied', 'not allowed', 403));
    const { result, feedback } = await runExport([
      provider({ id: 'broken', name: 'Broken', who: { users: ['alice'] }, what }),
      provider({ id: 'fine', name: 'Fine', who: { users: ['alice'] }, what }),
      provider({ id: 'pol', name: 'OnBroken', type: 'aws_policy', who: { inheritFrom: ['ID:broken'] }, what }),
    ]);
    expect(feedback.map((f) => [f.accessProvider, f.errors])).toEqual([
      ['broken', ['create of aws_role Broken failed at IAM.CreateRole: AWS denied IAM.CreateRole on Broken: the credentials need iam:CreateRole on Broken (AccessDenied: not allowed)']],
      ['fine', []],
      ['pol', ['aws_policy OnBroken was not created: it depends on Broken, which failed']],
    ]);
    expect(account.iam.commandCalls(PutRolePolicyCommand).map((c) => c.args[0].input.RoleName)).toEqual(['Fine']);
    expect(account.iam.commandCalls(CreatePolicyCommand)).toHaveLength(0);
    expect(result?.report.counts).toEqual({ aws_role: { failed: 1, created: 1 }, aws_policy: { failed: 1 } });
    expect(result?.report.failed).toBe(2);
  });

  it('writes exactly one feedback record per provider, also for types it cannot export and duplicates', async () => {
    account.user('alice');
    const { feedback } = await runExport([
      provider({ id: 'x', name: 'Inline', type: 'aws_inline_policy', who: { users: ['alice'] }, what }),
      provider({ id: 'r', name: 'R', who: { users: ['alice'] }, what }),
      provider({ id: 'r', name: 'R again', who: { users: ['alice'] }, what }),
    ]);
    expect(feedback.map((f) => [f.accessProvider, f.errors])).toEqual([
      ['x', ['access providers of type aws_inline_policy cannot be exported by this connector']],
      ['r', []],
      ['r', ['access provider r appears more than once in the export input; only its first occurrence was exported']],
    ]);
  });

  it('makes no AWS call at all when there is nothing to export', async () => {
    const { result } = await runExport([]);
    expect(result).toBeUndefined();
    expect(account.iam.calls()).toHaveLength(0);
    expect(account.sts.calls()).toHaveLength(0);
  });
});
