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
import { ConnectorError } from '../../../src/errors.js';
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
    expect(sink.warnings).toEqual([
      'the objects of bucket closed (eu-central-1) could not be read: AWS denied S3.ListObjectsV2 on closed: the credentials need s3:ListBucket on closed (AccessDenied: AccessDenied (test))',
      'the objects of bucket closed (eu-central-1): missing (access-denied)',
    ]);
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
    expect(sink.warnings).toEqual([
      'the objects of bucket gone (eu-central-1) could not be read: AWS did not find gone for S3.ListObjectsV2 (NoSuchBucket: NoSuchBucket (test))',
      'the objects of bucket gone (eu-central-1): missing (not-found)',
    ]);
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
    expect(sink.warnings[1]).toBe('the objects of bucket half (eu-central-1): missing (access-denied)');
    expect(namesOf(sink.items, 'file')).toEqual([`${ACCOUNT}:eu-central-1:half/a/1.csv`, `${ACCOUNT}:eu-central-1:half/a/2.csv`, `${ACCOUNT}:eu-central-1:whole/w.csv`]);
    expect(byName.get(`${ACCOUNT}:eu-central-1:half/a`)?.type).toBe('folder');
  });

  it('AWS still failing on a later page after the retries: that bucket is incomplete, the others complete', async () => {
    buckets([
      { Name: 'b', BucketRegion: 'eu-central-1' },
      { Name: 'c', BucketRegion: 'eu-central-1' },
    ]);
    objects('c', ['c.csv']);
    s3.on(ListObjectsV2Command, { Bucket: 'b' })
      .resolvesOnce({ Contents: [{ Key: 'x.csv' }], IsTruncated: true, NextContinuationToken: 't2', $metadata: {} })
      .rejects(s3Error('InternalError', 500));
    const { sink } = await run();
    expect(sink.incomplete).toBe(true);
    expect(sink.warnings).toEqual([
      'the objects of bucket b (eu-central-1) could not be read: AWS kept failing S3.ListObjectsV2 on b (InternalError: InternalError (test))',
      'the objects of bucket b (eu-central-1): missing (unavailable)',
    ]);
    expect(namesOf(sink.items, 'file')).toEqual([`${ACCOUNT}:eu-central-1:b/x.csv`, `${ACCOUNT}:eu-central-1:c/c.csv`]);
  });

  it('an unknown error fails the sync, naming the call', async () => {
    buckets([{ Name: 'b', BucketRegion: 'eu-central-1' }]);
    s3.on(ListObjectsV2Command).rejects(s3Error('InvalidArgument', 400));
    await expect(run()).rejects.toThrow('AWS call S3.ListObjectsV2 on b failed (InvalidArgument: InvalidArgument (test))');
  });

  it('revoked keys fail the sync with a message about credentials, not per-bucket access-denied warnings', async () => {
    buckets([
      { Name: 'a', BucketRegion: 'eu-central-1' },
      { Name: 'b', BucketRegion: 'eu-central-1' },
    ]);
    s3.on(ListObjectsV2Command).rejects(s3Error('InvalidAccessKeyId', 403));
    const failure = await run().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ConnectorError);
    expect((failure as ConnectorError).message).toBe(
      'AWS did not accept the credentials for S3.ListObjectsV2 (revoked, inactive or mistyped access key, or a wrong secret) (InvalidAccessKeyId: InvalidAccessKeyId (test))',
    );
  });

  it('a fatal error on the first of 201 buckets cancels the others: no bucket is listed after the sync failed', async () => {
    const names = Array.from({ length: 201 }, (_, i) => `b${String(i).padStart(3, '0')}`);
    buckets(names.map((Name) => ({ Name, BucketRegion: 'eu-central-1' })));
    s3.on(ListObjectsV2Command).callsFake(async (input: { Bucket: string }) => {
      if (input.Bucket === 'b000') throw s3Error('InvalidAccessKeyId', 403);
      await new Promise((r) => setTimeout(r, 20));
      return { Contents: [{ Key: 'k' }], IsTruncated: false };
    });
    await expect(run({ 'aws-concurrency': 5 })).rejects.toThrow(/did not accept the credentials/);
    const whenFailed = s3.commandCalls(ListObjectsV2Command).length;
    // Only the buckets already started (one pool of aws-concurrency) were asked for.
    expect(whenFailed).toBe(5);
    await new Promise((r) => setTimeout(r, 200));
    expect(s3.commandCalls(ListObjectsV2Command)).toHaveLength(5);
  });

  it('a truncated page without keys does not end the listing: it goes on with the continuation token', async () => {
    buckets([{ Name: 'b', BucketRegion: 'eu-central-1' }]);
    s3.on(ListObjectsV2Command, { Bucket: 'b' })
      .resolvesOnce({ Contents: [{ Key: 'a.csv' }], IsTruncated: true, NextContinuationToken: 't2', $metadata: {} })
      .resolvesOnce({ IsTruncated: true, NextContinuationToken: 't3', $metadata: {} })
      .resolvesOnce({ Contents: [{ Key: 'z.csv' }], IsTruncated: false, $metadata: {} });
    const { sink } = await run();
    expect(namesOf(sink.items, 'file')).toEqual([`${ACCOUNT}:eu-central-1:b/a.csv`, `${ACCOUNT}:eu-central-1:b/z.csv`]);
    expect(s3.commandCalls(ListObjectsV2Command)).toHaveLength(3);
    expect(sink.incomplete).toBe(false);
  });

  describe('a bucket whose region could not be read', () => {
    /** GetBucketLocation keeps failing for `far`, which lives in eu-west-1; S3 redirects with or without naming the region. */
    function farBucket(redirectHeader: boolean): void {
      buckets([{ Name: 'far' }, { Name: 'near', BucketRegion: 'eu-central-1' }]);
      s3.on(GetBucketLocationCommand).rejects(s3Error('SlowDown', 503));
      objects('near', ['n.csv']);
      s3.on(ListObjectsV2Command, { Bucket: 'far' }).callsFake(async (_input: unknown, getClient: () => S3Client) => {
        const region = await getClient().config.region();
        if (region === 'eu-west-1') return { Contents: [{ Key: 'f.csv' }], IsTruncated: false };
        const moved = s3Error('PermanentRedirect', 301);
        if (redirectHeader) Object.assign(moved, { $response: { statusCode: 301, headers: { 'x-amz-bucket-region': 'eu-west-1' } } });
        throw moved;
      });
    }

    it('follows the region S3 names in its 301 answer, and the bucket gets its real full name', async () => {
      farBucket(true);
      const { sink, byName } = await run();
      expect(namesOf(sink.items, 'file')).toEqual([`${ACCOUNT}:eu-central-1:near/n.csv`, `${ACCOUNT}:eu-west-1:far/f.csv`]);
      expect(byName.get(`${ACCOUNT}:eu-west-1:far`)?.type).toBe('bucket');
      expect(sink.warnings).toEqual(['bucket far: its region could not be read (s3:GetBucketLocation); assumed eu-central-1 unless S3 redirects']);
      expect(sink.incomplete).toBe(false);
    });

    it('without a region in the redirect, only that bucket is missing and the stream is incomplete', async () => {
      farBucket(false);
      const { sink } = await run();
      expect(namesOf(sink.items, 'file')).toEqual([`${ACCOUNT}:eu-central-1:near/n.csv`]);
      expect(sink.incomplete).toBe(true);
      expect(sink.warnings.at(-1)).toBe('the objects of bucket far (eu-central-1): missing (redirect)');
    });
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

  it('a region that cannot be read is a warning naming the region and marks the stream incomplete; the other regions go on', async () => {
    // The second region (eu-west-1) is not enabled: its first call fails with an invalid-token error.
    let calls = 0;
    glue.on(GetDatabasesCommand).callsFake(() => {
      calls++;
      if (calls === 2) throw Object.assign(glueError('UnrecognizedClientException', 400), { message: 'The security token included in the request is invalid' });
      return { DatabaseList: [{ Name: 'sales_db' }] };
    });
    const { sink } = await run({ ...glueParams, 'aws-concurrency': 1 });
    expect(sink.warnings).toEqual([
      'the Glue databases of region eu-west-1 could not be read: Region eu-west-1 could not be read: region eu-west-1 did not accept the credentials, which work in eu-central-1, so Glue.GetDatabases failed (UnrecognizedClientException: The security token included in the request is invalid)',
      'the Glue databases of region eu-west-1: missing (region-unreadable)',
      'Glue: 2 table(s) have no S3 location below a bucket and were skipped: sales_db.orders_view, sales_db.federated',
    ]);
    expect(sink.incomplete).toBe(true);
    expect(namesOf(sink.items, 'glue-table')).toEqual([`${ACCOUNT}:eu-west-1:lake/tmp/orders_tmp`, `${ACCOUNT}:eu-west-1:lake/warehouse/customers`, `${ACCOUNT}:eu-west-1:lake/warehouse/orders`]);
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
