import { awsContextFor } from '../../aws/index.js';
import { AwsReads } from '../../aws/reads.js';
import { ConnectorError } from '../../errors.js';
import type { SyncContext, SyncOutputs } from '../../plugin-api/contract.js';
import { syncGlue } from './glue.js';
import { dataObjectOptions, validateDataObjectParameters } from './parameters.js';
import { dataSourceFailures } from './failures.js';
import { datasourceObject } from './records.js';
import { syncS3 } from './s3.js';

export { bucketIndex, bucketRegions, bucketScope, type BucketInfo, type BucketScope } from './buckets.js';
export { bucketFilter, wildcardToRegExp } from './filters.js';
export { dataObjectOptions, dataObjectParameters, validateDataObjectParameters, type DataObjectOptions } from './parameters.js';

/**
 * The data source sync: the account as the `datasource` object, then its data objects from S3
 * (buckets, folders, files) or from the Glue catalog (buckets, folders, tables, columns).
 */
export async function syncDataObjects(ctx: SyncContext, out: Pick<SyncOutputs, 'data-objects'>): Promise<void> {
  const problems = validateDataObjectParameters(ctx.params);
  if (problems.length > 0) {
    throw new ConnectorError('config', problems.map((p) => `${p.parameter}: ${p.message}`).join('\n'), {
      hint: 'Fix the data source parameters of this target in the config file.',
    });
  }
  const options = dataObjectOptions(ctx.params);
  const sink = out['data-objects'];
  const aws = awsContextFor(ctx);
  const account = await aws.accountId();
  const started = Date.now();
  await sink.write(datasourceObject(account));
  const reads = new AwsReads(ctx, aws, dataSourceFailures);
  if (options.s3Enabled) await syncS3(reads, sink, account, options);
  else if (options.glueEnabled) await syncGlue(reads, sink, account, options);
  ctx.logger.debug({ mode: options.s3Enabled ? 's3' : options.glueEnabled ? 'glue' : 'none', records: sink.records, ms: Date.now() - started }, 'data objects synced');
}
