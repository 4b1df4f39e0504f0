import { describe, expect, it } from 'vitest';
import { releaseAwsContext } from '../../../src/aws/index.js';
import { fakeAwsInterceptor } from '../../../src/demo/fake-aws/interceptor.js';
import { fakeServices } from '../../../src/demo/fake-aws/services.js';
import type { FakeAccount } from '../../../src/demo/fake-aws/types.js';
import { sampleAccount } from '../../../src/demo/sample-account.js';
import { sampleAccountId } from '../../../src/demo/sample/identities.js';
import { sampleIdentityStoreId, sampleInstanceArn } from '../../../src/demo/sample/identity-center.js';
import { releaseOrganization } from '../../../src/identity-center/connection.js';
import { importAccessProviders } from '../../../src/importers/access/index.js';
import { AccessProvider } from '../../../src/model/index.js';
import type { AwsInterceptor } from '../../../src/plugin-api/contract.js';
import { awsAccountPlugin } from '../../../src/plugins/aws-account/index.js';
import { testContext } from '../../helpers/context.js';
import { memoryOutputs } from '../../helpers/sinks.js';

const analyst = `${sampleInstanceArn.replace(':instance/', ':permissionSet/')}/ps-1a2b3c4d5e6f7a8b`;
const uploads = `${sampleInstanceArn.replace(':instance/', ':permissionSet/')}/ps-9f8e7d6c5b4a3921`;
const organization = { 'aws-organization-profile': 'management', 'aws-organization-region': 'us-east-1' };

/** The sample company's account and Identity Center; `calls` records every call with its region. */
async function importSample(params: Record<string, unknown> = organization, change: (account: FakeAccount) => void = () => undefined) {
  const account = sampleAccount();
  change(account);
  const fake = fakeAwsInterceptor(account, fakeServices);
  const calls: string[] = [];
  const interceptor: AwsInterceptor = (call) => {
    calls.push(`${call.service}.${call.operation}@${call.region}`);
    return fake(call);
  };
  const ctx = testContext({ specs: awsAccountPlugin.parameters, params: { 'aws-regions': 'eu-central-1,us-east-1,eu-west-1', ...params }, awsInterceptor: interceptor, syncs: ['data-access'] });
  const out = memoryOutputs();
  try {
    await importAccessProviders(ctx, out);
  } finally {
    releaseAwsContext(ctx);
    releaseOrganization(ctx);
  }
  const sink = out['access-providers'];
  for (const p of sink.items) expect(AccessProvider.safeParse(p).success, p.externalId).toBe(true);
  return { ctx, calls, sink, byId: new Map(sink.items.map((p) => [p.externalId, p])) };
}

