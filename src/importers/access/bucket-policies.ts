import { GetBucketPolicyCommand } from '@aws-sdk/client-s3';
import { awsContextFor } from '../../aws/index.js';
import type { SyncContext } from '../../plugin-api/contract.js';
import { AccessDraft, emptyWho, type KnownBucket, type Reason } from '../../policy/index.js';
import type { AccessImport } from './context.js';
import { readDocument, timed, writeProviders } from './provider.js';
import { evaluateResourcePolicy, readResourcePolicy } from './resource-policy.js';

/** The policy of one bucket, none (NoSuchBucketPolicy), or why it could not be read. */
export interface BucketPolicy {
  bucket: KnownBucket;
  policy?: string;
  problem?: string;
}

/** One GetBucketPolicy per bucket, in the bucket's region, concurrently; never rejects. */
export function readBucketPolicies(ctx: SyncContext, buckets: readonly KnownBucket[]): Promise<BucketPolicy[]> {
  const aws = awsContextFor(ctx);
  return Promise.all(
    buckets.map(async (bucket): Promise<BucketPolicy> => {
      const where = { service: 'S3', operation: 'GetBucketPolicy', resource: bucket.name, region: bucket.region, defaultRegion: aws.defaultRegion };
      const read = () => aws.limit(async () => (await aws.s3(bucket.region).send(new GetBucketPolicyCommand({ Bucket: bucket.name }), { abortSignal: ctx.signal })).Policy);
      return { bucket, ...(await readResourcePolicy(where, read)) };
    }),
  );
}

/**
 * One aws_bucket_policy access provider per bucket that has a policy. Bucket policies live on the
 * bucket and cannot become access controls of the cloud (not internalizable).
 */
export async function importBucketPolicies(ai: AccessImport, policies: readonly BucketPolicy[]): Promise<void> {
  for (const { bucket, policy, problem } of policies) {
    if (problem) {
      // Without the policy, the snapshot would silently lack this bucket's provider.
      ai.sink.warn(problem);
      ai.sink.markIncomplete(`the policy of bucket ${bucket.name} was not read`);
      continue;
    }
    if (!policy) continue;
    const label = 'bucket policy';
    const whoReasons: Reason[] = [];
    const access = await timed(ai, async () => {
      const document = readDocument(ai, policy, label, whoReasons);
      return document ? evaluateResourcePolicy(ai, document, label) : undefined;
    });
    await writeProviders(ai, {
      externalId: `bucketpolicy:${bucket.name}`,
      name: `${bucket.name} bucket policy`,
      type: 'aws_bucket_policy',
      actualName: bucket.name,
      description: `The bucket policy of S3 bucket ${bucket.name} (${bucket.region}).`,
      who: access?.who ?? emptyWho(),
      denyWho: access?.denyWho,
      whoReasons: [...whoReasons, ...(access?.whoReasons ?? [])],
      denyWhoReasons: access?.denyWhoReasons,
      draft: access?.draft ?? new AccessDraft(),
      notInternalizable: true,
    });
  }
}
