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
  };
  s3: {
    buckets: FakeBucket[];
    accessPoints: FakeAccessPoint[];
  };
  /** Glue catalog per region. */
  glue: Record<string, { databases: Database[]; tables: Record<string, Table[]> }>;
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