describe('permission sets as access providers (aws_sso_role)', () => {
  it('imports each permission set provisioned to this account: who from its assignments here, what from its inline, AWS managed and customer managed policies', async () => {
    const { byId } = await importSample();
    const set = byId.get(`permissionset:${analyst}`);
    expect(set).toMatchObject({ name: 'DataAnalyst', type: 'aws_sso_role', action: 'grant', actualName: 'DataAnalyst' });
    // AmazonS3ReadOnlyAccess also names s3-object-lambda actions.
    expect(set?.description).toBe('Read the sales data Its policies also name 12 actions of services other than S3, which are not data permissions and are not shown.');
    // The group and user assigned in this account; walter is assigned in another account only.
    expect(set?.who).toEqual({ users: ['victor@acme.example'], groups: ['DataAnalysts'], accessProviders: [] });
    const what = new Map(set?.what.map((w) => [w.dataObject.fullName, w.permissions]));
    // Inline: GetObject on reports/; SalesRead (customer managed, /acme/): GetObject + ListBucket on the bucket; AmazonS3ReadOnlyAccess: the whole account.
    expect(what.get(`${sampleAccountId}:eu-central-1:acme-sales`)).toEqual(expect.arrayContaining(['s3:GetObject', 's3:ListBucket']));
    expect(what.get(`${sampleAccountId}:eu-central-1:acme-sales/reports`)).toEqual(['s3:GetObject']);
    expect(what.get(sampleAccountId)).toEqual(expect.arrayContaining(['s3:GetObject', 's3:ListBucket', 's3:ListAllMyBuckets']));
    expect(set?.tags).toEqual([{ key: 'owner', value: 'data-office', source: 'aws-sso' }]);
  });

  it('leaves out permission sets that are not provisioned to this account', async () => {
    const { sink } = await importSample();
    expect(sink.items.filter((p) => p.type === 'aws_sso_role').map((p) => p.name)).toEqual(['DataAnalyst', 'SalesUploads', 'SalesUploads (deny)']);
  });

  it('locks name and delete of permission sets the connector did not create, with a reason; not those tagged creator=RAITO', async () => {
    const { byId } = await importSample();
    const reason = 'permission set not created by the connector (no tag creator=RAITO): its name and its existence are managed in IAM Identity Center';
    expect(byId.get(`permissionset:${analyst}`)?.locks).toEqual([
      { lock: 'name', reason },
      { lock: 'delete', reason },
    ]);
    expect(byId.get(`permissionset:${uploads}`)?.locks).toBeUndefined();
  });

  it('puts Deny statements in a deny provider beside the permission set', async () => {
    const { byId } = await importSample();
    const deny = byId.get(`permissionset:${uploads}#deny`);
    expect(deny).toMatchObject({ action: 'deny', name: 'SalesUploads (deny)', who: { users: [], groups: ['Platform'], accessProviders: [] } });
    expect(deny?.what).toEqual([{ dataObject: { fullName: `${sampleAccountId}:eu-central-1:acme-sales`, type: 'bucket' }, permissions: ['s3:DeleteObject'] }]);
  });

  it('links AWSReservedSSO_ roles to their permission set: not imported as roles, and managed policies attached to them name the permission set', async () => {
    const { byId, sink } = await importSample();
    expect(sink.items.some((p) => p.name.startsWith('AWSReservedSSO_'))).toBe(false);
    expect(byId.get('policy:arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess')?.who.accessProviders).toContain(`permissionset:${analyst}`);
    expect(byId.get(`policy:arn:aws:iam::${sampleAccountId}:policy/SalesRead`)?.who.accessProviders).toContain(`permissionset:${analyst}`);
    expect(byId.get(`policy:arn:aws:iam::${sampleAccountId}:policy/SalesRead`)?.who.accessProviders).not.toContain('role:AWSReservedSSO_DataAnalyst_1a2b3c4d5e6f7a8b');
  });

  it('links the role even when aws-access-role-excludes leaves AWS.+ roles out', async () => {
    const { byId } = await importSample({ ...organization, 'aws-access-role-excludes': 'AWS.+' });
    expect(byId.get('policy:arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess')?.who.accessProviders).toContain(`permissionset:${analyst}`);
    expect(byId.get('policy:arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess')?.reasons.some((r) => r.includes('AWSReservedSSO_'))).toBe(false);
  });

  it('says when a customer managed policy reference names no policy of this account, and names the permissions boundary', async () => {
    const { byId } = await importSample(organization, (account) => {
      const set = account.identityCenter!.permissionSets[1]!;
      set.customerManagedPolicies = [{ Name: 'Missing', Path: '/team/' }];
      set.permissionsBoundary = { ManagedPolicyArn: 'arn:aws:iam::aws:policy/PowerUserAccess' };
    });
    const set = byId.get(`permissionset:${uploads}`);
    expect(set?.incomplete).toBe(true);
    expect(set?.reasons).toEqual([
      'permissions boundary arn:aws:iam::aws:policy/PowerUserAccess limits this permission set; effective access may be smaller',
      'customer managed policy reference /team/Missing names no policy in this account: it grants nothing here',
    ]);
  });

  it('reads Identity Center through the second connection, in aws-organization-region; nothing from it without the parameters', async () => {
    const { calls } = await importSample();
    const sso = calls.filter((c) => c.startsWith('SSOAdmin.') || c.startsWith('Identitystore.'));
    expect(new Set(sso.map((c) => c.split('@')[1]))).toEqual(new Set(['us-east-1']));
    expect(sso).toContain('SSOAdmin.ListInstances@us-east-1');

    const without = await importSample({});
    expect(without.calls.filter((c) => c.startsWith('SSOAdmin.') || c.startsWith('Identitystore.'))).toEqual([]);
    expect(without.sink.items.some((p) => p.type === 'aws_sso_role')).toBe(false);
    // Without permission sets, the AWSReservedSSO_ role is an ordinary role.
    expect(without.byId.has('role:AWSReservedSSO_DataAnalyst_1a2b3c4d5e6f7a8b')).toBe(true);
  });

  it('makes no ListInstances call when the instance and identity store are given, and accepts the identity store ARN', async () => {
    const { calls, sink } = await importSample({
      'aws-organization-identity-center-instance-arn': sampleInstanceArn,
      'aws-organization-identity-store': `arn:aws:identitystore::${sampleAccountId}:identitystore/${sampleIdentityStoreId}`,
    });
    expect(calls.filter((c) => c.startsWith('SSOAdmin.ListInstances'))).toEqual([]);
    expect(sink.items.filter((p) => p.type === 'aws_sso_role')).toHaveLength(3);
  });

  it('resolves each assigned principal once, however many permission sets it has', async () => {
    const { ctx } = await importSample(organization, (account) => {
      account.identityCenter!.permissionSets[1]!.assignments.push({ accountId: sampleAccountId, principalType: 'GROUP', principalId: '9067a1b2c3-g-analysts' });
    });
    expect(ctx.calls.get('Identitystore.DescribeGroup')).toBe(2);
    expect(ctx.calls.get('Identitystore.DescribeUser')).toBe(1);
  });

  it('marks the stream incomplete, naming the permission, when the permission sets of the account cannot be listed', async () => {
    const { sink } = await importSample(organization, (account) => {
      account.denied = ['SSOAdmin.ListPermissionSetsProvisionedToAccount'];
    });
    expect(sink.incomplete).toBe(true);
    expect(sink.warnings[0]).toMatch(/^AWS denied SSOAdmin\.ListPermissionSetsProvisionedToAccount on 111122223333: the credentials need sso:ListPermissionSetsProvisionedToAccount/);
    expect(sink.items.some((p) => p.type === 'aws_sso_role')).toBe(false);
  });

  it('keeps a permission set whose tags cannot be read, marked incomplete with the reason', async () => {
    const { byId, sink } = await importSample(organization, (account) => {
      account.denied = ['SSOAdmin.ListTagsForResource'];
    });
    const set = byId.get(`permissionset:${uploads}`);
    expect(set?.incomplete).toBe(true);
    expect(set?.reasons[0]).toMatch(/^could not be read completely: AWS denied SSOAdmin\.ListTagsForResource on arn:aws:sso:::permissionSet\/.+: the credentials need sso:ListTagsForResource/);
    expect(sink.incomplete).toBe(true);
  });

  it('fails with a configuration error naming the parameters when the management account has several instances', async () => {
    await expect(
      importSample(organization, (account) => {
        account.identityCenter!.instances.push({ instanceArn: 'arn:aws:sso:::instance/ssoins-other', identityStoreId: 'd-0000000000' });
      }),
    ).rejects.toMatchObject({
      code: 'config',
      message: `Several IAM Identity Center instances found in us-east-1: ${sampleInstanceArn} (identity store ${sampleIdentityStoreId}), arn:aws:sso:::instance/ssoins-other (identity store d-0000000000); set aws-organization-identity-center-instance-arn or aws-organization-identity-store to choose one`,
    });
  });
});
