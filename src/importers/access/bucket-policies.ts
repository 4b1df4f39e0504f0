import { GetBucketPolicyCommand } from '../../aws/sdk/s3.js';
import type { AwsReads } from '../../aws/reads.js';
import type { StreamSink } from '../../plugin-api/contract.js';
import type { AccessProvider } from '../../model/index.js';
import { AccessDraft, emptyWho, type KnownBucket, type Reason } from '../../policy/index.js';
import type { AccessImport } from './context.js';
import { readDocument, timed, writeProviders } from './provider.js';
import { evaluateResourcePolicy } from './resource-policy.js';

/** The policy of one bucket, none (NoSuchBucketPolicy), or why it could not be read. */
export interface BucketPolicy {
  bucket: KnownBucket;
  policy?: string;
  problem?: string;
}

/** One GetBucketPolicy per bucket in scope, in the bucket's region, concurrently. */
export async function readBucketPolicies(reads: AwsReads, sink: StreamSink<AccessProvider>, buckets: readonly KnownBucket[]): Promise<BucketPolicy[]> {
  const results: BucketPolicy[] = buckets.map((bucket) => ({ bucket }));
  await reads.forEach(results, async (result) => {
    const { bucket } = result;
    const call = { service: 'S3', operation: 'GetBucketPolicy', resource: bucket.name, region: bucket.region };
    // Without the policy the snapshot lacks this bucket's provider: the read layer marks the stream incomplete.
    const read = await reads.guard(call, sink, `the policy of bucket ${bucket.name}`, () =>
      reads.call((signal) => reads.aws.s3(bucket.region).send(new GetBucketPolicyCommand({ Bucket: bucket.name }), { abortSignal: signal })),
    );
    if (read.ok) result.policy = read.value.Policy || undefined;
    else if (read.outcome !== 'empty') result.problem = read.error.message;
  });
  return results;
}

/**
 * One aws_bucket_policy access provider per bucket that has a policy. Bucket policies live on the
 * bucket and cannot become access controls of the cloud (not internalizable).
 */
export async function importBucketPolicies(ai: AccessImport, policies: readonly BucketPolicy[]): Promise<void> {
  for (const { bucket, policy, problem } of policies) {
    // A policy that could not be read was said by the read layer (warning, stream incomplete).
    if (problem || !policy) continue;
    const label = 'bucket policy';
    const whoReasons: Reason[] = [];
    const access = timed(ai, () => {
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
