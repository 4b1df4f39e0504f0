import { ActionCatalogue } from '../../src/policy/actions.js';
import type { EvaluationContext } from '../../src/policy/evaluate.js';
import { S3Resolver, type KnownAccessPoint, type KnownBucket } from '../../src/policy/s3-resources.js';

export const account = '111122223333';

export const buckets: KnownBucket[] = [
  { name: 'acme-sales', region: 'eu-central-1' },
  { name: 'acme-hr', region: 'eu-west-1' },
  { name: 'acme-logs', region: 'us-east-1' },
];

export const accessPoints: KnownAccessPoint[] = [
  { name: 'reports-ap', bucket: 'acme-sales', region: 'eu-central-1', accountId: account, arn: `arn:aws:s3:eu-central-1:${account}:accesspoint/reports-ap` },
];

export function resolver(list: KnownBucket[] = buckets, aps: KnownAccessPoint[] = accessPoints): S3Resolver {
  return new S3Resolver({ accountId: account, buckets: new Map(list.map((b) => [b.name, b])), accessPoints: aps });
}

let catalogue: Promise<ActionCatalogue> | undefined;

export async function evaluationContext(): Promise<EvaluationContext> {
  catalogue ??= ActionCatalogue.load();
  return { actions: await catalogue, s3: resolver() };
}

/** Full names as the data object import writes them. */
export const fn = {
  ds: account,
  sales: `${account}:eu-central-1:acme-sales`,
  hr: `${account}:eu-west-1:acme-hr`,
  logs: `${account}:us-east-1:acme-logs`,
};
