import type { Column, Database, Table } from '@aws-sdk/client-glue';
import type { GroupDetail, ManagedPolicyDetail, RoleDetail, UserDetail } from '@aws-sdk/client-iam';
import type { Group as StoreGroup, User as StoreUser } from '@aws-sdk/client-identitystore';

/**
 * A whole AWS account as plain data, answered in-process to the real SDK clients (demo, bench,
 * end-to-end tests). IAM is described in GetAccountAuthorizationDetails' own shapes.
 */
export interface FakeAccount {
  accountId: string;
  /** The caller, as sts:GetCallerIdentity reports it. */
  callerArn: string;
  iam: {
    users: UserDetail[];
    groups: GroupDetail[];
    roles: RoleDetail[];
    policies: ManagedPolicyDetail[];
    /**
     * Credential report cells by user name (`<root_account>` for root) and column, e.g.
     * `{ alice: { password_enabled: 'true', mfa_active: 'true' } }`; cells not given read as a
     * user without password, MFA, keys or certificates.
     */
    credentials?: Record<string, Record<string, string>>;
    /** GenerateCredentialReport answers STARTED this many times before COMPLETE (0 or absent: a recent report exists). */
    credentialReportReadyAfter?: number;
    /** Tags of customer managed policies by ARN (GetAccountAuthorizationDetails does not list them). */
    policyTags?: Record<string, { Key?: string; Value?: string }[]>;
  };
  s3: {
    buckets: FakeBucket[];
    accessPoints: FakeAccessPoint[];
  };
  /** Glue catalog per region. */
  glue: Record<string, { databases: Database[]; tables: Record<string, Table[]> }>;
  /** CloudTrail trails (DescribeTrails, GetEventSelectors). */
  cloudTrail?: { trails: FakeTrail[] };
  /** IAM Identity Center of the organization (answered by the SSOAdmin and Identitystore fakes). */
  identityCenter?: FakeIdentityCenter;
  /** Regions that answer as not enabled (an opt-in region the account has not turned on). */
  disabledRegions?: string[];
  /**
   * Calls answered with AccessDenied: `Service.Operation` (e.g. `IAM.GetAccountAuthorizationDetails`)
   * or `Service.Operation:resource` (e.g. `S3.ListObjectsV2:private-bucket`).
   */
  denied?: string[];
}

export interface FakeIdentityCenter {
  instances: { instanceArn: string; identityStoreId: string }[];
  users: StoreUser[];
  groups: StoreGroup[];
  memberships: { groupId: string; userId: string }[];
  permissionSets: FakePermissionSet[];
}

/** A permission set with everything the sso-admin API tells about it. */
export interface FakePermissionSet {
  arn: string;
  name: string;
  description?: string;
  inlinePolicy?: string;
  managedPolicies?: { Arn: string; Name: string }[];
  customerManagedPolicies?: { Name: string; Path?: string }[];
  permissionsBoundary?: { ManagedPolicyArn?: string; CustomerManagedPolicyReference?: { Name: string; Path?: string } };
  tags?: { Key: string; Value: string }[];
  /** Accounts it is provisioned to. */
  provisionedTo: string[];
  assignments: { accountId: string; principalType: 'USER' | 'GROUP'; principalId: string }[];
}

export interface FakeObject {
  key: string;
  size: number;
  lastModified?: Date;
  /** What GetObject returns (CloudTrail log files); objects without a body are only listed. */
  body?: Uint8Array;
}

export interface FakeTrail {
  name: string;
  bucket: string;
  prefix?: string;
  homeRegion: string;
  /** Whether its event selectors log S3 data events. */
  s3DataEvents: boolean;
}

/** Read-only, sorted list of objects; arrays fit it, and so does a generator of a million keys that holds none. */
export interface FakeObjectList {
  readonly length: number;
  at(index: number): FakeObject | undefined;
}

export interface FakeBucket {
  name: string;
  region: string;
  creationDate?: Date;
  /** Sorted by key (as S3 lists them). An array, or a virtual list that makes objects on demand (bench). */
  objects: FakeObjectList;
  /** Bucket policy JSON. */
  policy?: string;
  tags?: Record<string, string>;
}

export interface FakeAccessPoint {
  name: string;
  bucket: string;
  region: string;
  policy?: string;
  tags?: { Key: string; Value: string }[];
}

export type { Column, Database, Table };

/** What a handler gets besides the command input. */
export interface FakeCall {
  account: FakeAccount;
  region: string;
}

/** Answers one operation the way the AWS API would (output shape of the SDK command). */
export type FakeHandler = (input: Record<string, unknown>, call: FakeCall) => unknown;

/** Handlers of one service by operation name (`GetAccountAuthorizationDetails`, `ListObjectsV2`, ...). */
export type FakeService = Record<string, FakeHandler>;
