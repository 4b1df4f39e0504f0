import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, MockAccount, RAITO, apArn, obj, provider, roleArn, runExport, userArn } from './scenario.js';

let account: MockAccount;
beforeEach(() => {
  account = new MockAccount();
});
afterEach(() => account.restore());

const apPolicy = (name: string, principals: string[], region = 'eu-central-1') => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: principals.length === 1 ? principals[0] : principals }, Action: 's3:GetObject', Resource: `${apArn(name, region)}/object/2026/*` }],
});

describe('exporting an access point', () => {
  it('creates it tagged creator=RAITO in the bucket region, then puts its policy for users, group members and roles', async () => {
    account.bucket('sales', 'us-west-2').user('alice', ['analysts']).user('bob').role('Worker', { tags: [RAITO] });
    const folder = { fullName: `${ACCOUNT}:us-west-2:sales/2026`, type: 'folder' as const };
    const { feedback, result } = await runExport([
      provider({ id: 'a', name: 'Sales 2026', type: 'aws_access_point', who: { users: ['bob'], groups: ['analysts'], inheritFrom: ['role:Worker'] }, what: [{ dataObject: folder, permissions: ['s3:GetObject'] }] }),
    ]);
    expect(account.mutatingCalls()).toEqual([
      { operation: 'CreateAccessPoint', input: { AccountId: ACCOUNT, Name: 'sales-2026', Bucket: 'sales', Tags: [RAITO] } },
      { operation: 'PutAccessPointPolicy', input: { AccountId: ACCOUNT, Name: 'sales-2026', Policy: JSON.stringify(apPolicy('sales-2026', [roleArn('Worker'), userArn('alice'), userArn('bob')], 'us-west-2')) } },
    ]);
    expect(result?.plan.providers[0]?.changes[0]?.calls.map((c) => c.region)).toEqual(['us-west-2', 'us-west-2']);
    expect(feedback[0]).toMatchObject({ actualName: 'sales-2026', externalId: `accesspoint:${apArn('sales-2026', 'us-west-2')}`, type: 'aws_access_point', errors: [] });
  });

  it('makes zero mutating calls when the policy already matches', async () => {
    account.bucket('sales').user('alice').accessPoint('sales-ap', 'sales', { policy: apPolicy('sales-ap', [userArn('alice')]), tags: [RAITO] });
    const { result } = await runExport([provider({ id: 'a', name: 'sales-ap', type: 'aws_access_point', actualName: 'sales-ap', who: { users: ['alice'] }, what: [{ dataObject: obj('sales/2026', 'folder'), permissions: ['s3:GetObject'] }] })]);
    expect(account.mutatingCalls()).toEqual([]);
    expect(result?.report.counts).toEqual({ aws_access_point: { unchanged: 1 } });
  });

  it('updates the policy of its own access point, and refuses to touch an untagged one', async () => {
    account.bucket('sales').user('alice').user('bob');
    account.accessPoint('ours', 'sales', { policy: apPolicy('ours', [userArn('alice')]), tags: [RAITO] });
    account.accessPoint('theirs', 'sales', { policy: apPolicy('theirs', [userArn('alice')]) });
    const what = [{ dataObject: obj('sales/2026', 'folder'), permissions: ['s3:GetObject'] }];
    const { feedback } = await runExport([
      provider({ id: 'a', name: 'ours', type: 'aws_access_point', actualName: 'ours', who: { users: ['bob'] }, what }),
      provider({ id: 'b', name: 'theirs', type: 'aws_access_point', actualName: 'theirs', who: { users: ['bob'] }, what }),
    ]);
    expect(account.mutatingCalls()).toEqual([{ operation: 'PutAccessPointPolicy', input: { AccountId: ACCOUNT, Name: 'ours', Policy: JSON.stringify(apPolicy('ours', [userArn('bob')])) } }]);
    expect(feedback[1]?.errors[0]).toMatch(/^access point theirs was not created by the connector \(no tag creator=RAITO\)/);
  });

  it('refuses a what in two buckets with a feedback error', async () => {
    account.bucket('sales').bucket('hr').user('alice');
    const { feedback } = await runExport([
      provider({ id: 'a', name: 'two', type: 'aws_access_point', who: { users: ['alice'] }, what: [{ dataObject: obj('sales'), permissions: ['s3:GetObject'] }, { dataObject: obj('hr'), permissions: ['s3:GetObject'] }] }),
    ]);
    expect(account.mutatingCalls()).toEqual([]);
    expect(feedback[0]?.errors).toEqual(['an access point serves one bucket, but the what names buckets sales and hr']);
  });

  it('deletes its own access point, never an untagged one', async () => {
    account.bucket('sales').accessPoint('ours', 'sales', { tags: [RAITO] }).accessPoint('theirs', 'sales');
    const { feedback } = await runExport([
      provider({ id: 'a', name: 'ours', type: 'aws_access_point', externalId: `accesspoint:${apArn('ours')}`, delete: true }),
      provider({ id: 'b', name: 'theirs', type: 'aws_access_point', externalId: `accesspoint:${apArn('theirs')}`, delete: true }),
    ]);
    expect(account.mutatingCalls()).toEqual([{ operation: 'DeleteAccessPoint', input: { AccountId: ACCOUNT, Name: 'ours' } }]);
    expect(feedback.map((f) => f.errors)).toEqual([[], ['access point theirs was not created by the connector (no tag creator=RAITO): it is never deleted, nothing was sent']]);
  });
});
