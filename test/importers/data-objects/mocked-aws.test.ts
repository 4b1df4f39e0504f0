import { GetDatabasesCommand, GetTablesCommand, GetTagsCommand, GlueClient, type GetTablesCommandOutput, type Table } from '@aws-sdk/client-glue';
import {
  GetBucketLocationCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  S3Client,
  S3ServiceException,
  type ListBucketsCommandOutput,
  type ListObjectsV2CommandOutput,
} from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bucketIndex, syncDataObjects } from '../../../src/importers/data-objects/index.js';
import type { DataObject } from '../../../src/model/index.js';
import { testContext } from '../../helpers/context.js';
import { memoryOutputs } from '../../helpers/sinks.js';
import { ACCOUNT, expectWellFormedTree, namesOf, specs } from './scenario.js';

const s3 = mockClient(S3Client);
const glue = mockClient(GlueClient);
const sts = mockClient(STSClient);

function s3Error(name: string, status: number): S3ServiceException {
  return new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message: `${name} (test)` });
}

function glueError(name: string, status: number): Error {
  return Object.assign(new Error(`${name} (test)`), { name, $fault: 'client', $metadata: { httpStatusCode: status } });
}

/** An account whose ListBuckets answer is this, in S3's own output shape. */
function buckets(list: ListBucketsCommandOutput['Buckets']): void {
  s3.on(ListBucketsCommand).resolves({ Buckets: list, $metadata: {} });
}

function objects(bucket: string, keys: string[]): void {
  const page: ListObjectsV2CommandOutput = { Contents: keys.map((Key) => ({ Key, Size: 1 })), IsTruncated: false, $metadata: {} };
  s3.on(ListObjectsV2Command, { Bucket: bucket }).resolves(page);
}

async function run(params: Record<string, unknown> = {}) {
  const ctx = testContext({ specs, params });
  const out = memoryOutputs();
  await syncDataObjects(ctx, out);
  const sink = out['data-objects'];
  return { ctx, sink, byName: new Map(sink.items.map((o): [string, DataObject] => [o.fullName, o])) };
}

