import { resourceFailures, type FailureTable } from '../../aws/reads.js';

/**
 * How the data source sync treats a read that still fails after the SDK's retries. A bucket,
 * region or database that cannot be read leaves its part out, with a warning, and marks the
 * stream incomplete; bad credentials and unknown errors fail the sync (and cancel its other reads).
 */
export const dataSourceFailures: FailureTable = resourceFailures('partial');
