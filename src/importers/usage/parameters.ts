import { listParameter, stringParameter } from '../../aws/parameters.js';
import type { ParameterProblem, ParameterSpec, Parameters } from '../../plugin-api/contract.js';

export const USAGE_START_DAYS_DEFAULT = 90;
/** CloudTrail keeps no more than this in S3 by default, and the listing is one call per region and day. */
export const USAGE_START_DAYS_MAX = 3650;

/** The parameters of the data usage sync (regions and concurrency belong to the AWS connection). */
export const usageParameters: ParameterSpec[] = [
  {
    name: 'aws-s3-cloudtrail-bucket',
    description:
      'The S3 bucket of the CloudTrail trail that logs S3 data events for this account. When not set, the trail is found with cloudtrail:DescribeTrails and cloudtrail:GetEventSelectors; without such a trail the usage sync is skipped with a warning. Events on this bucket itself are not reported as usage.',
    type: 'string',
  },
  {
    name: 'aws-s3-cloudtrail-prefix',
    description: 'The S3 key prefix of the trail (the part before AWSLogs/), if the trail has one. Only used together with aws-s3-cloudtrail-bucket.',
    type: 'string',
  },
  {
    name: 'aws-usage-start-days',
    description: `How many days back the first usage sync reads CloudTrail logs (1 to ${USAGE_START_DAYS_MAX}). Later runs start where the previous one ended (the sync API's lastUsed, or the usage cursor that the directory target keeps beside its runs).`,
    type: 'integer',
    default: USAGE_START_DAYS_DEFAULT,
  },
];

export interface UsageOptions {
  /** The trail bucket when configured; undefined: discover it. */
  bucket?: string;
  /** The trail's key prefix without slashes at the ends ('' for none). */
  prefix: string;
  startDays: number;
  /** The configured aws-regions; empty: every region folder of the trail. */
  regions: string[];
}

export function usageOptions(params: Parameters): UsageOptions {
  const days = params['aws-usage-start-days'];
  return {
    bucket: stringParameter(params['aws-s3-cloudtrail-bucket']),
    prefix: trimSlashes(stringParameter(params['aws-s3-cloudtrail-prefix']) ?? ''),
    startDays: typeof days === 'number' && Number.isInteger(days) ? days : USAGE_START_DAYS_DEFAULT,
    regions: listParameter(params['aws-regions']),
  };
}

export function trimSlashes(prefix: string): string {
  return prefix.replace(/^\/+|\/+$/g, '');
}

export function validateUsageParameters(params: Parameters): ParameterProblem[] {
  const options = usageOptions(params);
  const problems: ParameterProblem[] = [];
  if (options.startDays < 1 || options.startDays > USAGE_START_DAYS_MAX) {
    problems.push({ parameter: 'aws-usage-start-days', message: `must be from 1 to ${USAGE_START_DAYS_MAX} days, got ${options.startDays}` });
  }
  if (options.prefix !== '' && options.bucket === undefined) {
    problems.push({ parameter: 'aws-s3-cloudtrail-prefix', message: 'is only used with aws-s3-cloudtrail-bucket, which is not set (a discovered trail brings its own prefix)' });
  }
  return problems;
}
