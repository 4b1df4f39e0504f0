import { CreateRoleCommand, GetAccountAuthorizationDetailsCommand, GetCredentialReportCommand, GenerateCredentialReportCommand, IAMClient, paginateGetAccountAuthorizationDetails } from '@aws-sdk/client-iam';
import { GetTablesCommand, GlueClient } from '@aws-sdk/client-glue';
import { IdentitystoreClient, ListUsersCommand } from '@aws-sdk/client-identitystore';
import { GetBucketLocationCommand, GetBucketPolicyCommand, GetObjectCommand, ListBucketsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { CreateAccessPointCommand, DeleteAccessPointCommand, GetAccessPointPolicyCommand, ListAccessPointsCommand, ListTagsForResourceCommand, PutAccessPointPolicyCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBenchServer, type BenchServer } from '../../bench/server/http.js';
import type { FakeAccount } from '../../src/demo/fake-aws/types.js';
import { queryInput } from '../../bench/server/wire.js';

const ACCOUNT = '123456789012';
const readPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::sales/*' }] };
const logLine = JSON.stringify({ Records: [{ eventName: 'GetObject' }] });

/** A small account: a user alice in group analysts, a role, a policy, two buckets (one with a CloudTrail log object), an access point, an Identity Center user. */
function account(): FakeAccount {
  const keys = ['2026/a & b.csv', '2026/orders.csv', 'readme.txt'];
  return {
    accountId: ACCOUNT,
    callerArn: `arn:aws:iam::${ACCOUNT}:user/bench`,
    iam: {
      users: [{ UserName: 'alice', UserId: 'AIDAALICE', Arn: `arn:aws:iam::${ACCOUNT}:user/alice`, GroupList: ['analysts'], Tags: [{ Key: 'Email', Value: 'alice@example.com' }] }],
      groups: [{ GroupName: 'analysts', GroupId: 'AGPAANALYSTS', Arn: `arn:aws:iam::${ACCOUNT}:group/analysts` }],
      roles: [{ RoleName: 'SalesReader', RoleId: 'AROASALES', Arn: `arn:aws:iam::${ACCOUNT}:role/SalesReader`, RolePolicyList: [{ PolicyName: 'read', PolicyDocument: encodeURIComponent(JSON.stringify(readPolicy)) }] }],
      policies: [{ PolicyName: 'p1', Arn: `arn:aws:iam::${ACCOUNT}:policy/p1`, PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: encodeURIComponent(JSON.stringify(readPolicy)) }] }],
      credentials: { alice: { mfa_active: 'true' } },
    },
    s3: {
      buckets: [
        { name: 'logs', region: 'us-east-1', objects: [{ key: 'AWSLogs/1.json.gz', size: 10, body: gzipSync(logLine) }] },
        { name: 'sales', region: 'eu-central-1', objects: keys.map((key, i) => ({ key, size: 100 + i })), policy: JSON.stringify(readPolicy) },
      ],
      accessPoints: [{ name: 'ap-1', bucket: 'sales', region: 'eu-central-1', policy: JSON.stringify(readPolicy) }],
    },
    glue: { 'eu-central-1': { databases: [{ Name: 'sales_db' }], tables: { sales_db: [{ Name: 'orders', CreateTime: new Date('2026-02-03T04:05:06Z'), StorageDescriptor: { Location: 's3://sales/2026/', Columns: [{ Name: 'id', Type: 'bigint' }] } }] } } },
    identityCenter: { instances: [{ instanceArn: 'arn:aws:sso:::instance/ssoins-1', identityStoreId: 'd-1' }], users: [{ UserId: 'u-1', UserName: 'bob', IdentityStoreId: 'd-1' }], groups: [], memberships: [], permissionSets: [] },
  };
}

let server: BenchServer;
const config = (region: string) => ({ region, endpoint: server.url, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });

beforeAll(async () => {
  server = await startBenchServer({ account: account(), latencyMs: 0 });
});
afterAll(() => server.close());

