import type { GroupDetail, ManagedPolicyDetail, RoleDetail, UserDetail } from '@aws-sdk/client-iam';
import type { FakeAccount, FakeBucket } from '../../src/demo/fake-aws/types.js';
import { gaadPages, type GaadEntityType } from '../gaad-pages.js';
import type { HttpScenario } from '../types.js';

const ACCOUNT = '999999999999';
const USERS = 5_000;
const GROUPS = 100;
const ROLES = 10_000;
const POLICIES = 20_000;
const BUCKETS = 100;
const ACCESS_POINTS = 20;
const REGIONS = ['eu-central-1', 'us-east-1'];
const LATENCY_MS = 20;
/** The access import asks for every entity type (all the policies here are customer managed: the AWS managed chain is one empty page). */
const ENTITY_TYPES: GaadEntityType[] = ['User', 'Group', 'Role', 'LocalManagedPolicy', 'AWSManagedPolicy'];

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

/** 5,000 users, 10,000 roles and 20,000 managed policies of five statements through the access sync, 20 ms per AWS call. */
const iamAccess: HttpScenario = {
  name: 'iam-access',
  title: `iam-access (5k users, 10k roles, 20k policies x 5 statements, ${BUCKETS} buckets, ${ACCESS_POINTS} access points, ${LATENCY_MS} ms/call)`,
  latencyMs: LATENCY_MS,
  account: syntheticAccount,
  target: { 'aws-regions': REGIONS.join(','), 'skip-data-source-sync': true, 'skip-identity-store-sync': true, 'skip-data-usage-sync': true },
  pageBound(account) {
    // The S3 calls (ListBuckets, a policy per bucket, access points) run beside the GAAD pages.
    const gaad = gaadPages(account, ENTITY_TYPES, undefined, LATENCY_MS);
    return { pages: gaad.pages, concurrency: gaad.concurrency, explain: `${gaad.explain} (the S3 and S3 Control calls run beside them)` };
  },
  check({ calls, complete }, account) {
    const gaad = gaadPages(account, ENTITY_TYPES).pages;
    const expected = {
      'IAM.GetAccountAuthorizationDetails': gaad,
      'S3.GetBucketPolicy': BUCKETS,
      'S3.ListBuckets': 1,
      // One page a bucket: the access import lists the top of each bucket to resolve policy resources to folders.
      'S3.ListObjectsV2': BUCKETS,
      'S3Control.GetAccessPointPolicy': ACCESS_POINTS,
      'S3Control.ListAccessPoints': REGIONS.length,
      'STS.GetCallerIdentity': 1,
    };
    const problems = JSON.stringify(calls) === JSON.stringify(expected) ? [] : [`calls ${JSON.stringify(calls)}, not the page bound ${JSON.stringify(expected)}`];
    if (!complete['access-providers']) problems.push('access-providers is incomplete');
    return problems;
  },
};

export default iamAccess;
