import { describe, expect, it } from 'vitest';
import { ACCOUNT, bucket, expectWellFormedTree, fakeAccount, namesOf, syncFake } from './scenario.js';

const sales = (keys: string[]) => bucket('sales', 'eu-central-1', keys);
const A = `${ACCOUNT}:eu-central-1:sales`;

describe('S3 data objects with folder emulation', () => {
  it('writes the account, the bucket, each folder once and the files under their folders', async () => {
    const { sink, byName } = await syncFake(fakeAccount([sales(['README.md', '2024/', '2024/q1/orders.parquet', '2024/q1/customers.parquet', '2024/q2/orders.parquet'])]));
    expectWellFormedTree(sink.items);
    expect(sink.items[0]).toEqual({ externalId: ACCOUNT, name: ACCOUNT, fullName: ACCOUNT, type: 'datasource' });
    expect(byName.get(A)).toEqual({ externalId: A, name: 'sales', fullName: A, type: 'bucket', parentExternalId: ACCOUNT });
    expect(namesOf(sink.items, 'folder')).toEqual([`${A}/2024`, `${A}/2024/q1`, `${A}/2024/q2`]);
    expect(namesOf(sink.items, 'file')).toEqual([`${A}/2024/q1/customers.parquet`, `${A}/2024/q1/orders.parquet`, `${A}/2024/q2/orders.parquet`, `${A}/README.md`]);
    expect(byName.get(`${A}/2024/q1`)).toMatchObject({ name: 'q1', type: 'folder', parentExternalId: `${A}/2024` });
    expect(byName.get(`${A}/2024/q2/orders.parquet`)).toMatchObject({ name: 'orders.parquet', type: 'file', parentExternalId: `${A}/2024/q2` });
    expect(byName.get(`${A}/README.md`)).toMatchObject({ name: 'README.md', parentExternalId: A });
    expect(sink.incomplete).toBe(false);
    expect(sink.warnings).toEqual([]);
  });

  it('represents objects below the max depth by their folder at that depth', async () => {
    const keys = ['top.txt', 'a/x.txt', 'a/b/y.txt', 'a/b/c/d/deep.txt', 'a/b/c/e/deeper/z.txt', 'f/g/h.txt'];
    const { sink } = await syncFake(fakeAccount([sales(keys)]), { 'aws-s3-max-folder-depth': 2 });
    expectWellFormedTree(sink.items);
    expect(namesOf(sink.items, 'folder')).toEqual([`${A}/a`, `${A}/a/b`, `${A}/f`, `${A}/f/g`]);
    expect(namesOf(sink.items, 'file')).toEqual([`${A}/a/x.txt`, `${A}/top.txt`]);
  });

  it('with max depth 1 keeps only the top level', async () => {
    const { sink } = await syncFake(fakeAccount([sales(['top.txt', 'a/x.txt', 'b/c/d.txt'])]), { 'aws-s3-max-folder-depth': '1' });
    expect(namesOf(sink.items, 'folder')).toEqual([`${A}/a`, `${A}/b`]);
    expect(namesOf(sink.items, 'file')).toEqual([`${A}/top.txt`]);
  });
});

describe('S3 data objects without folder emulation', () => {
  it('puts every object directly under its bucket with its whole key, and no folders', async () => {
    const { sink, byName } = await syncFake(fakeAccount([sales(['2024/', '2024/q1/orders.parquet', 'README.md', 'a/b/c/d/e/f.txt'])]), {
      'aws-s3-emulate-folder-structure': 'false',
      'aws-s3-max-folder-depth': 2,
    });
    expectWellFormedTree(sink.items);
    expect(namesOf(sink.items, 'folder')).toEqual([]);
    expect(namesOf(sink.items, 'file')).toEqual([`${A}/2024/q1/orders.parquet`, `${A}/README.md`, `${A}/a/b/c/d/e/f.txt`]);
    expect(byName.get(`${A}/2024/q1/orders.parquet`)).toEqual({
      externalId: `${A}/2024/q1/orders.parquet`,
      name: '2024/q1/orders.parquet',
      fullName: `${A}/2024/q1/orders.parquet`,
      type: 'file',
      parentExternalId: A,
    });
  });
});

