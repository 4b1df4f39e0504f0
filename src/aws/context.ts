import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { GlueClient } from '@aws-sdk/client-glue';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3ControlClient } from '@aws-sdk/client-s3-control';
import type { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import type { STSClient } from '@aws-sdk/client-sts';
import type { LimitFunction } from 'p-limit';

/**
 * Everything a sync needs to talk to one AWS account. Made once per target run by the client
 * factory (`createAwsContext`) and kept in the SyncContext state; no other code constructs clients.
 */
export interface AwsContext {
  /** From `aws-regions`; the first is the default region. Never empty. */
  readonly regions: string[];
  readonly defaultRegion: string;
  /** `aws-concurrency`: the bound on concurrent AWS calls of one sync. */
  readonly concurrency: number;
  /** A p-limit function sized to `aws-concurrency`, shared by the target run. */
  readonly limit: LimitFunction;
  /** The account id of the credentials (sts:GetCallerIdentity, once per run). */
  accountId(): Promise<string>;
  iam(): IAMClient;
  sts(): STSClient;
  s3(region?: string): S3Client;
  s3Control(region?: string): S3ControlClient;
  glue(region?: string): GlueClient;
  ssoAdmin(region?: string): SSOAdminClient;
  identityStore(region?: string): IdentitystoreClient;
  cloudTrail(region?: string): CloudTrailClient;
}
