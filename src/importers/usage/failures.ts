import { resourceFailures, type FailureTable } from '../../aws/reads.js';

/**
 * How the usage sync treats a read that still fails after the SDK's retries, like the other
 * syncs: a log listing or log file that cannot be read leaves its events out, with a warning, and
 * marks the stream incomplete (the cursor then stays before it); bad credentials and unknown
 * errors fail the sync and cancel its other reads.
 */
export const usageFailures: FailureTable = resourceFailures('partial');

/**
 * Finding the trail (DescribeTrails, GetEventSelectors): a region or a trail that cannot be read
 * only narrows the search, with a warning; the stream is marked incomplete only when no trail is
 * found at all, and then it always is.
 */
export const trailDiscoveryFailures: FailureTable = resourceFailures('detail');

/**
 * HeadBucket, asked only for the trail bucket's region: S3 names the region in a header even
 * when it refuses (403, 301, 400), and without one the default region is used and a wrong guess
 * shows up in the listing. So only bad credentials fail the sync.
 */
export const bucketRegionFailures: FailureTable = resourceFailures('empty', { other: 'empty' });
