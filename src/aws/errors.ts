import { ConnectorError, type ErrorCode } from '../errors.js';

/**
 * What went wrong with an AWS call, as the read layer decides what to do about it:
 * - access-denied, not-found: about one resource (or one permission);
 * - throttled, unavailable: AWS kept throttling or failing (5xx, network, timeouts) after the SDK's retries;
 * - region-unreadable: the credentials were not accepted in a region other than the default one
 *   (usually an opt-in region that is not enabled);
 * - redirect: S3 answered 301 (the bucket lives in another region) without saying which;
 * - credentials: the credentials themselves are bad (revoked, expired, mistyped): nothing will work;
 * - other: anything else (a bug, a bad request).
 */
export type AwsErrorClass = 'access-denied' | 'not-found' | 'throttled' | 'unavailable' | 'region-unreadable' | 'redirect' | 'credentials' | 'other';

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

/** Bad credentials, wherever the call went: revoked or mistyped keys, a wrong secret, an expired session. */
const BAD_CREDENTIALS = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'ExpiredToken',
  'ExpiredTokenException',
  'TokenRefreshRequired',
  'RequestExpired',
  'CredentialsProviderError',
  'ProviderError',
]);

const SERVER_ERRORS = new Set(['InternalError', 'InternalFailure', 'InternalServerError', 'InternalServiceError', 'InternalServiceException', 'ServiceUnavailable', 'ServiceUnavailableException']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

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
  /** Node's network error code (ECONNRESET...), when the call never got an answer. */
  errno?: string;
}

function shape(err: unknown): ErrorShape {
  if (typeof err !== 'object' || err === null) return { name: 'Error', message: String(err) };
  const e = err as { name?: unknown; message?: unknown; Code?: unknown; $metadata?: { httpStatusCode?: unknown; attempts?: unknown } };
  // Some S3 errors without a body only carry the code in `Code`.
  const name = typeof e.name === 'string' && e.name !== 'Error' ? e.name : typeof e.Code === 'string' ? e.Code : 'Error';
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const attempts = typeof e.$metadata?.attempts === 'number' ? e.$metadata.attempts : undefined;
  const errno = typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : undefined;
  return { name, message: typeof e.message === 'string' ? e.message : String(err), status, attempts, errno };
}

/** The region S3 names in a 301 answer (`x-amz-bucket-region`), when it does. */
export function redirectRegion(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const headers = (err as { $response?: { headers?: Record<string, string | undefined> } }).$response?.headers ?? {};
  const region = headers['x-amz-bucket-region'] ?? (err as { BucketRegion?: unknown }).BucketRegion;
  return typeof region === 'string' && region.trim() !== '' ? region.trim() : undefined;
}

/**
 * Classifies an error of an AWS SDK call: bad credentials first (they fail every call, so they are
 * never taken for a missing permission), then by error name, then by HTTP status (403 access
 * denied, 404 not found, 429 throttled, 5xx unavailable, 301 redirect).
 *
 * AWS does not say "region not enabled": a call to a region the account has not enabled fails with
 * an invalid-token error (UnrecognizedClientException, InvalidClientTokenId, AuthFailure,
 * InvalidToken). Such an error in the default region (where the run's sts:GetCallerIdentity
 * worked) or of an unknown region means bad credentials; in another region it means that region
 * could not be read, and the message says "probably not enabled" only for opt-in regions.
 */
export function classifyAwsError(err: unknown, where: AwsCallRegion = {}): AwsErrorClass {
  const { name, status, errno } = shape(err);
  if (BAD_CREDENTIALS.has(name)) return 'credentials';
  if (INVALID_TOKEN.has(name)) {
    const elsewhere = where.region !== undefined && where.defaultRegion !== undefined && where.region !== where.defaultRegion;
    return elsewhere || (where.region !== undefined && OPT_IN_REGIONS.has(where.region)) ? 'region-unreadable' : 'credentials';
  }
  if (ACCESS_DENIED.has(name)) return 'access-denied';
  if (NOT_FOUND.has(name)) return 'not-found';
  if (THROTTLED.has(name)) return 'throttled';
  if (SERVER_ERRORS.has(name) || name === 'TimeoutError' || name === 'RequestTimeout' || (errno !== undefined && NETWORK_CODES.has(errno))) return 'unavailable';
  if (name === 'PermanentRedirect' || name === 'AuthorizationHeaderMalformed') return 'redirect';
  if (status === undefined) return 'other';
  if (status === 301 || status === 307) return 'redirect';
  if (status === 403) return 'access-denied';
  if (status === 404) return 'not-found';
  if (status === 429) return 'throttled';
  if (status >= 500) return 'unavailable';
  return 'other';
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
  unavailable: 'aws',
  'region-unreadable': 'aws',
  redirect: 'aws',
  credentials: 'aws',
  other: 'aws',
};

const CREDENTIAL_ERRORS = new Set(['CredentialsProviderError', 'ProviderError']);
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
    case 'region-unreadable': {
      const region = call.region ?? '(unknown)';
      const why = OPT_IN_REGIONS.has(region)
        ? `region ${region} is an opt-in region and did not accept the credentials: it is probably not enabled for this account`
        : `region ${region} did not accept the credentials, which work in ${call.defaultRegion ?? 'the default region'}`;
      return new ConnectorError(code, `Region ${region} could not be read: ${why}, so ${what} failed ${detail}`, {
        hint: 'Remove the region from aws-regions, enable it in the AWS account settings (opt-in regions), or check SCPs that deny the region.',
        cause: err,
      });
    }
    case 'redirect':
      return new ConnectorError(code, `AWS answered ${what}${on} with a redirect to another region it did not name ${detail}`, {
        hint: 'Grant s3:GetBucketLocation so the connector can find the bucket region.',
        cause: err,
      });
    case 'unavailable':
    case 'credentials':
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
  if (kind === 'credentials') {
    return new ConnectorError(code, `AWS did not accept the credentials for ${what} (revoked, inactive or mistyped access key, or a wrong secret) ${detail}`, {
      hint: 'Check the access key (or the profile in aws-profile); it may be deleted, inactive or mistyped.',
      cause: err,
    });
  }
  const { errno } = shape(err);
  if (name === 'TimeoutError' || (errno !== undefined && NETWORK_CODES.has(errno))) {
    return new ConnectorError(code, `Could not reach AWS for ${what}${on} ${detail}`, {
      hint: 'Check the network path to AWS (proxy, firewall, VPC endpoints) and aws-endpoint-url if it is set.',
      cause: err,
    });
  }
  if (kind === 'unavailable') {
    return new ConnectorError(code, `AWS kept failing ${what}${on}${attempts ? ` after ${attempts} attempts` : ''} ${detail}`, {
      hint: 'AWS answered with server errors; run again later, or check the AWS Health Dashboard for the service and region.',
      cause: err,
    });
  }
  return new ConnectorError(code, `AWS call ${what}${on} failed ${detail}`, { cause: err });
}
