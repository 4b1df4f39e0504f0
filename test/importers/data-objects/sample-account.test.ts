import { describe, expect, it } from 'vitest';
import { sampleBuckets, sampleGlue } from '../../../src/demo/sample/data-objects.js';
import { ACCOUNT, expectWellFormedTree, fakeAccount, namesOf, syncFake } from './scenario.js';

describe('the sample account through the fake AWS', () => {
  it('S3 mode writes datasource, buckets in their real regions, folders and files', async () => {
    const { sink, byName } = await syncFake(fakeAccount(sampleBuckets, { glue: sampleGlue }));
    expectWellFormedTree(sink.items);
    expect(new Set(sink.items.map((o) => o.type))).toEqual(new Set(['datasource', 'bucket', 'folder', 'file']));
    expect(namesOf(sink.items, 'bucket')).toEqual([`${ACCOUNT}:eu-central-1:acme-sales`, `${ACCOUNT}:eu-west-1:acme-logs`, `${ACCOUNT}:us-east-1:acme-hr`]);
    expect(byName.get(`${ACCOUNT}:eu-central-1:acme-sales/2024/q1/orders.parquet`)).toMatchObject({ type: 'file', parentExternalId: `${ACCOUNT}:eu-central-1:acme-sales/2024/q1` });
    expect(sink.incomplete).toBe(false);
  });

  it('Glue mode writes the sales_db tables with their columns and skips the view', async () => {
    const { sink, byName } = await syncFake(fakeAccount(sampleBuckets, { glue: sampleGlue }), { 'aws-s3-enabled': false, 'aws-glue-enabled': true });
    expectWellFormedTree(sink.items);
    const S = `${ACCOUNT}:eu-central-1:acme-sales`;
    expect(namesOf(sink.items, 'glue-table')).toEqual([`${S}/warehouse/customers`, `${S}/warehouse/orders`]);
    expect(byName.get(`${S}/warehouse/orders#month`)).toMatchObject({ type: 'column', dataType: 'string' });
    expect(sink.warnings.some((w) => w.includes('sales_db.monthly_revenue'))).toBe(true);
  });

  it('Glue mode warns about exclude entries that match no database or table of the run', async () => {
    const { sink } = await syncFake(fakeAccount(sampleBuckets, { glue: sampleGlue }), {
      'aws-s3-enabled': false,
      'aws-glue-enabled': true,
      'aws-glue-exclude-databases': 'tmp_.+',
      'aws-glue-exclude-tables': 'sales_db.customers,nope',
    });
    expect(sink.warnings).toContain('aws-glue-exclude-databases: "tmp_.+" matched no Glue database name of this run; check the expression (it must match the whole name)');
    expect(sink.warnings).toContain('aws-glue-exclude-tables: "nope" matched no Glue table name of this run; check the expression (it must match the whole name)');
    expect(sink.warnings.filter((w) => w.includes('sales_db.customers'))).toEqual([]);
  });
});
