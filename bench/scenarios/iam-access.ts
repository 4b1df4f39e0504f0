import type { GroupDetail, ManagedPolicyDetail, RoleDetail, UserDetail } from '@aws-sdk/client-iam';
import { releaseAwsContext } from '../../src/aws/index.js';
import { fakeAwsInterceptor } from '../../src/demo/fake-aws/interceptor.js';
import { fakeServices } from '../../src/demo/fake-aws/services.js';
import type { FakeAccount, FakeBucket } from '../../src/demo/fake-aws/types.js';
import { accessImportStats, importAccessProviders } from '../../src/importers/access/index.js';
import { iamSnapshot } from '../../src/importers/iam-snapshot.js';
import { awsAccountPlugin } from '../../src/plugins/aws-account/index.js';
import { benchContext, benchOutputs, measure, runIfMain } from '../context.js';
import type { BenchResult } from '../types.js';

const ACCOUNT = '999999999999';
const USERS = 5_000;
const GROUPS = 100;
const ROLES = 10_000;
const POLICIES = 20_000;
const BUCKETS = 100;
const ACCESS_POINTS = 20;
const REGIONS = ['eu-central-1', 'us-east-1'];
const LATENCY_MS = 20;
/** GetAccountAuthorizationDetails serves at most 1000 entities a page. */
const PAGE = 1000;

const stored = (...Statement: object[]): string => encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement }));
const policyArn = (p: number): string => `arn:aws:iam::${ACCOUNT}:policy/team/policy-${p}`;
const bucketName = (b: number): string => `data-${String(b).padStart(3, '0')}`;