describe('the bench endpoint answers the real SDK clients in their wire formats', () => {
  it('S3 (restXml): buckets with their regions, a delimited listing with escaped keys, a policy, a gzip log object, and S3 error codes', async () => {
    server.reset();
    const s3 = new S3Client({ ...config('eu-central-1'), forcePathStyle: true });
    const buckets = await s3.send(new ListBucketsCommand({}));
    expect(buckets.Buckets?.map((b) => [b.Name, b.BucketRegion])).toEqual([['logs', 'us-east-1'], ['sales', 'eu-central-1']]);
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: 'sales' }))).LocationConstraint).toBe('eu-central-1');
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: 'logs' }))).LocationConstraint).toBeUndefined();

    const top = await s3.send(new ListObjectsV2Command({ Bucket: 'sales', Delimiter: '/' }));
    expect(top.CommonPrefixes).toEqual([{ Prefix: '2026/' }]);
    expect(top.Contents?.map((o) => [o.Key, o.Size, o.LastModified?.toISOString(), o.StorageClass])).toEqual([['readme.txt', 102, '2024-01-01T00:00:00.000Z', 'STANDARD']]);
    const paged = await s3.send(new ListObjectsV2Command({ Bucket: 'sales', Prefix: '2026/', MaxKeys: 1 }));
    expect([paged.Contents?.map((o) => o.Key), paged.IsTruncated, paged.KeyCount]).toEqual([['2026/a & b.csv'], true, 1]);
    const next = await s3.send(new ListObjectsV2Command({ Bucket: 'sales', Prefix: '2026/', MaxKeys: 1, ContinuationToken: paged.NextContinuationToken }));
    expect([next.Contents?.map((o) => o.Key), next.IsTruncated]).toEqual([['2026/orders.csv'], false]);

    expect(JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: 'sales' }))).Policy ?? '')).toEqual(readPolicy);
    await expect(s3.send(new GetBucketPolicyCommand({ Bucket: 'logs' }))).rejects.toMatchObject({ name: 'NoSuchBucketPolicy', $metadata: { httpStatusCode: 404 } });

    const east = new S3Client({ ...config('us-east-1'), forcePathStyle: true });
    const object = await east.send(new GetObjectCommand({ Bucket: 'logs', Key: 'AWSLogs/1.json.gz' }));
    expect(gunzipSync(await object.Body!.transformToByteArray()).toString()).toBe(logLine);

    expect(server.calls()).toEqual({ 'S3.GetBucketLocation': 2, 'S3.GetBucketPolicy': 2, 'S3.GetObject': 1, 'S3.ListBuckets': 1, 'S3.ListObjectsV2': 3 });
  });

  it('S3 Control (restXml): access points of the region and their policy', async () => {
    const control = new S3ControlClient(config('eu-central-1'));
    // As src/aws/client-factory.ts does for an overridden endpoint: no `<account>.` host prefix.
    const rules = control.config.endpointProvider;
    (control.config as { endpointProvider: typeof rules }).endpointProvider = (params, context) => rules({ ...params, RequiresAccountId: false }, context);
    const list = await control.send(new ListAccessPointsCommand({ AccountId: ACCOUNT }));
    expect(list.AccessPointList?.map((ap) => [ap.Name, ap.Bucket, ap.AccessPointArn])).toEqual([['ap-1', 'sales', `arn:aws:s3:eu-central-1:${ACCOUNT}:accesspoint/ap-1`]]);
    expect(JSON.parse((await control.send(new GetAccessPointPolicyCommand({ AccountId: ACCOUNT, Name: 'ap-1' }))).Policy ?? '')).toEqual(readPolicy);
  });

  it('keeps the state of writes: an access point created with tags and a policy, then deleted; a role created with tags', async () => {
    const writable = await startBenchServer({ account: account(), latencyMs: 0, cache: false });
    try {
      const endpoint = { region: 'eu-central-1', endpoint: writable.url, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } };
      const control = new S3ControlClient(endpoint);
      const rules = control.config.endpointProvider;
      (control.config as { endpointProvider: typeof rules }).endpointProvider = (params, context) => rules({ ...params, RequiresAccountId: false }, context);
      const created = await control.send(new CreateAccessPointCommand({ AccountId: ACCOUNT, Name: 'share-1', Bucket: 'sales', Tags: [{ Key: 'creator', Value: 'RAITO' }] }));
      expect(created.AccessPointArn).toBe(`arn:aws:s3:eu-central-1:${ACCOUNT}:accesspoint/share-1`);
      await control.send(new PutAccessPointPolicyCommand({ AccountId: ACCOUNT, Name: 'share-1', Policy: JSON.stringify(readPolicy) }));
      expect(JSON.parse((await control.send(new GetAccessPointPolicyCommand({ AccountId: ACCOUNT, Name: 'share-1' }))).Policy ?? '')).toEqual(readPolicy);
      expect((await control.send(new ListTagsForResourceCommand({ AccountId: ACCOUNT, ResourceArn: created.AccessPointArn }))).Tags).toEqual([{ Key: 'creator', Value: 'RAITO' }]);
      await control.send(new DeleteAccessPointCommand({ AccountId: ACCOUNT, Name: 'share-1' }));
      expect((await control.send(new ListAccessPointsCommand({ AccountId: ACCOUNT }))).AccessPointList?.map((ap) => ap.Name)).toEqual(['ap-1']);

      const iam = new IAMClient({ ...endpoint, region: 'us-east-1' });
      await iam.send(new CreateRoleCommand({ RoleName: 'raito-reader', AssumeRolePolicyDocument: JSON.stringify(readPolicy), Tags: [{ Key: 'creator', Value: 'RAITO' }] }));
      const roles = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role'] }));
      expect(roles.RoleDetailList?.map((r) => [r.RoleName, r.Tags])).toEqual([['SalesReader', undefined], ['raito-reader', [{ Key: 'creator', Value: 'RAITO' }]]]);
    } finally {
      await writable.close();
    }
  });

  it('IAM (awsQuery): GetAccountAuthorizationDetails pages with URL-encoded policy documents, the credential report as base64, and IAM error codes', async () => {
    server.reset();
    const iam = new IAMClient(config('us-east-1'));
    const pages = [];
    for await (const page of paginateGetAccountAuthorizationDetails({ client: iam, pageSize: 2 }, {})) pages.push(page);
    expect(pages.map((p) => [p.UserDetailList?.length ?? 0, p.GroupDetailList?.length ?? 0, p.RoleDetailList?.length ?? 0, p.Policies?.length ?? 0])).toEqual([[1, 1, 0, 0], [0, 0, 1, 1]]);
    expect(pages[0]!.UserDetailList?.[0]).toMatchObject({ UserName: 'alice', GroupList: ['analysts'], Tags: [{ Key: 'Email', Value: 'alice@example.com' }] });
    expect(JSON.parse(decodeURIComponent(pages[1]!.RoleDetailList?.[0]?.RolePolicyList?.[0]?.PolicyDocument ?? ''))).toEqual(readPolicy);
    expect(JSON.parse(decodeURIComponent(pages[1]!.Policies?.[0]?.PolicyVersionList?.[0]?.Document ?? ''))).toEqual(readPolicy);

    const filtered = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role'] }));
    expect(filtered.RoleDetailList?.map((r) => r.RoleName)).toEqual(['SalesReader']);
    expect(filtered.UserDetailList).toEqual([]);

    await expect(iam.send(new GetCredentialReportCommand({}))).rejects.toMatchObject({ name: 'CredentialReportNotPresentException', $metadata: { httpStatusCode: 410 } });
    expect((await iam.send(new GenerateCredentialReportCommand({}))).State).toBe('COMPLETE');
    const report = await iam.send(new GetCredentialReportCommand({}));
    const rows = Buffer.from(report.Content!).toString('utf8').trim().split('\n');
    expect(rows.map((r) => r.split(',')[0])).toEqual(['user', '<root_account>', 'alice']);
    expect(report.GeneratedTime?.toISOString()).toBe('2026-11-30T06:00:00.000Z');
    // The finished report is answered again (from the endpoint's cache; the 410 before it was not kept).
    expect(Buffer.from((await iam.send(new GetCredentialReportCommand({}))).Content!).equals(Buffer.from(report.Content!))).toBe(true);
    expect(server.calls()).toEqual({ 'IAM.GenerateCredentialReport': 1, 'IAM.GetAccountAuthorizationDetails': 3, 'IAM.GetCredentialReport': 3 });
  });

  it('Glue (awsJson1_1): tables with their dates (epoch seconds on the wire) and columns', async () => {
    const glue = new GlueClient(config('eu-central-1'));
    const tables = await glue.send(new GetTablesCommand({ DatabaseName: 'sales_db' }));
    expect(tables.TableList?.map((t) => [t.Name, t.DatabaseName, t.CreateTime?.toISOString(), t.StorageDescriptor?.Columns?.[0]?.Type])).toEqual([['orders', 'sales_db', '2026-02-03T04:05:06.000Z', 'bigint']]);
    await expect(glue.send(new GetTablesCommand({ DatabaseName: 'nope' }))).rejects.toMatchObject({ name: 'EntityNotFoundException', message: 'Database nope not found.' });
  });

  it('STS (awsQuery) and Identity Store (awsJson1_1)', async () => {
    expect(await new STSClient(config('us-east-1')).send(new GetCallerIdentityCommand({}))).toMatchObject({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/bench` });
    const users = await new IdentitystoreClient(config('eu-central-1')).send(new ListUsersCommand({ IdentityStoreId: 'd-1' }));
    expect(users.Users?.map((u) => [u.UserId, u.UserName])).toEqual([['u-1', 'bob']]);
    await expect(new IdentitystoreClient(config('eu-central-1')).send(new ListUsersCommand({ IdentityStoreId: 'd-nope' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe('awsQuery form bodies as the fake handlers take them', () => {
  it('turns member lists and their structures into arrays', () => {
    const form = new URLSearchParams('Action=CreateRole&Version=2010-05-08&RoleName=r&Tags.member.1.Key=creator&Tags.member.1.Value=RAITO&Tags.member.2.Key=team&Tags.member.2.Value=a&Filter.member.1=User&Filter.member.2=Group');
    expect(queryInput(form)).toEqual({ RoleName: 'r', Tags: [{ Key: 'creator', Value: 'RAITO' }, { Key: 'team', Value: 'a' }], Filter: ['User', 'Group'] });
  });
});