beforeEach(() => {
  s3.reset();
  glue.reset();
  sts.reset();
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/c`, $metadata: {} });
});
afterEach(() => {
  s3.reset();
  glue.reset();
  sts.reset();
});

describe('bucket regions', () => {
  it('uses BucketRegion from ListBuckets and asks GetBucketLocation only when it is missing', async () => {
    buckets([
      { Name: 'listed', BucketRegion: 'eu-north-1' },
      { Name: 'classic' },
      { Name: 'legacy-eu' },
      { Name: 'mumbai' },
    ]);
    s3.on(GetBucketLocationCommand, { Bucket: 'classic' }).resolves({ LocationConstraint: undefined, $metadata: {} });
    s3.on(GetBucketLocationCommand, { Bucket: 'legacy-eu' }).resolves({ LocationConstraint: 'EU', $metadata: {} });
    s3.on(GetBucketLocationCommand, { Bucket: 'mumbai' }).resolves({ LocationConstraint: 'ap-south-1', $metadata: {} });
    const ctx = testContext({ specs });
    const index = await bucketIndex(ctx);
    expect(index.map((b) => [b.name, b.region, b.fullName])).toEqual([
      ['classic', 'us-east-1', `${ACCOUNT}:us-east-1:classic`],
      ['legacy-eu', 'eu-west-1', `${ACCOUNT}:eu-west-1:legacy-eu`],
      ['listed', 'eu-north-1', `${ACCOUNT}:eu-north-1:listed`],
      ['mumbai', 'ap-south-1', `${ACCOUNT}:ap-south-1:mumbai`],
    ]);
    expect(s3.commandCalls(GetBucketLocationCommand)).toHaveLength(3);
    // Memoised for the run: the access import reads the same index without new calls.
    await bucketIndex(ctx);
    expect(s3.commandCalls(ListBucketsCommand)).toHaveLength(1);
  });
});

describe('S3 failures (client mock)', () => {
  it('access denied on one bucket: a warning, the stream incomplete, the other buckets complete', async () => {
    buckets([
      { Name: 'open-a', BucketRegion: 'eu-central-1' },
      { Name: 'closed', BucketRegion: 'eu-central-1' },
      { Name: 'open-b', BucketRegion: 'us-east-1' },
    ]);
    objects('open-a', ['x/1.csv']);
    objects('open-b', ['y.csv']);
    s3.on(ListObjectsV2Command, { Bucket: 'closed' }).rejects(s3Error('AccessDenied', 403));
    const { sink, byName } = await run();
    expectWellFormedTree(sink.items);
    expect(sink.incomplete).toBe(true);
    expect(sink.warnings.filter((w) => w.startsWith('bucket closed'))).toHaveLength(1);
    expect(sink.warnings).toContain('objects of bucket closed are missing (access-denied)');
    expect(sink.warnings.join('\n')).toMatch(/s3:ListBucket/);
    expect(byName.get(`${ACCOUNT}:eu-central-1:closed`)?.type).toBe('bucket');
    expect(namesOf(sink.items, 'file')).toEqual([`${ACCOUNT}:eu-central-1:open-a/x/1.csv`, `${ACCOUNT}:us-east-1:open-b/y.csv`]);
  });

  it('a bucket deleted during the run: a warning, incomplete, and no record for it', async () => {
    buckets([
      { Name: 'gone', BucketRegion: 'eu-central-1' },
      { Name: 'here', BucketRegion: 'eu-central-1' },
    ]);
    objects('here', ['a']);
    s3.on(ListObjectsV2Command, { Bucket: 'gone' }).rejects(s3Error('NoSuchBucket', 404));
    const { sink, byName } = await run();
    expect(sink.incomplete).toBe(true);
    expect(sink.warnings.some((w) => w.includes('bucket gone') && w.includes('no longer exists'))).toBe(true);
    expect(byName.has(`${ACCOUNT}:eu-central-1:gone`)).toBe(false);
    expect(byName.has(`${ACCOUNT}:eu-central-1:here/a`)).toBe(true);
  });

  it('access denied on a later page: what was read before stays, the stream is incomplete', async () => {
    buckets([
      { Name: 'half', BucketRegion: 'eu-central-1' },
      { Name: 'whole', BucketRegion: 'eu-central-1' },
    ]);
    objects('whole', ['w.csv']);
    // The next page is asked for before the first one is written: its failure must not lose the first.
    s3.on(ListObjectsV2Command, { Bucket: 'half' })
      .resolvesOnce({ Contents: [{ Key: 'a/1.csv' }, { Key: 'a/2.csv' }], IsTruncated: true, NextContinuationToken: 't2', $metadata: {} })
      .rejects(s3Error('AccessDenied', 403));
    const { sink, byName } = await run();
    expectWellFormedTree(sink.items);
    expect(sink.incomplete).toBe(true);
    expect(sink.warnings.join('\n')).toMatch(/bucket half/);
    expect(namesOf(sink.items, 'file')).toEqual([`${ACCOUNT}:eu-central-1:half/a/1.csv`, `${ACCOUNT}:eu-central-1:half/a/2.csv`, `${ACCOUNT}:eu-central-1:whole/w.csv`]);
    expect(byName.get(`${ACCOUNT}:eu-central-1:half/a`)?.type).toBe('folder');
  });

  it('a server error on a later page fails the sync, naming the call', async () => {
    buckets([{ Name: 'b', BucketRegion: 'eu-central-1' }]);
    s3.on(ListObjectsV2Command)
      .resolvesOnce({ Contents: [{ Key: 'x.csv' }], IsTruncated: true, NextContinuationToken: 't2', $metadata: {} })
      .rejects(s3Error('InternalError', 500));
    await expect(run()).rejects.toThrow(/ListObjectsV2/);
  });

  it('other errors fail the sync', async () => {
    buckets([{ Name: 'b', BucketRegion: 'eu-central-1' }]);
    s3.on(ListObjectsV2Command).rejects(s3Error('InternalError', 500));
    await expect(run()).rejects.toThrow(/ListObjectsV2/);
  });
});

const table = (name: string, location: string | undefined, extra: Partial<Table> = {}): Table => ({
  Name: name,
  DatabaseName: 'sales_db',
  StorageDescriptor: { Location: location, Columns: [{ Name: 'id', Type: 'bigint', Comment: 'Order id' }, { Name: 'amount', Type: 'decimal(10,2)' }] },
  ...extra,
});

describe('Glue mode', () => {
  const glueParams = { 'aws-s3-enabled': false, 'aws-glue-enabled': true, 'aws-regions': 'eu-central-1,eu-west-1' };

  beforeEach(() => {
    buckets([{ Name: 'lake', BucketRegion: 'eu-west-1' }]);
    glue.on(GetDatabasesCommand).resolves({ DatabaseList: [{ Name: 'sales_db' }, { Name: 'tmp_scratch' }], $metadata: {} });
    const tables: GetTablesCommandOutput = {
      TableList: [
        table('orders', 's3://lake/warehouse/orders/', {
          PartitionKeys: [{ Name: 'year', Type: 'string' }],
          Parameters: { classification: 'parquet' },
          Description: 'Order lines',
        }),
        table('customers', 's3a://lake/warehouse/customers'),
        table('orders_view', undefined, { TableType: 'VIRTUAL_VIEW' }),
        table('federated', 'mysql://db.example.com/x'),
        table('orders_tmp', 's3://lake/tmp/orders_tmp/'),
      ],
      $metadata: {},
    };
    glue.on(GetTablesCommand, { DatabaseName: 'sales_db' }).resolves(tables);
    glue.on(GetTablesCommand, { DatabaseName: 'tmp_scratch' }).resolves({ TableList: [table('scratch', 's3://lake/scratch/')], $metadata: {} });
    glue.on(GetTagsCommand).resolves({ Tags: { owner: 'data-team' }, $metadata: {} });
  });

  it('writes bucket, folders, glue tables and their columns; tables without an S3 location are skipped with one warning', async () => {
    const { sink, byName } = await run({ ...glueParams, 'aws-regions': 'eu-central-1', 'aws-glue-exclude-databases': 'tmp_.*', 'aws-glue-exclude-tables': '.*_tmp' });
    expectWellFormedTree(sink.items);
    const L = `${ACCOUNT}:eu-west-1:lake`;
    expect(namesOf(sink.items, 'bucket')).toEqual([L]);
    expect(namesOf(sink.items, 'folder')).toEqual([`${L}/warehouse`]);
    expect(namesOf(sink.items, 'glue-table')).toEqual([`${L}/warehouse/customers`, `${L}/warehouse/orders`]);
    const orders = byName.get(`${L}/warehouse/orders`)!;
    expect(orders).toMatchObject({ name: 'orders', parentExternalId: `${L}/warehouse`, description: 'Glue table sales_db.orders: Order lines' });
    expect(orders.tags).toEqual([
      { key: 'classification', value: 'parquet', source: 'aws-glue' },
      { key: 'owner', value: 'data-team', source: 'aws-glue' },
    ]);
    expect(sink.items.filter((o) => o.type === 'column' && o.parentExternalId === orders.externalId)).toEqual([
      { externalId: `${L}/warehouse/orders#id`, name: 'id', fullName: `${L}/warehouse/orders#id`, type: 'column', parentExternalId: orders.externalId, dataType: 'bigint', description: 'Order id' },
      { externalId: `${L}/warehouse/orders#amount`, name: 'amount', fullName: `${L}/warehouse/orders#amount`, type: 'column', parentExternalId: orders.externalId, dataType: 'decimal(10,2)' },
      {
        externalId: `${L}/warehouse/orders#year`,
        name: 'year',
        fullName: `${L}/warehouse/orders#year`,
        type: 'column',
        parentExternalId: orders.externalId,
        dataType: 'string',
        tags: [{ key: 'partition-key', value: 'true', source: 'aws-glue' }],
      },
    ]);
    const skipped = sink.warnings.filter((w) => w.includes('no S3 location'));
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatch(/2 table\(s\).*sales_db\.orders_view, sales_db\.federated/);
    expect(sink.incomplete).toBe(false);
    // Excluded database and table: never asked for / not written.
    expect(glue.commandCalls(GetTablesCommand).map((c) => c.args[0].input.DatabaseName)).toEqual(['sales_db']);
    expect(byName.has(`${L}/tmp/orders_tmp`)).toBe(false);
  });

  it('a region that is not enabled is a warning naming the region; the other regions go on', async () => {
    // The second region (eu-west-1) is not enabled: its first call fails with an invalid-token error.
    let calls = 0;
    glue.on(GetDatabasesCommand).callsFake(() => {
      calls++;
      if (calls === 2) throw Object.assign(glueError('UnrecognizedClientException', 400), { message: 'The security token included in the request is invalid' });
      return { DatabaseList: [{ Name: 'sales_db' }] };
    });
    const { sink } = await run(glueParams);
    expect(sink.warnings.some((w) => w.includes('eu-west-1') && w.includes('not enabled'))).toBe(true);
    expect(namesOf(sink.items, 'glue-table').length).toBeGreaterThan(0);
  });

  it('access denied on a database: a warning and an incomplete stream', async () => {
    glue.on(GetTablesCommand, { DatabaseName: 'tmp_scratch' }).rejects(glueError('AccessDeniedException', 400));
    const { sink } = await run({ ...glueParams, 'aws-regions': 'eu-central-1' });
    expect(sink.incomplete).toBe(true);
    expect(sink.warnings.some((w) => w.includes('tmp_scratch'))).toBe(true);
    expect(namesOf(sink.items, 'glue-table')).toContain(`${ACCOUNT}:eu-west-1:lake/warehouse/orders`);
  });

  it('S3 and Glue both enabled stops with a config error', async () => {
    await expect(run({ 'aws-glue-enabled': true })).rejects.toThrow(/choose one/);
  });
});
