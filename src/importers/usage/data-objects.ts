import { paginateGetDatabases, paginateGetTables } from '@aws-sdk/client-glue';
import type { AwsContext } from '../../aws/index.js';
import { describeAwsError, type AwsCall } from '../../aws/errors.js';
import { bucketFilter, bucketIndex, type DataObjectOptions } from '../data-objects/index.js';
import { FolderTrail } from '../data-objects/folders.js';
import { parseS3Location } from '../data-objects/glue.js';
import { capturedGlueTables, type GlueTableLocation } from '../data-objects/glue-tables.js';
import { dataObjectFullName } from '../../model/names.js';
import type { DataObjectReference } from '../../model/index.js';
import { matchesAny } from '../../plugin-api/parameters.js';
import type { StreamSink, SyncContext } from '../../plugin-api/contract.js';
import type { UsageStatement } from '../../model/index.js';

/** Maps a bucket and object key from an event to the data object that the data-objects stream has for it. */
export interface DataObjectResolver {
  /** `key` undefined: the bucket itself. Undefined when the data source has no data object there. */
  resolve(bucket: string, key: string | undefined, eventRegion: string | undefined): DataObjectReference | undefined;
}

interface ResolverEnv {
  ctx: SyncContext;
  aws: AwsContext;
  account: string;
  options: DataObjectOptions;
  out: StreamSink<UsageStatement>;
}

/**
 * The resolver for this run's data source mode, from what the data source sync of this run saw
 * (its bucket index, its Glue tables) or else from one listing (ListBuckets; Glue GetTables).
 */
export async function dataObjectResolver(env: ResolverEnv): Promise<DataObjectResolver> {
  const regions = await bucketRegionsOrWarn(env);
  if (env.options.glueEnabled && !env.options.s3Enabled) return new GlueResolver(env.account, regions, await glueTables(env, regions));
  return new S3Resolver(env.account, regions, env.options);
}

