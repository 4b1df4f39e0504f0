import pLimit from 'p-limit';
import type { AwsContext } from '../../aws/index.js';
import { classifyAwsError, describeAwsError } from '../../aws/errors.js';
import type { StreamSink, SyncContext } from '../../plugin-api/contract.js';
import { countWork } from '../../plugin-api/progress.js';
import type { DataObject } from '../../model/index.js';
import { BucketListing, SplitBudget, type ListingEnv } from './bucket-listing.js';
import { bucketIndex, type BucketInfo } from './buckets.js';
import { bucketFilter, wildcardToRegExp } from './filters.js';
import { warnUnmatched } from '../../plugin-api/parameters.js';
import type { DataObjectOptions } from './parameters.js';
import { bucketRef } from './records.js';

/**
 * S3 mode: the buckets that pass the include/exclude lists, each with its folders and files.
 * Buckets are listed `aws-concurrency` at a time; a bucket that cannot be listed (access denied,
 * gone, region not enabled) is a warning and leaves the stream incomplete, and the others go on.
 */
export async function syncS3(ctx: SyncContext, aws: AwsContext, out: StreamSink<DataObject>, account: string, options: DataObjectOptions): Promise<void> {
  const wanted = bucketFilter(options.includeBuckets, options.excludeBuckets);
  const all = await bucketIndex(ctx);
  const buckets = all.filter((b) => wanted(b.name));
  for (const [parameter, list] of [['aws-s3-include-buckets', options.includeBuckets], ['aws-s3-exclude-buckets', options.excludeBuckets]] as const) {
    warnUnmatched(out, parameter, list.map(wildcardToRegExp), all.map((b) => b.name), 'bucket name', list);
  }
  // Bucket tasks have their own pool: page calls go through aws.limit, and a task holding a slot
  // of that limit while waiting for its own calls would deadlock it.
  const pool = pLimit(aws.concurrency);
  const env: ListingEnv = {
    ctx,
    aws,
    out,
    emulateFolders: options.emulateFolders,
    maxFolderDepth: options.maxFolderDepth,
    budget: new SplitBudget(aws.concurrency, pool),
  };
  ctx.logger.debug({ buckets: buckets.length }, 'listing S3 buckets');
  const progress = countWork(ctx, 'buckets', buckets.length);
  await Promise.all(buckets.map((bucket) => pool(() => syncBucket(env, account, bucket).finally(() => progress.done++))));
}

async function syncBucket(env: ListingEnv, account: string, bucket: BucketInfo): Promise<void> {
  const { ctx, aws, out } = env;
  if (!bucket.regionKnown) out.warn(`bucket ${bucket.name}: its region could not be read (s3:GetBucketLocation); assumed ${bucket.region}`);
  const listing = new BucketListing(env, bucketRef(account, bucket.name, bucket.region));
  try {
    await listing.run();
  } catch (err) {
    const call = { service: 'S3', operation: 'ListObjectsV2', resource: bucket.name, region: bucket.region, defaultRegion: aws.defaultRegion };
    const kind = classifyAwsError(err, call);
    if (kind === 'other' || kind === 'throttled') throw describeAwsError(err, call);
    // The bucket exists unless S3 says it is gone: keep it in the tree even if its objects stay unknown.
    if (kind !== 'not-found') await listing.writeBucket();
    const why =
      kind === 'region-disabled'
        ? `region ${bucket.region} is not enabled for this account`
        : kind === 'not-found'
          ? 'the bucket no longer exists'
          : `access denied (${describeAwsError(err, call).message})`;
    out.warn(`bucket ${bucket.name} (${bucket.region}): its objects could not be listed: ${why}`);
    out.markIncomplete(`objects of bucket ${bucket.name} are missing (${kind})`);
    ctx.logger.warn({ bucket: bucket.name, region: bucket.region, kind }, 'bucket skipped');
  }
}
