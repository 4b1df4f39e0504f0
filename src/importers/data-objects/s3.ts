import type { AwsReads } from '../../aws/reads.js';
import { redirectRegion } from '../../aws/errors.js';
import type { StreamSink } from '../../plugin-api/contract.js';
import { warnUnmatched } from '../../plugin-api/parameters.js';
import { countWork } from '../../plugin-api/progress.js';
import type { DataObject } from '../../model/index.js';
import { BucketListing, SplitBudget, type ListingEnv } from './bucket-listing.js';
import { bucketScope, type BucketInfo } from './buckets.js';
import { wildcardToRegExp } from './filters.js';
import type { DataObjectOptions } from './parameters.js';
import { bucketRef } from './records.js';

/**
 * S3 mode: the buckets in scope (aws-s3-include-buckets / aws-s3-exclude-buckets), each with its
 * folders and files, `aws-concurrency` buckets at a time. A bucket that cannot be listed (access
 * denied, gone, its region unreadable, AWS failing) is a warning and leaves the stream incomplete,
 * and the others go on; a fatal error cancels the buckets still queued or in flight.
 */
export async function syncS3(reads: AwsReads, out: StreamSink<DataObject>, account: string, options: DataObjectOptions): Promise<void> {
  const { all, inScope } = await bucketScope(reads.ctx);
  for (const [parameter, list] of [['aws-s3-include-buckets', options.includeBuckets], ['aws-s3-exclude-buckets', options.excludeBuckets]] as const) {
    warnUnmatched(out, parameter, list.map(wildcardToRegExp), all.map((b) => b.name), 'bucket name', list);
  }
  let pending = inScope.length;
  const env: ListingEnv = {
    reads,
    out,
    emulateFolders: options.emulateFolders,
    maxFolderDepth: options.maxFolderDepth,
    // Buckets still waiting for their turn get idle capacity before a bucket splits its listing.
    budget: new SplitBudget(reads.aws.concurrency, { get pendingCount() { return pending; } }),
  };
  reads.ctx.logger.debug({ buckets: inScope.length }, 'listing S3 buckets');
  const progress = countWork(reads.ctx, 'buckets', inScope.length);
  await reads.forEach(inScope, async (bucket) => {
    pending--;
    await syncBucket(env, account, bucket).finally(() => progress.done++);
  });
}

async function syncBucket(env: ListingEnv, account: string, bucket: BucketInfo): Promise<void> {
  const { reads, out } = env;
  if (!bucket.regionKnown) out.warn(`bucket ${bucket.name}: its region could not be read (s3:GetBucketLocation); assumed ${bucket.region} unless S3 redirects`);
  let listing = new BucketListing(env, bucketRef(account, bucket.name, bucket.region));
  const call = { service: 'S3', operation: 'ListObjectsV2', resource: bucket.name, region: bucket.region };
  const result = await reads.guard(call, out, `the objects of bucket ${bucket.name} (${bucket.region})`, async () => {
    try {
      await listing.run();
    } catch (err) {
      // S3 answers 301 with the bucket's real region when it was asked in the wrong one.
      const region = redirectRegion(err);
      if (region === undefined || region === listing.bucket.region || listing.started) throw err;
      reads.ctx.logger.info({ bucket: bucket.name, from: listing.bucket.region, to: region }, 'bucket lives in another region; listing it there');
      listing = new BucketListing(env, bucketRef(account, bucket.name, region));
      await listing.run();
    }
  });
  // The bucket exists unless S3 says it is gone: keep it in the tree even if its objects stay unknown.
  if (!result.ok && result.kind !== 'not-found') await listing.writeBucket();
}
