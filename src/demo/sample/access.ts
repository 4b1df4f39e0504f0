import type { AttachedPolicy, GroupDetail, ManagedPolicyDetail, PolicyDetail, RoleDetail, UserDetail } from '@aws-sdk/client-iam';
import type { FakeAccessPoint } from '../fake-aws/types.js';
import { sampleAccountId } from './identities.js';

/**
 * What Acme's IAM and S3 grant: roles with trust policies, managed and inline policies (with a
 * Deny, a NotAction and conditions), a permission boundary, access points and bucket policies.
 * Names match the sample identities (identities.ts) and buckets (data-objects.ts).
 */

const created = new Date('2024-01-15T09:00:00Z');
const account = sampleAccountId;

type Statement = Record<string, unknown>;

/** As IAM stores documents in GetAccountAuthorizationDetails: URL-encoded JSON. */
function stored(...statements: Statement[]): string {
  return encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: statements.length === 1 ? statements[0] : statements }));
}

/** As S3 returns bucket and access point policies: plain JSON. */
function plain(...statements: Statement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

const userArn = (name: string): string => `arn:aws:iam::${account}:user/${name}`;
const roleArn = (name: string): string => `arn:aws:iam::${account}:role/${name}`;
const customerPolicy = (name: string): AttachedPolicy => ({ PolicyName: name, PolicyArn: `arn:aws:iam::${account}:policy/${name}` });
const awsPolicy = (name: string): AttachedPolicy => ({ PolicyName: name, PolicyArn: `arn:aws:iam::aws:policy/${name}` });
const inline = (PolicyName: string, PolicyDocument: string): PolicyDetail => ({ PolicyName, PolicyDocument });

const boundary = customerPolicy('DeveloperBoundary');

function role(name: string, trust: Statement[], extra: Partial<RoleDetail>): RoleDetail {
  return {
    RoleName: name,
    RoleId: `AROA${name.toUpperCase().replace(/[^A-Z0-9]/g, '').padEnd(17, 'X').slice(0, 17)}`,
    Arn: roleArn(name),
    Path: '/',
    CreateDate: created,
    AssumeRolePolicyDocument: stored(...trust),
    RolePolicyList: [],
    AttachedManagedPolicies: [],
    Tags: [],
    ...extra,
  };
}

export const sampleRoles: RoleDetail[] = [
  role(
    'data-platform-etl',
    [
      { Effect: 'Allow', Principal: { AWS: userArn('svc-etl') }, Action: 'sts:AssumeRole' },
      { Effect: 'Allow', Principal: { Service: 'glue.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ],
    {
      Tags: [{ Key: 'team', Value: 'data-platform' }],
      AttachedManagedPolicies: [customerPolicy('DataEngineering')],
      RolePolicyList: [
        inline(
          'etl-pipeline',
          stored(
            { Sid: 'ReadRaw', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::acme-sales', 'arn:aws:s3:::acme-sales/*'] },
            { Sid: 'WriteWarehouse', Effect: 'Allow', Action: ['s3:PutObject', 's3:DeleteObject'], Resource: 'arn:aws:s3:::acme-sales/warehouse/*' },
            { Sid: 'NeverHr', Effect: 'Deny', Action: 's3:*', Resource: ['arn:aws:s3:::acme-hr', 'arn:aws:s3:::acme-hr/*'] },
            { Sid: 'GlueCatalog', Effect: 'Allow', Action: ['glue:GetTable', 'glue:GetDatabase', 'glue:GetPartitions'], Resource: '*' },
          ),
        ),
      ],
    },
  ),
  role(
    'analytics-readonly',
    [
      { Effect: 'Allow', Principal: { AWS: [userArn('alice'), userArn('bob'), roleArn('data-platform-etl')] }, Action: ['sts:AssumeRole', 'sts:TagSession'] },
    ],
    {
      AttachedManagedPolicies: [customerPolicy('SalesRead')],
      RolePolicyList: [
        inline(
          'list-reports',
          stored({ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::acme-sales', Condition: { StringLike: { 's3:prefix': ['reports/*'] } } }),
        ),
      ],
    },
  ),
  role(
    'cross-account-auditor',
    [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'acme-audit-2024' } } }],
    {
      RolePolicyList: [inline('read-logs', stored({ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::acme-logs', 'arn:aws:s3:::acme-logs/cloudtrail/*'] }))],
    },
  ),
  role('AWSServiceRoleForSupport', [{ Effect: 'Allow', Principal: { Service: 'support.amazonaws.com' }, Action: 'sts:AssumeRole' }], {
    Path: '/aws-service-role/support.amazonaws.com/',
    Arn: `arn:aws:iam::${account}:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport`,
  }),
];

/** Users' inline policies, attached policies and boundaries (merged into identities.ts users by the lead). */
export const sampleUserAccess: Record<string, Partial<UserDetail>> = {
  mallory: {
    PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: boundary.PolicyArn },
    UserPolicyList: [
      inline('contractor-uploads', stored({ Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject'], Resource: 'arn:aws:s3:::acme-sales/uploads/${aws:username}/*' })),
    ],
  },
  'svc-backup': {
    UserPolicyList: [
      inline(
        'backup',
        stored(
          { Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' },
          { Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: 'arn:aws:s3:::*/*' },
          { Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::acme-archive/*' },
        ),
      ),
    ],
  },
  grace: { AttachedManagedPolicies: [awsPolicy('AmazonS3ReadOnlyAccess')] },
};

/** Groups' inline and attached policies. */
export const sampleGroupAccess: Record<string, Partial<GroupDetail>> = {
  analysts: { AttachedManagedPolicies: [customerPolicy('SalesRead'), awsPolicy('AmazonS3ReadOnlyAccess')] },
  finance: {
    AttachedManagedPolicies: [customerPolicy('FinanceWrite')],
    GroupPolicyList: [inline('finance-reports', stored({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme-sales/reports/*' }))],
  },
  'data-engineers': { AttachedManagedPolicies: [customerPolicy('DataEngineering')] },
  admins: { GroupPolicyList: [inline('s3-admin', stored({ Effect: 'Allow', Action: 's3:*', Resource: '*' }))] },
};

function managed(name: string, description: string, document: string, awsManaged = false): ManagedPolicyDetail {
  const ref = awsManaged ? awsPolicy(name) : customerPolicy(name);
  return {
    PolicyName: name,
    PolicyId: `ANPA${name.toUpperCase().replace(/[^A-Z0-9]/g, '').padEnd(17, 'X').slice(0, 17)}`,
    Arn: ref.PolicyArn,
    Path: awsManaged ? '/' : '/acme/',
    DefaultVersionId: 'v1',
    AttachmentCount: 0,
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    Description: description,
    CreateDate: created,
    UpdateDate: created,
    PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, CreateDate: created, Document: document }],
  };
}

const policies: ManagedPolicyDetail[] = [
  managed(
    'SalesRead',
    'Read the sales bucket',
    stored({ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::acme-sales', 'arn:aws:s3:::acme-sales/*'] }),
  ),
  managed(
    'FinanceWrite',
    'Payroll files, over TLS only; nobody in finance deletes HR files',
    stored(
      { Sid: 'Payroll', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::acme-hr/payroll/*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } },
      { Sid: 'NoDeletes', Effect: 'Deny', Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'], Resource: 'arn:aws:s3:::acme-hr/*' },
    ),
  ),
  managed(
    'DataEngineering',
    'Everything on the sales and logs buckets except deleting them and IAM',
    stored({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 's3:DeleteBucket', 's3:DeleteBucketPolicy'], Resource: ['arn:aws:s3:::acme-sales', 'arn:aws:s3:::acme-sales/*', 'arn:aws:s3:::acme-logs/*'] }),
  ),
  managed(
    'DeveloperBoundary',
    'Permission boundary for contractors: S3 on acme-sales only',
    stored({ Effect: 'Allow', Action: 's3:*', Resource: ['arn:aws:s3:::acme-sales', 'arn:aws:s3:::acme-sales/*'] }),
  ),
  managed(
    'AmazonS3ReadOnlyAccess',
    'Provides read only access to all buckets via the AWS Management Console.',
    stored({ Effect: 'Allow', Action: ['s3:Get*', 's3:List*', 's3:Describe*', 's3-object-lambda:Get*', 's3-object-lambda:List*'], Resource: '*' }),
    true,
  ),
];

/** Attachment and boundary counts as IAM reports them, derived from the attachments above. */
function withCounts(list: ManagedPolicyDetail[]): ManagedPolicyDetail[] {
  const attached = [...sampleRoles, ...Object.values(sampleUserAccess), ...Object.values(sampleGroupAccess)].flatMap((e) => e.AttachedManagedPolicies ?? []);
  const bounded = [...sampleRoles, ...Object.values(sampleUserAccess)].flatMap((e) => (e.PermissionsBoundary?.PermissionsBoundaryArn ? [e.PermissionsBoundary.PermissionsBoundaryArn] : []));
  return list.map((p) => ({
    ...p,
    AttachmentCount: attached.filter((a) => a.PolicyArn === p.Arn).length,
    PermissionsBoundaryUsageCount: bounded.filter((arn) => arn === p.Arn).length,
  }));
}

export const samplePolicies: ManagedPolicyDetail[] = withCounts(policies);

export const sampleAccessPoints: FakeAccessPoint[] = [
  {
    name: 'sales-reports',
    bucket: 'acme-sales',
    region: 'eu-central-1',
    policy: plain(
      {
        Effect: 'Allow',
        Principal: { AWS: [userArn('alice'), roleArn('analytics-readonly')] },
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:eu-central-1:${account}:accesspoint/sales-reports/object/reports/*`,
      },
      {
        Effect: 'Allow',
        Principal: { AWS: [userArn('alice'), roleArn('analytics-readonly')] },
        Action: 's3:ListBucket',
        Resource: `arn:aws:s3:eu-central-1:${account}:accesspoint/sales-reports`,
      },
    ),
  },
  { name: 'hr-internal', bucket: 'acme-hr', region: 'us-east-1' },
];

export const sampleBucketPolicies: Record<string, string> = {
  'acme-sales': plain(
    { Sid: 'PublicReadPublicPrefix', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme-sales/public/*' },
    // Access through the sales-reports access point is decided by its own policy.
    { Sid: 'DelegateToAccessPoints', Effect: 'Allow', Principal: { AWS: '*' }, Action: '*', Resource: ['arn:aws:s3:::acme-sales', 'arn:aws:s3:::acme-sales/*'], Condition: { StringEquals: { 's3:DataAccessPointAccount': account } } },
    { Sid: 'TlsOnly', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::acme-sales', 'arn:aws:s3:::acme-sales/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
  ),
  'acme-logs': plain(
    { Sid: 'ServerAccessLogs', Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::acme-logs/access/*' },
    {
      Sid: 'CloudTrail',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `arn:aws:s3:::acme-logs/cloudtrail/AWSLogs/${account}/*`,
      Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
    },
  ),
};
