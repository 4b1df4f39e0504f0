import { awsError } from './errors.js';
import type { FakeService } from './types.js';

/** Bucket policies of the fake account (GetBucketPolicy; NoSuchBucketPolicy when a bucket has none). */
export const s3PolicyHandlers: FakeService = {
  GetBucketPolicy(input, { account }) {
    const bucket = account.s3.buckets.find((b) => b.name === input.Bucket);
    if (!bucket) throw awsError('NoSuchBucket', 404, `The specified bucket does not exist: ${String(input.Bucket)}`);
    if (!bucket.policy) throw awsError('NoSuchBucketPolicy', 404, `The bucket policy does not exist: ${bucket.name}`);
    return { Policy: bucket.policy };
  },
};
