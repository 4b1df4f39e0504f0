import { ConnectorError, type ErrorCode } from '../errors.js';

export type AwsErrorClass = 'access-denied' | 'not-found' | 'throttled' | 'region-disabled' | 'other';

/** Where a call went, to sharpen the classification (only the region-disabled heuristics use it). */
export interface AwsCallRegion {
  /** The region the failing call was sent to. */
  region?: string;
  /** The default region of the run (the first of `aws-regions`). */
  defaultRegion?: string;
}

/** One AWS call, as named in the call counter and in messages: `IAM.GetAccountAuthorizationDetails`. */
export interface AwsCall extends AwsCallRegion {
  /** Client name without "Client": IAM, S3, S3Control, Glue, STS, SSOAdmin, Identitystore, CloudTrail. */
  service: string;
  /** Command name without "Command": ListObjectsV2, GetAccountAuthorizationDetails, ... */
  operation: string;
  /** What the call was about (a bucket, a role, a permission set), for the message. */
  resource?: string;
}

const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedAccess', 'Forbidden', 'AllAccessDisabled']);

const NOT_FOUND = new Set([
  'NoSuchBucket',
  'NoSuchKey',
  'NoSuchEntity',
  'NoSuchEntityException',
  'NotFound',
  'ResourceNotFoundException',
  'EntityNotFoundException',
  'NoSuchBucketPolicy',
  'NoSuchAccessPoint',
  'NoSuchAccessPointPolicy',
  'NoSuchTagSet',
  'NoSuchTagSetError',
  'TrailNotFoundException',
]);

const THROTTLED = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'SlowDown',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'ProvisionedThroughputExceededException',
  'BandwidthLimitExceeded',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
]);

/** What AWS answers when a token is not valid where it was used; a region that is not enabled is the common cause. */
const INVALID_TOKEN = new Set(['UnrecognizedClientException', 'InvalidClientTokenId', 'AuthFailure', 'InvalidToken']);

/** Regions that an account must opt in to (disabled unless enabled); a token error there almost always means "not enabled". */
export const OPT_IN_REGIONS: ReadonlySet<string> = new Set([
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-south-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-west-1',
  'eu-central-2',
  'eu-south-1',
  'eu-south-2',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
]);

interface ErrorShape {
  name: string;
  message: string;
  status?: number;
  attempts?: number;
}

function shape(err: unknown): ErrorShape {
  if (typeof err !== 'object' || err === null) return { name: 'Error', message: String(err) };
  const e = err as { name?: unknown; message?: unknown; Code?: unknown; $metadata?: { httpStatusCode?: unknown; attempts?: unknown } };
  // Some S3 errors without a body only carry the code in `Code`.
  const name = typeof e.name === 'string' && e.name !== 'Error' ? e.name : typeof e.Code === 'string' ? e.Code : 'Error';
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const attempts = typeof e.$metadata?.attempts === 'number' ? e.$metadata.attempts : undefined;
  return { name, message: typeof e.message === 'string' ? e.message : String(err), status, attempts };
}

/**
 * Classifies an error of an AWS SDK call by its error name first, then by its HTTP status
 * (403 access denied, 404 not found, 429 throttled).
 *
 * Region-disabled heuristics: AWS does not say "region not enabled"; a call to a region the
 * account has not enabled fails with an invalid-token error (UnrecognizedClientException,
 * InvalidClientTokenId, AuthFailure, InvalidToken). Such an error is taken as region-disabled when
 * - its message mentions a region, "not enabled" or "opt-in"; or
 * - the call went to an opt-in region (see OPT_IN_REGIONS); or
 * - the call went to a region other than the default region (the credentials are known to
 *   work there, since the run starts with sts:GetCallerIdentity in the default region).
 * Otherwise it stays 'other': the credentials themselves are bad.
 */
export function classifyAwsError(err: unknown, where: AwsCallRegion = {}): AwsErrorClass {
  const { name, message, status } = shape(err);
  if (INVALID_TOKEN.has(name)) {
    const mentionsRegion = /\bregion\b|not enabled|opt-?in/i.test(message);
    const optIn = where.region !== undefined && OPT_IN_REGIONS.has(where.region);
    const notDefault = where.region !== undefined && where.defaultRegion !== undefined && where.region !== where.defaultRegion;
    return mentionsRegion || optIn || notDefault ? 'region-disabled' : 'other';
  }
  if (ACCESS_DENIED.has(name)) return 'access-denied';
  if (NOT_FOUND.has(name)) return 'not-found';
  if (THROTTLED.has(name)) return 'throttled';
  switch (status) {
    case 403:
      return 'access-denied';
    case 404:
      return 'not-found';
    case 429:
      return 'throttled';
    default:
      return 'other';
  }
}

/** IAM action prefixes by client name (the service name used in the call counter). */
const ACTION_PREFIX: Record<string, string> = {
  IAM: 'iam',
  S3: 's3',
  S3Control: 's3',
  Glue: 'glue',
  STS: 'sts',
  SSOAdmin: 'sso',
  Identitystore: 'identitystore',
  CloudTrail: 'cloudtrail',
};

