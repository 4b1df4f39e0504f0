import { resourceFailures, type FailureTable } from '../../aws/reads.js';

/**
 * How the access import treats a read that still fails after the SDK's retries. "Not found" is an
 * answer here (a bucket or access point without a policy); a region, access point or bucket policy
 * that cannot be read is a warning and marks the stream incomplete; bad credentials and unknown
 * errors fail the sync.
 */
export const accessFailures: FailureTable = resourceFailures('partial', { 'not-found': 'empty' });
