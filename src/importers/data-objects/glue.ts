import type { Column, Table } from '@aws-sdk/client-glue';
import { GetTagsCommand, paginateGetDatabases, paginateGetTables } from '../../aws/sdk/glue.js';
import type { AwsCall } from '../../aws/errors.js';
import type { AwsReads } from '../../aws/reads.js';
import { matchesAny, warnUnmatched } from '../../plugin-api/parameters.js';
import type { StreamSink } from '../../plugin-api/contract.js';
import type { DataObject, Tag } from '../../model/index.js';
import { bucketRegions } from './buckets.js';
import { startGlueTableCapture, type GlueTableCapture } from './glue-tables.js';
import { columnFullName } from '../../model/names.js';
import type { DataObjectOptions } from './parameters.js';
import { bucketObject, bucketRef, pathFullName, pathObject } from './records.js';

const SOURCE = 'aws-glue';
/** How many skipped tables the warning names. */
const NAMED_IN_WARNING = 5;

/** `s3://bucket/path/` (also s3a:// and s3n://, as Spark and Hive write them) -> bucket and path without slashes at the ends. */
export function parseS3Location(location: string | undefined): { bucket: string; path: string } | undefined {
  const match = location ? /^s3[an]?:\/\/([^/]+)\/*(.*?)\/*$/.exec(location.trim()) : null;
  if (!match) return undefined;
  return { bucket: match[1]!, path: match[2]! };
}

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/**
 * Glue mode: databases and tables of each region in aws-regions. A table located in S3 becomes
 * its bucket and folders (each written once, parents first) and a glue-table with its columns;
 * tables without an S3 location are counted and skipped with one warning. A region or database
 * that cannot be read is a warning and leaves the stream incomplete.
 */
export async function syncGlue(reads: AwsReads, out: StreamSink<DataObject>, account: string, options: DataObjectOptions): Promise<void> {
  const capture = startGlueTableCapture(reads.ctx);
  const run = new GlueImport(reads, out, account, options, capture);
  await reads.forEach(reads.aws.regions, (region) => run.region(region));
  run.finish();
  capture.complete = true;
}

class GlueImport {
  /** Full names of the buckets, folders and tables written so far (tables share buckets and folders). */
  private readonly written = new Set<string>();
  private readonly withoutLocation: string[] = [];
  /** Every database and table name seen (`<database>.<table>` too), to say which exclude entries matched nothing. */
  private readonly databaseNames: string[] = [];
  private readonly tableNames: string[] = [];
  private tagsDenied = false;
  private regions: Promise<Map<string, string>> | undefined;

  constructor(
    private readonly reads: AwsReads,
    private readonly out: StreamSink<DataObject>,
    private readonly account: string,
    private readonly options: DataObjectOptions,
    /** The table locations, for the usage sync of this run (it maps object keys to tables). */
    private readonly capture: GlueTableCapture,
  ) {}

  async region(region: string): Promise<void> {
    const { reads, out } = this;
    const call: AwsCall = { service: 'Glue', operation: 'GetDatabases', region };
    const databases: string[] = [];
    const listed = await reads.guard(call, out, `the Glue databases of region ${region}`, async () => {
      for await (const page of reads.pages((signal) => paginateGetDatabases({ client: reads.aws.glue(region) }, {}, { abortSignal: signal }))) {
        for (const db of page.DatabaseList ?? []) {
          if (!db.Name) continue;
          this.databaseNames.push(db.Name);
          if (!matchesAny(this.options.excludeDatabases, db.Name)) databases.push(db.Name);
        }
      }
    });
    if (!listed.ok) return;
    await reads.forEach(databases, (db) => this.database(region, db));
  }

  private async database(region: string, database: string): Promise<void> {
    const { reads, out } = this;
    const call: AwsCall = { service: 'Glue', operation: 'GetTables', resource: database, region };
    await reads.guard(call, out, `the Glue tables of database ${database} (${region})`, async () => {
      for await (const page of reads.pages((signal) => paginateGetTables({ client: reads.aws.glue(region) }, { DatabaseName: database }, { abortSignal: signal }))) {
        for (const table of page.TableList ?? []) {
          const name = table.Name;
          if (!name) {
            out.warn(`Glue: a table of database ${database} (${region}) has no name; skipped`);
            out.markIncomplete(`a Glue table of database ${database} (${region}) could not be read`);
            continue;
          }
          const excluded = this.options.excludeTables;
          this.tableNames.push(name, `${database}.${name}`);
          if (matchesAny(excluded, name) || matchesAny(excluded, `${database}.${name}`)) continue;
          await this.table(region, database, table);
        }
      }
    });
  }

  private async table(region: string, database: string, table: Table): Promise<void> {
    const name = table.Name!;
    const location = parseS3Location(table.StorageDescriptor?.Location);
    // A table at the root of a bucket would have the bucket's own full name.
    if (!location || !location.path) {
      this.withoutLocation.push(`${database}.${name}`);
      return;
    }
    const regions = await this.bucketRegions();
    const bucket = bucketRef(this.account, location.bucket, regions.get(location.bucket) ?? region);
    await this.ensure(bucket.fullName, () => bucketObject(bucket));

    const segments = location.path.split('/').filter((s) => s.length > 0);
    let parent: string | undefined;
    for (let i = 1; i < segments.length; i++) {
      const folder = segments.slice(0, i).join('/');
      const above = parent;
      await this.ensure(pathFullName(bucket, folder), () => pathObject(bucket, 'folder', folder, above));
      parent = folder;
    }
    const path = segments.join('/');
    const fullName = pathFullName(bucket, path);
    if (this.written.has(fullName)) {
      this.out.warn(`Glue: table ${database}.${name} (${region}) is located at ${fullName}, which another table or a folder already took; skipped`);
      return;
    }
    this.written.add(fullName);
    this.capture.tables.push({ bucket: bucket.name, bucketFullName: bucket.fullName, path });
    const record = pathObject(bucket, 'glue-table', path, parent);
    record.description = `Glue table ${database}.${name}${table.Description ? `: ${table.Description}` : ''}`;
    const tags = [...parameterTags(table.Parameters), ...(await this.tags(region, database, name))];
    if (tags.length > 0) record.tags = tags;
    await this.out.write(record);
    await this.columns(fullName, table.StorageDescriptor?.Columns ?? [], false);
    await this.columns(fullName, table.PartitionKeys ?? [], true);
  }

  private async columns(tableFullName: string, columns: Column[], partitionKeys: boolean): Promise<void> {
    for (const column of columns) {
      if (!column.Name) {
        this.out.warn(`Glue: a column of table ${tableFullName} has no name; it was left out`);
        this.out.markIncomplete(`a column of Glue table ${tableFullName} could not be read`);
        continue;
      }
      const fullName = columnFullName(tableFullName, column.Name);
      const record: DataObject = { externalId: fullName, name: column.Name, fullName, type: 'column', parentExternalId: tableFullName };
      if (column.Type) record.dataType = column.Type;
      if (column.Comment) record.description = column.Comment;
      if (partitionKeys) record.tags = [{ key: 'partition-key', value: 'true', source: SOURCE }];
      await this.out.write(record);
    }
  }

  /** Writes a bucket or folder unless an earlier table already did (marked before the write, so concurrent tables agree). */
  private async ensure(fullName: string, make: () => DataObject): Promise<void> {
    if (this.written.has(fullName)) return;
    this.written.add(fullName);
    await this.out.write(make());
  }

  /** Buckets are in their real region; a bucket the account cannot list (another account's) keeps the table's region. */
  private bucketRegions(): Promise<Map<string, string>> {
    this.regions ??= bucketRegions(this.reads.ctx).catch((err: unknown) => {
      this.out.warn(`Glue: bucket regions are unknown (${err instanceof Error ? err.message : String(err)}); buckets are placed in the region of their table`);
      return new Map<string, string>();
    });
    return this.regions;
  }

  /** Table tags need one glue:GetTags per table (GetTables does not return them); denied once, they are not asked again. */
  private async tags(region: string, database: string, table: string): Promise<Tag[]> {
    if (this.tagsDenied) return [];
    const { reads } = this;
    const arn = `arn:${partitionOf(region)}:glue:${region}:${this.account}:table/${database}/${table}`;
    const call: AwsCall = { service: 'Glue', operation: 'GetTags', resource: arn, region };
    const answer = await reads.guard(
      call,
      this.tagsSink(),
      `Glue: the tags of table ${database}.${table} (${region})`,
      () => reads.call((signal) => reads.aws.glue(region).send(new GetTagsCommand({ ResourceArn: arn }), { abortSignal: signal })),
      { 'access-denied': 'detail', 'not-found': 'empty' },
    );
    if (!answer.ok) {
      if (answer.kind === 'access-denied') this.tagsDenied = true;
      return [];
    }
    return Object.entries(answer.value.Tags ?? {}).map(([key, value]) => ({ key, value, source: SOURCE }));
  }

  /** Tags are a detail: a denied GetTags warns once and the stream stays complete; other failures follow the sync's table. */
  private tagsSink(): Pick<StreamSink<DataObject>, 'warn' | 'markIncomplete'> {
    return {
      warn: (message) => {
        if (!this.tagsDenied) this.out.warn(message);
      },
      markIncomplete: (reason) => this.out.markIncomplete(reason),
    };
  }

  finish(): void {
    warnUnmatched(this.out, 'aws-glue-exclude-databases', this.options.excludeDatabases, this.databaseNames, 'Glue database name');
    warnUnmatched(this.out, 'aws-glue-exclude-tables', this.options.excludeTables, this.tableNames, 'Glue table name');
    const skipped = this.withoutLocation;
    if (skipped.length === 0) return;
    const named = skipped.slice(0, NAMED_IN_WARNING).join(', ') + (skipped.length > NAMED_IN_WARNING ? `, and ${skipped.length - NAMED_IN_WARNING} more` : '');
    this.out.warn(`Glue: ${skipped.length} table(s) have no S3 location below a bucket and were skipped: ${named}`);
  }
}

function parameterTags(parameters: Record<string, string> | undefined): Tag[] {
  return Object.entries(parameters ?? {}).map(([key, value]) => ({ key, value, source: SOURCE }));
}

