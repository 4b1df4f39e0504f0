import { paginateGetDatabases, paginateGetTables } from '../../aws/sdk/glue.js';
import type { AwsCall } from '../../aws/errors.js';
import type { AwsReads } from '../../aws/reads.js';
import { bucketIndex, type DataObjectOptions } from '../data-objects/index.js';
import { parseS3Location } from '../data-objects/glue.js';
import { capturedGlueTables } from '../data-objects/glue-tables.js';
import { matchesAny } from '../../plugin-api/parameters.js';
import type { StreamSink } from '../../plugin-api/contract.js';
import type { UsageStatement } from '../../model/index.js';
import type { GlueTablePlace, ResolverSpec } from './resolvers.js';

interface ResolverEnv {
  reads: AwsReads;
  account: string;
  options: DataObjectOptions;
  out: StreamSink<UsageStatement>;
}

/**
 * The resolver for this run's data source mode (see resolvers.ts), from what the data source sync
 * of this run saw (its bucket index, its Glue tables) or else from one listing (ListBuckets; Glue GetTables).
 */
export async function resolverSpec(env: ResolverEnv): Promise<ResolverSpec> {
  const regions = await bucketRegionsOrWarn(env);
  const listed = regions && [...regions];
  if (env.options.glueEnabled && !env.options.s3Enabled) return { mode: 'glue', account: env.account, regions: listed, tables: await glueTables(env, regions) };
  const { includeBuckets, excludeBuckets, emulateFolders, maxFolderDepth } = env.options;
  return { mode: 's3', account: env.account, regions: listed, options: { includeBuckets, excludeBuckets, emulateFolders, maxFolderDepth } };
}

/** Bucket name -> region; undefined when the buckets cannot be listed (then the event's region is used). */
async function bucketRegionsOrWarn(env: ResolverEnv): Promise<Map<string, string> | undefined> {
  try {
    return new Map((await bucketIndex(env.reads.ctx)).map((b) => [b.name, b.region]));
  } catch (err) {
    env.out.warn(`usage: buckets could not be listed, so events are placed in the region CloudTrail gives them: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

/** The table locations the data source sync captured, or one listing of the Glue catalog of every region. */
async function glueTables(env: ResolverEnv, regions: Map<string, string> | undefined): Promise<GlueTablePlace[]> {
  const { reads, options, out } = env;
  const captured = capturedGlueTables(reads.ctx);
  if (captured?.complete) return captured.tables;
  const glue = (region: string) => reads.aws.glue(region);
  const found: { bucket: string; region: string; path: string }[] = [];
  for (const region of reads.aws.regions) {
    const databases: string[] = [];
    const call: AwsCall = { service: 'Glue', operation: 'GetDatabases', region };
    const missing = `usage: the Glue tables of region ${region} (their usage is not reported)`;
    const listed = await reads.guard(call, out, missing, async () => {
      for await (const page of reads.pages((signal) => paginateGetDatabases({ client: glue(region) }, {}, { abortSignal: signal }))) {
        for (const db of page.DatabaseList ?? []) if (db.Name && !matchesAny(options.excludeDatabases, db.Name)) databases.push(db.Name);
      }
    });
    if (!listed.ok) continue;
    for (const database of databases) {
      const tablesCall: AwsCall = { service: 'Glue', operation: 'GetTables', resource: database, region };
      await reads.guard(tablesCall, out, missing, async () => {
        for await (const page of reads.pages((signal) => paginateGetTables({ client: glue(region) }, { DatabaseName: database }, { abortSignal: signal }))) {
          for (const table of page.TableList ?? []) {
            if (!table.Name || matchesAny(options.excludeTables, table.Name) || matchesAny(options.excludeTables, `${database}.${table.Name}`)) continue;
            const location = parseS3Location(table.StorageDescriptor?.Location);
            if (location?.path) found.push({ bucket: location.bucket, region: regions?.get(location.bucket) ?? region, path: location.path });
          }
        }
      });
    }
  }
  return found;
}
