import type { RoleDetail } from '@aws-sdk/client-iam';
import type { FakeIdentityCenter } from '../fake-aws/types.js';
import { sampleAccountId } from './identities.js';

/**
 * Acme's IAM Identity Center: five people in two groups, and three permission sets. Two are
 * provisioned to the sample account (their AWSReservedSSO_ roles live there); one only to another
 * account of the organization, so the account's import leaves it out.
 */

export const sampleInstanceArn = 'arn:aws:sso:::instance/ssoins-72230a1b2c3d4e5f';
export const sampleIdentityStoreId = 'd-9067a1b2c3';
const otherAccount = '444455556666';
const created = new Date('2024-01-15T09:00:00Z');

function person(id: string, userName: string, displayName: string, emails: string[]) {
  return {
    UserId: `9067a1b2c3-${id}`,
    UserName: userName,
    DisplayName: displayName,
    Name: { GivenName: displayName.split(' ')[0], FamilyName: displayName.split(' ')[1] },
    Emails: emails.map((Value, i) => ({ Value, Type: 'work', Primary: i === emails.length - 1 })),
    IdentityStoreId: sampleIdentityStoreId,
  };
}

const users = [
  person('u-oscar', 'oscar@acme.example', 'Oscar Diaz', ['oscar@acme.example']),
  person('u-peggy', 'peggy@acme.example', 'Peggy Lind', ['peggy.old@acme.example', 'peggy@acme.example']),
  person('u-trent', 'trent', 'Trent Moss', []),
  person('u-victor', 'victor@acme.example', 'Victor Hale', ['victor@acme.example']),
  person('u-walter', 'walter@acme.example', 'Walter Ray', ['walter@acme.example']),
];

const groups = [
  { GroupId: '9067a1b2c3-g-analysts', DisplayName: 'DataAnalysts', Description: 'Analysts of every business unit', IdentityStoreId: sampleIdentityStoreId },
  { GroupId: '9067a1b2c3-g-platform', DisplayName: 'Platform', Description: 'The data platform team', IdentityStoreId: sampleIdentityStoreId },
];

const permissionSetArn = (id: string): string => `${sampleInstanceArn.replace(':instance/', ':permissionSet/')}/ps-${id}`;

const policy = (...statements: Record<string, unknown>[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });

export const sampleIdentityCenter: FakeIdentityCenter = {
  instances: [{ instanceArn: sampleInstanceArn, identityStoreId: sampleIdentityStoreId }],
  users,
  groups,
  memberships: [
    { groupId: '9067a1b2c3-g-analysts', userId: '9067a1b2c3-u-oscar' },
    { groupId: '9067a1b2c3-g-analysts', userId: '9067a1b2c3-u-peggy' },
    { groupId: '9067a1b2c3-g-platform', userId: '9067a1b2c3-u-peggy' },
    { groupId: '9067a1b2c3-g-platform', userId: '9067a1b2c3-u-trent' },
  ],
  permissionSets: [
    {
      arn: permissionSetArn('1a2b3c4d5e6f7a8b'),
      name: 'DataAnalyst',
      description: 'Read the sales data',
      inlinePolicy: policy({ Sid: 'Reports', Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::acme-sales/reports/*' }),
      managedPolicies: [{ Arn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess', Name: 'AmazonS3ReadOnlyAccess' }],
      customerManagedPolicies: [{ Name: 'SalesRead', Path: '/acme/' }],
      tags: [{ Key: 'owner', Value: 'data-office' }],
      provisionedTo: [sampleAccountId, otherAccount],
      assignments: [
        { accountId: sampleAccountId, principalType: 'GROUP', principalId: '9067a1b2c3-g-analysts' },
        { accountId: sampleAccountId, principalType: 'USER', principalId: '9067a1b2c3-u-victor' },
        { accountId: otherAccount, principalType: 'USER', principalId: '9067a1b2c3-u-walter' },
      ],
    },
    {
      arn: permissionSetArn('9f8e7d6c5b4a3921'),
      name: 'SalesUploads',
      description: 'Upload sales files; never delete them',
      inlinePolicy: policy(
        { Sid: 'Upload', Effect: 'Allow', Action: ['s3:PutObject'], Resource: 'arn:aws:s3:::acme-sales/uploads/*' },
        { Sid: 'NoDeletes', Effect: 'Deny', Action: ['s3:DeleteObject'], Resource: 'arn:aws:s3:::acme-sales/*' },
      ),
      tags: [{ Key: 'creator', Value: 'RAITO' }],
      provisionedTo: [sampleAccountId],
      assignments: [{ accountId: sampleAccountId, principalType: 'GROUP', principalId: '9067a1b2c3-g-platform' }],
    },
    {
      arn: permissionSetArn('0011223344556677'),
      name: 'BillingViewer',
      description: 'Billing of the other account',
      managedPolicies: [{ Arn: 'arn:aws:iam::aws:policy/job-function/Billing', Name: 'Billing' }],
      provisionedTo: [otherAccount],
      assignments: [{ accountId: otherAccount, principalType: 'USER', principalId: '9067a1b2c3-u-walter' }],
    },
  ],
};

function ssoRole(name: string, suffix: string, attached: { PolicyName: string; PolicyArn: string }[], inline?: string): RoleDetail {
  const roleName = `AWSReservedSSO_${name}_${suffix}`;
  const path = '/aws-reserved/sso.amazonaws.com/eu-central-1/';
  const trust = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::${sampleAccountId}:saml-provider/AWSSSO_4f3e2d1c0b9a8f7e_DO_NOT_DELETE` },
        Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'],
        Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
      },
    ],
  };
  return {
    RoleName: roleName,
    RoleId: `AROA${name.toUpperCase().padEnd(17, 'S').slice(0, 17)}`,
    Arn: `arn:aws:iam::${sampleAccountId}:role${path}${roleName}`,
    Path: path,
    CreateDate: created,
    AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(trust)),
    RolePolicyList: inline ? [{ PolicyName: 'AwsSSOInlinePolicy', PolicyDocument: encodeURIComponent(inline) }] : [],
    AttachedManagedPolicies: attached,
    Tags: [],
  };
}

/** The roles that Identity Center provisions into the sample account for its two permission sets there. */
export const sampleSsoRoles: RoleDetail[] = [
  ssoRole(
    'DataAnalyst',
    '1a2b3c4d5e6f7a8b',
    [
      { PolicyName: 'AmazonS3ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' },
      { PolicyName: 'SalesRead', PolicyArn: `arn:aws:iam::${sampleAccountId}:policy/SalesRead` },
    ],
    sampleIdentityCenter.permissionSets[0]!.inlinePolicy,
  ),
  ssoRole('SalesUploads', '9f8e7d6c5b4a3921', [], sampleIdentityCenter.permissionSets[1]!.inlinePolicy),
];