/** Five statements as real policies mix them: a folder read, a conditional list, a Deny, a NotAction, and another service. */
function policyDocument(p: number): string {
  const bucket = bucketName(p % BUCKETS);
  const team = `team-${p % 250}`;
  return stored(
    { Sid: 'Read', Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: `arn:aws:s3:::${bucket}/${team}/*` },
    { Sid: 'List', Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${bucket}`, Condition: { StringLike: { 's3:prefix': [`${team}/*`] } } },
    { Sid: 'NoDelete', Effect: 'Deny', Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'], Resource: `arn:aws:s3:::${bucket}/*` },
    { Sid: 'Write', Effect: 'Allow', NotAction: ['s3:Delete*', 's3:PutBucket*', 'iam:*'], Resource: `arn:aws:s3:::${bucket}/${team}/out/*` },
    { Sid: 'Other', Effect: 'Allow', Action: ['ec2:Describe*', 'cloudwatch:GetMetricData', 'logs:FilterLogEvents'], Resource: '*' },
  );
}

function syntheticAccount(): FakeAccount {
  const policies: ManagedPolicyDetail[] = Array.from({ length: POLICIES }, (_, p) => ({
    PolicyName: `policy-${p}`,
    PolicyId: `ANPA${String(p).padStart(17, '0')}`,
    Arn: policyArn(p),
    Path: '/team/',
    DefaultVersionId: 'v1',
    AttachmentCount: 2,
    PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: policyDocument(p) }],
  }));
  const groups: GroupDetail[] = Array.from({ length: GROUPS }, (_, g) => ({
    GroupName: `group-${g}`,
    GroupId: `AGPA${String(g).padStart(17, '0')}`,
    Arn: `arn:aws:iam::${ACCOUNT}:group/group-${g}`,
    GroupPolicyList: [{ PolicyName: 'group-inline', PolicyDocument: stored({ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucketName(g % BUCKETS)}/shared/*` }) }],
    AttachedManagedPolicies: [],
  }));
  // Each policy is attached to one user (4 a user) and one role (2 a role).
  const users: UserDetail[] = Array.from({ length: USERS }, (_, u) => ({
    UserName: `user-${u}`,
    UserId: `AIDA${String(u).padStart(17, '0')}`,
    Arn: `arn:aws:iam::${ACCOUNT}:user/user-${u}`,
    GroupList: [`group-${u % GROUPS}`],
    AttachedManagedPolicies: [0, 1, 2, 3].map((k) => ({ PolicyName: `policy-${u + k * USERS}`, PolicyArn: policyArn(u + k * USERS) })),
    UserPolicyList: u % 10 === 0 ? [{ PolicyName: 'own', PolicyDocument: stored({ Effect: 'Allow', Action: 's3:PutObject', Resource: `arn:aws:s3:::${bucketName(u % BUCKETS)}/home/user-${u}/*` }) }] : [],
    ...(u % 50 === 0 ? { PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy' as const, PermissionsBoundaryArn: policyArn(0) } } : {}),
  }));
  const roles: RoleDetail[] = Array.from({ length: ROLES }, (_, r) => ({
    RoleName: `role-${r}`,
    RoleId: `AROA${String(r).padStart(17, '0')}`,
    Arn: `arn:aws:iam::${ACCOUNT}:role/role-${r}`,
    Path: '/',
    AssumeRolePolicyDocument: stored(
      { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/user-${r % USERS}` } },
      ...(r % 3 === 0 ? [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'glue.amazonaws.com' } }] : []),
    ),
    RolePolicyList: [{ PolicyName: 'inline', PolicyDocument: stored({ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `arn:aws:s3:::${bucketName(r % BUCKETS)}/jobs/role-${r}/*` }) }],
    AttachedManagedPolicies: [0, 1].map((k) => ({ PolicyName: `policy-${r + k * ROLES}`, PolicyArn: policyArn(r + k * ROLES) })),
  }));
  const buckets: FakeBucket[] = Array.from({ length: BUCKETS }, (_, b) => ({
    name: bucketName(b),
    region: REGIONS[b % REGIONS.length] as string,
    objects: [],
    ...(b % 10 === 0 ? { policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucketName(b)}/public/*` }] }) } : {}),
  }));
  const accessPoints = Array.from({ length: ACCESS_POINTS }, (_, a) => {
    const bucket = buckets[a % BUCKETS] as FakeBucket;
    return {
      name: `ap-${a}`,
      bucket: bucket.name,
      region: bucket.region,
      policy: JSON.stringify({
        Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/role-${a}` }, Action: 's3:GetObject', Resource: `arn:aws:s3:${bucket.region}:${ACCOUNT}:accesspoint/ap-${a}/object/*` }],
      }),
    };
  });
  return { accountId: ACCOUNT, callerArn: `arn:aws:iam::${ACCOUNT}:user/bench`, iam: { users, groups, roles, policies }, s3: { buckets, accessPoints }, glue: {} };
}

/** 5,000 users, 10,000 roles and 20,000 managed policies of five statements, 20 ms per AWS call. */
export default async function iamAccess(): Promise<BenchResult> {
  const interceptor = fakeAwsInterceptor(syntheticAccount(), fakeServices, { latencyMs: LATENCY_MS });
  const ctx = benchContext(awsAccountPlugin, { 'aws-regions': REGIONS.join(',') }, interceptor, ['data-access']);
  const { out, finish } = benchOutputs();
  const result = await measure('iam-access (5k users, 10k roles, 20k policies x 5 statements, 20 ms/call)', ctx, async () => {
    const started = performance.now();
    await iamSnapshot(ctx);
    const snapshotMs = performance.now() - started;
    await importAccessProviders(ctx, out);
    const written = (await finish())['access-providers'];
    const stats = accessImportStats(ctx);
    const entities = USERS + GROUPS + ROLES + POLICIES;
    const pageBound = Math.ceil(entities / PAGE);
    const iamCalls = ctx.calls.get('IAM.GetAccountAuthorizationDetails');
    const s3Bound = 1 + BUCKETS + REGIONS.length + ACCESS_POINTS;
    const s3Calls = ctx.calls.get('S3.ListBuckets') + ctx.calls.get('S3.GetBucketPolicy') + ctx.calls.get('S3Control.ListAccessPoints') + ctx.calls.get('S3Control.GetAccessPointPolicy');
    return {
      accessProviders: written?.records ?? 0,
      denyProviders: stats?.denyProviders ?? 0,
      gzipMb: ((written?.bytes ?? 0) / 1024 / 1024).toFixed(1),
      complete: String(written?.complete ?? false),
      policyDocuments: stats?.documents ?? 0,
      statements: POLICIES * 5 + ROLES * 2 + USERS / 10 + GROUPS,
      policyResolutionMs: Math.round(stats?.policyMs ?? 0),
      snapshotMs: Math.round(snapshotMs),
      accessImportMs: Math.round(performance.now() - started - snapshotMs),
      iamPageBound: pageBound,
      iamCalls,
      iamCallsPerBound: (iamCalls / pageBound).toFixed(2),
      s3CallBound: s3Bound,
      s3Calls,
      otherServiceActionsCounted: stats?.otherServiceActions ?? 0,
    };
  });
  releaseAwsContext(ctx);
  return result;
}

await runIfMain(import.meta.url, iamAccess);