/** Bucket name -> region; undefined when the buckets cannot be listed (then the event's region is used). */
async function bucketRegionsOrWarn(env: ResolverEnv): Promise<Map<string, string> | undefined> {
  try {
    return new Map((await bucketIndex(env.ctx)).map((b) => [b.name, b.region]));
  } catch (err) {
    env.out.warn(`usage: buckets could not be listed, so events are placed in the region CloudTrail gives them: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

/**
 * S3 mode: an object is the file with its key, or the folder at aws-s3-max-folder-depth that
 * represents it, exactly as the importer lists it; buckets left out by the include/exclude lists
 * or not in the account have no data object.
 */
export class S3Resolver implements DataObjectResolver {
  private readonly wanted: (bucket: string) => boolean;
  /** Reused for every key: placing a key needs no state from the previous one, and this saves an allocation per event. */
  private readonly trail: FolderTrail;

  constructor(
    private readonly account: string,
    private readonly regions: Map<string, string> | undefined,
    private readonly options: Pick<DataObjectOptions, 'includeBuckets' | 'excludeBuckets' | 'emulateFolders' | 'maxFolderDepth'>,
  ) {
    this.wanted = bucketFilter(options.includeBuckets, options.excludeBuckets);
    this.trail = new FolderTrail(options.maxFolderDepth);
  }

  resolve(bucket: string, key: string | undefined, eventRegion: string | undefined): DataObjectReference | undefined {
    if (!this.wanted(bucket)) return undefined;
    const region = this.regions ? this.regions.get(bucket) : eventRegion;
    if (region === undefined) return undefined;
    const bucketFullName = dataObjectFullName(this.account, region, bucket);
    if (key === undefined || key === '') return { fullName: bucketFullName, type: 'bucket' };
    if (!this.options.emulateFolders) {
      return key.endsWith('/') ? { fullName: bucketFullName, type: 'bucket' } : { fullName: `${bucketFullName}/${key}`, type: 'file' };
    }
    const placed = this.trail.enter(key);
    if (placed.listed) return { fullName: `${bucketFullName}/${key}`, type: 'file' };
    if (placed.parent === undefined) return { fullName: bucketFullName, type: 'bucket' };
    return { fullName: dataObjectFullName(this.account, region, bucket, placed.parent), type: 'folder' };
  }
}

interface GlueBucket {
  fullName: string;
  tables: Set<string>;
  folders: Set<string>;
}

/** Glue mode: the deepest Glue table, folder above a table, or bucket of a table that contains the object. */
export class GlueResolver implements DataObjectResolver {
  private readonly buckets = new Map<string, GlueBucket>();

  constructor(account: string, regions: Map<string, string> | undefined, tables: (GlueTableLocation | { bucket: string; region: string; path: string })[]) {
    for (const table of tables) {
      const fullName = 'bucketFullName' in table ? table.bucketFullName : dataObjectFullName(account, regions?.get(table.bucket) ?? table.region, table.bucket);
      let known = this.buckets.get(table.bucket);
      if (!known) {
        known = { fullName, tables: new Set(), folders: new Set() };
        this.buckets.set(table.bucket, known);
      }
      known.tables.add(table.path);
      for (let slash = table.path.indexOf('/'); slash > 0; slash = table.path.indexOf('/', slash + 1)) known.folders.add(table.path.slice(0, slash));
    }
  }

  resolve(bucket: string, key: string | undefined): DataObjectReference | undefined {
    const known = this.buckets.get(bucket);
    if (!known) return undefined;
    if (key) {
      const path = key.replace(/\/+$/, '');
      // From the object itself up to its first folder: the first known path is the deepest.
      for (let end = path.length; end > 0; end = path.lastIndexOf('/', end - 1)) {
        const candidate = path.slice(0, end);
        if (known.tables.has(candidate)) return { fullName: `${known.fullName}/${candidate}`, type: 'glue-table' };
        if (known.folders.has(candidate)) return { fullName: `${known.fullName}/${candidate}`, type: 'folder' };
      }
    }
    return { fullName: known.fullName, type: 'bucket' };
  }
}

/** The table locations the data source sync captured, or one listing of the Glue catalog of every region. */
async function glueTables(env: ResolverEnv, regions: Map<string, string> | undefined): Promise<(GlueTableLocation | { bucket: string; region: string; path: string })[]> {
  const captured = capturedGlueTables(env.ctx);
  if (captured?.complete) return captured.tables;
  const { aws, ctx, options, out } = env;
  const found: { bucket: string; region: string; path: string }[] = [];
  for (const region of aws.regions) {
    let call: AwsCall = { service: 'Glue', operation: 'GetDatabases', region, defaultRegion: aws.defaultRegion };
    try {
      const databases: string[] = [];
      for await (const page of paginateGetDatabases({ client: aws.glue(region) }, {}, { abortSignal: ctx.signal })) {
        for (const db of page.DatabaseList ?? []) if (db.Name && !matchesAny(options.excludeDatabases, db.Name)) databases.push(db.Name);
      }
      for (const database of databases) {
        call = { service: 'Glue', operation: 'GetTables', resource: database, region, defaultRegion: aws.defaultRegion };
        for await (const page of paginateGetTables({ client: aws.glue(region) }, { DatabaseName: database }, { abortSignal: ctx.signal })) {
          for (const table of page.TableList ?? []) {
            if (!table.Name || matchesAny(options.excludeTables, table.Name) || matchesAny(options.excludeTables, `${database}.${table.Name}`)) continue;
            const location = parseS3Location(table.StorageDescriptor?.Location);
            if (location?.path) found.push({ bucket: location.bucket, region: regions?.get(location.bucket) ?? region, path: location.path });
          }
        }
      }
    } catch (err) {
      out.warn(`usage: the Glue tables of region ${region} could not be read, so usage of their data is not reported: ${describeAwsError(err, call).message}`);
      out.markIncomplete(`usage of Glue tables in region ${region} is missing`);
    }
  }
  return found;
}
