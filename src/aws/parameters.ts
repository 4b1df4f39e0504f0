import type { ParameterProblem, ParameterSpec, Parameters } from '../plugin-api/contract.js';

/** The bounds of `aws-concurrency`: at least one call at a time, and not more than AWS quotas tolerate. */
export const AWS_CONCURRENCY_MIN = 1;
export const AWS_CONCURRENCY_MAX = 100;
export const AWS_CONCURRENCY_DEFAULT = 5;
/** Seconds to wait for a connection to AWS, and for the answer of one attempt of a call (then the SDK retries it). */
export const AWS_CONNECT_TIMEOUT_DEFAULT_S = 10;
export const AWS_ATTEMPT_TIMEOUT_DEFAULT_S = 60;
const TIMEOUT_MAX_S = 900;

/** How the connector reaches the AWS account; shared by the aws-account and aws-organization plugins. */
export const awsConnectionParameters: ParameterSpec[] = [
  {
    name: 'aws-account-id',
    description:
      'The 12-digit id of the AWS account to synchronize. Optional; when set, the run stops with an error if the credentials belong to another account, so a wrong profile never syncs the wrong account.',
    type: 'string',
  },
  {
    name: 'aws-profile',
    description:
      'The AWS SDK profile (from ~/.aws/config and ~/.aws/credentials, SSO profiles included) to connect with. When not set, the AWS_PROFILE environment variable or the default credential chain is used (environment variables, web identity / IRSA, ECS or EC2 instance role).',
    type: 'string',
  },
  {
    name: 'aws-regions',
    description:
      'A comma-separated list of AWS regions to deal with; the first one is the default region. When not set, only the default region of the AWS SDK is used (AWS_REGION, AWS_DEFAULT_REGION or the region of the profile). Glue catalogs and S3 access points are read in these regions; S3 buckets are listed in every region, each under its real region.',
    type: 'list',
  },
  {
    name: 'aws-assume-role-arn',
    description:
      'The ARN of an IAM role to assume with the credentials before calling AWS, for example a read role in another account (cross-account access).',
    type: 'string',
  },
  {
    name: 'aws-assume-role-external-id',
    description: 'The external id that the trust policy of `aws-assume-role-arn` requires, if any.',
    type: 'string',
    secret: true,
  },
  {
    name: 'aws-endpoint-url',
    description:
      'Sends every AWS call to this URL instead of the AWS endpoints, for example http://localhost:4566 for LocalStack-style emulators. S3 then uses path-style addressing. The AWS_ENDPOINT_URL environment variable of the AWS SDK also works.',
    type: 'string',
  },
  {
    name: 'aws-concurrency',
    description: `The number of AWS API calls made at the same time (${AWS_CONCURRENCY_MIN} to ${AWS_CONCURRENCY_MAX}).`,
    type: 'integer',
    default: AWS_CONCURRENCY_DEFAULT,
  },
  {
    name: 'aws-connect-timeout',
    description: `Seconds to wait for a connection to AWS (1 to ${TIMEOUT_MAX_S}); a connection that takes longer fails the attempt, which the AWS SDK retries.`,
    type: 'integer',
    default: AWS_CONNECT_TIMEOUT_DEFAULT_S,
  },
  {
    name: 'aws-attempt-timeout',
    description: `Seconds to wait for AWS to answer one attempt of a call (1 to ${TIMEOUT_MAX_S}); a slower answer fails the attempt, which the AWS SDK retries (up to 8 attempts, each retry logged).`,
    type: 'integer',
    default: AWS_ATTEMPT_TIMEOUT_DEFAULT_S,
  },
];

const ACCOUNT_ID = /^\d{12}$/;
// Partition-aware: arn:aws:, arn:aws-cn:, arn:aws-us-gov:, ...
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const s = String(value).trim();
  return s === '' ? undefined : s;
}

/** Reads a list parameter whether it was coerced (string[]) or is still raw text ("a, b"). */
export function listParameter(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((v) => String(v).trim()).filter((v) => v.length > 0);
  const s = text(value);
  return s === undefined ? [] : s.split(',').map((v) => v.trim()).filter((v) => v.length > 0);
}

/** Reads a whole number of seconds; anything else (unset, not positive) is the fallback. */
export function secondsParameter(value: unknown, fallback: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** Reads a string parameter; empty means not set. */
export function stringParameter(value: unknown): string | undefined {
  return text(value);
}

/** Checks of the AWS connection parameters beyond their types; the host adds file and line. */
export function validateAwsParameters(params: Parameters): ParameterProblem[] {
  const problems: ParameterProblem[] = [];

  const concurrency = params['aws-concurrency'];
  if (concurrency !== undefined) {
    const n = typeof concurrency === 'number' ? concurrency : Number(concurrency);
    if (!Number.isInteger(n) || n < AWS_CONCURRENCY_MIN || n > AWS_CONCURRENCY_MAX) {
      problems.push({ parameter: 'aws-concurrency', message: `must be a whole number from ${AWS_CONCURRENCY_MIN} to ${AWS_CONCURRENCY_MAX}, got "${String(concurrency)}"` });
    }
  }

  for (const name of ['aws-connect-timeout', 'aws-attempt-timeout']) {
    const value = params[name];
    if (value === undefined) continue;
    const n = typeof value === 'number' ? value : Number(value);
    if (!Number.isInteger(n) || n < 1 || n > TIMEOUT_MAX_S) problems.push({ parameter: name, message: `must be a whole number of seconds from 1 to ${TIMEOUT_MAX_S}, got "${String(value)}"` });
  }

  const accountId = text(params['aws-account-id']);
  if (accountId !== undefined && !ACCOUNT_ID.test(accountId)) {
    problems.push({ parameter: 'aws-account-id', message: `must be a 12-digit AWS account id, got "${accountId}"` });
  }

  for (const region of listParameter(params['aws-regions'])) {
    if (!REGION.test(region)) problems.push({ parameter: 'aws-regions', message: `"${region}" does not look like an AWS region (for example eu-central-1)` });
  }

  const roleArn = text(params['aws-assume-role-arn']);
  if (roleArn !== undefined && !ROLE_ARN.test(roleArn)) {
    problems.push({ parameter: 'aws-assume-role-arn', message: `must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), got "${roleArn}"` });
  }
  if (text(params['aws-assume-role-external-id']) !== undefined && roleArn === undefined) {
    problems.push({ parameter: 'aws-assume-role-external-id', message: 'is only used with aws-assume-role-arn, which is not set' });
  }

  const endpoint = text(params['aws-endpoint-url']);
  if (endpoint !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(endpoint);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      problems.push({ parameter: 'aws-endpoint-url', message: `must be an http or https URL, got "${endpoint}"` });
    }
  }

  return problems;
}