/** API operations whose IAM action has another name. */
const ACTION_EXCEPTIONS: Record<string, string> = {
  'S3.ListObjectsV2': 's3:ListBucket',
  'S3.ListObjects': 's3:ListBucket',
  'S3.ListObjectVersions': 's3:ListBucketVersions',
  'S3.ListBuckets': 's3:ListAllMyBuckets',
  'S3.HeadBucket': 's3:ListBucket',
  'S3.HeadObject': 's3:GetObject',
  'S3.GetBucketPolicy': 's3:GetBucketPolicy',
  'S3.DeleteObjects': 's3:DeleteObject',
  'S3Control.ListAccessPoints': 's3:ListAccessPoints',
  'S3Control.GetAccessPointPolicy': 's3:GetAccessPointPolicy',
};

/** The IAM permission that an AWS call needs, e.g. `iam:GetAccountAuthorizationDetails` or `s3:ListBucket` for S3.ListObjectsV2. */
export function iamActionFor(service: string, operation: string): string {
  const exception = ACTION_EXCEPTIONS[`${service}.${operation}`];
  if (exception) return exception;
  return `${ACTION_PREFIX[service] ?? service.toLowerCase()}:${operation}`;
}

const CODES: Record<AwsErrorClass, ErrorCode> = {
  'access-denied': 'aws-access-denied',
  'not-found': 'aws-not-found',
  throttled: 'aws-throttled',
  'region-disabled': 'aws',
  other: 'aws',
};

const CREDENTIAL_ERRORS = new Set(['CredentialsProviderError', 'ProviderError']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'TokenRefreshRequired', 'RequestExpired']);

/**
 * Turns an AWS SDK error into a ConnectorError that says which call failed, why, and what to do.
 * The original error is kept as the cause.
 */
export function describeAwsError(err: unknown, call: AwsCall): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const kind = classifyAwsError(err, call);
  const { name, message, attempts } = shape(err);
  const what = `${call.service}.${call.operation}`;
  const on = call.resource ? ` on ${call.resource}` : '';
  const detail = `(${name}: ${message})`;
  const action = iamActionFor(call.service, call.operation);
  const code = CODES[kind];

  switch (kind) {
    case 'access-denied':
      return new ConnectorError(code, `AWS denied ${what}${on}: the credentials need ${action}${on} ${detail}`, {
        hint: `Grant ${action} to the IAM user or role the connector runs as (see the IAM policy in the docs), or check for an explicit deny (SCP, permission boundary, resource policy).`,
        cause: err,
      });
    case 'not-found':
      return new ConnectorError(code, `AWS did not find ${call.resource ?? 'the resource'} for ${what} ${detail}`, {
        hint: 'It may have been deleted during the sync, or it lives in another account or region than the ones configured.',
        cause: err,
      });
    case 'throttled':
      return new ConnectorError(code, `AWS kept throttling ${what}${on}${attempts ? ` after ${attempts} attempts` : ''} ${detail}`, {
        hint: 'Lower aws-concurrency, or run the sync when fewer other clients call this AWS API; service quotas are per account and region.',
        cause: err,
      });
    case 'region-disabled':
      return new ConnectorError(code, `Region ${call.region ?? '(unknown)'} is not enabled for this AWS account, so ${what} failed ${detail}`, {
        hint: 'Remove the region from aws-regions, or enable it in the AWS account settings (opt-in regions).',
        cause: err,
      });
    case 'other':
      break;
  }
  if (CREDENTIAL_ERRORS.has(name)) {
    return new ConnectorError(code, `No usable AWS credentials for ${what} ${detail}`, {
      hint: 'Set aws-profile (or AWS_PROFILE), AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run where an instance, task or IRSA role is available. For SSO profiles run `aws sso login` first.',
      cause: err,
    });
  }
  if (EXPIRED.has(name)) {
    return new ConnectorError(code, `The AWS credentials have expired (${what}) ${detail}`, {
      hint: 'Refresh the credentials (for SSO profiles: `aws sso login`) and run again.',
      cause: err,
    });
  }
  if (INVALID_TOKEN.has(name)) {
    return new ConnectorError(code, `AWS did not accept the credentials for ${what} ${detail}`, {
      hint: 'Check the access key (or the profile in aws-profile); it may be deleted, inactive or mistyped.',
      cause: err,
    });
  }
  const errno = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  if (name === 'TimeoutError' || (typeof errno === 'string' && NETWORK_CODES.has(errno))) {
    return new ConnectorError(code, `Could not reach AWS for ${what}${on} ${detail}`, {
      hint: 'Check the network path to AWS (proxy, firewall, VPC endpoints) and aws-endpoint-url if it is set.',
      cause: err,
    });
  }
  return new ConnectorError(code, `AWS call ${what}${on} failed ${detail}`, { cause: err });
}