describe('bucket regions and filters', () => {
  it('names each bucket with its real region, us-east-1 included', async () => {
    const { sink } = await syncFake(fakeAccount([bucket('hr', 'us-east-1', ['x.txt']), bucket('logs', 'eu-west-1', ['y.txt'])]));
    expect(namesOf(sink.items, 'bucket')).toEqual([`${ACCOUNT}:us-east-1:hr`, `${ACCOUNT}:eu-west-1:logs`].sort());
    expect(namesOf(sink.items, 'file')).toEqual([`${ACCOUNT}:eu-west-1:logs/y.txt`, `${ACCOUNT}:us-east-1:hr/x.txt`]);
  });

  it('applies include and exclude wildcards to bucket names (full match, excludes win)', async () => {
    const names = ['acme-sales', 'acme-hr', 'acme-logs', 'acme', 'other-acme-sales'];
    const account = fakeAccount(names.map((n) => bucket(n, 'eu-central-1', ['k'])));
    const { sink } = await syncFake(account, { 'aws-s3-include-buckets': 'acme-*', 'aws-s3-exclude-buckets': '*-logs' });
    expect(sink.items.filter((o) => o.type === 'bucket').map((o) => o.name).sort()).toEqual(['acme-hr', 'acme-sales']);
    const exact = await syncFake(account, { 'aws-s3-include-buckets': 'acme, other-*' });
    expect(exact.sink.items.filter((o) => o.type === 'bucket').map((o) => o.name).sort()).toEqual(['acme', 'other-acme-sales']);
  });

  it('an include or exclude entry that matches no bucket is a warning naming the parameter and the entry', async () => {
    const account = fakeAccount(['acme-sales', 'acme-hr'].map((n) => bucket(n, 'eu-central-1', ['k'])));
    const { sink } = await syncFake(account, { 'aws-s3-include-buckets': 'acme-*,acmee-*', 'aws-s3-exclude-buckets': '*-hr,*-logs' });
    expect(sink.warnings).toEqual([
      'aws-s3-include-buckets: "acmee-*" matched no bucket name of this run; check the expression (it must match the whole name)',
      'aws-s3-exclude-buckets: "*-logs" matched no bucket name of this run; check the expression (it must match the whole name)',
    ]);
    expect(sink.items.filter((o) => o.type === 'bucket').map((o) => o.name)).toEqual(['acme-sales']);
  });
});

describe('failures while listing buckets', () => {
  it('an access-denied bucket is a warning and leaves the stream incomplete while the others complete', async () => {
    const account = fakeAccount(
      [bucket('hr', 'us-east-1', ['secret/salaries.csv']), sales(['2024/q1/orders.parquet']), bucket('logs', 'eu-west-1', ['l/1.gz'])],
      { denied: ['S3.ListObjectsV2:hr'] },
    );
    const { sink, byName } = await syncFake(account);
    expectWellFormedTree(sink.items);
    expect(sink.incomplete).toBe(true);
    expect(sink.warnings).toEqual([
      'the objects of bucket hr (us-east-1) could not be read: AWS denied S3.ListObjectsV2 on hr: the credentials need s3:ListBucket on hr (AccessDenied: User is not authorized to perform: s3:ListObjectsV2 on resource: hr)',
      'the objects of bucket hr (us-east-1): missing (access-denied)',
    ]);
    // The denied bucket is still part of the tree, its objects are not.
    expect(byName.has(`${ACCOUNT}:us-east-1:hr`)).toBe(true);
    expect(byName.has(`${ACCOUNT}:us-east-1:hr/secret`)).toBe(false);
    expect(byName.has(`${A}/2024/q1/orders.parquet`)).toBe(true);
    expect(byName.has(`${ACCOUNT}:eu-west-1:logs/l/1.gz`)).toBe(true);
  });

  it('a bucket in a region that is not enabled is a warning naming the region', async () => {
    const account = fakeAccount([bucket('far', 'ap-east-1', ['a.txt']), sales(['b.txt'])], { disabledRegions: ['ap-east-1'] });
    const { sink, byName } = await syncFake(account);
    expect(sink.warnings.some((w) => w.includes('ap-east-1') && w.includes('not enabled'))).toBe(true);
    expect(sink.incomplete).toBe(true);
    expect(byName.has(`${A}/b.txt`)).toBe(true);
  });
});
