import type { Column, Database, Table } from '@aws-sdk/client-glue';
import type { FakeAccount, FakeBucket, FakeObject } from '../fake-aws/types.js';
import { compareKeys } from '../../importers/data-objects/key-order.js';

const MODIFIED = new Date('2024-06-30T12:00:00Z');

/** Objects as S3 lists them: sorted by key. */
function objects(entries: [key: string, size: number][]): FakeObject[] {
  return entries.map(([key, size]) => ({ key, size, lastModified: MODIFIED })).sort((a, b) => compareKeys(a.key, b.key));
}

/**
 * The buckets of Acme, a small company: sales data with quarterly folders and a Glue warehouse
 * (eu-central-1), HR documents in us-east-1 (its location constraint is empty), and deep log paths
 * in eu-west-1.
 */
export const sampleBuckets: FakeBucket[] = [
  {
    name: 'acme-sales',
    region: 'eu-central-1',
    creationDate: new Date('2021-03-01T09:00:00Z'),
    tags: { department: 'sales', 'cost-center': 'CC-100' },
    objects: objects([
      ['README.md', 1_204],
      ['2024/', 0],
      ['2024/q1/orders.parquet', 4_818_220],
      ['2024/q1/customers.parquet', 912_004],
      ['2024/q2/orders.parquet', 5_120_877],
      ['2024/q2/customers.parquet', 930_112],
      ['2024/q2/returns/returns-april.csv', 84_200],
      ['public/press-kit.pdf', 3_120_500],
      ['reports/annual-2023.pdf', 2_400_117],
      ['uploads/mallory/leads.csv', 12_400],
      ['warehouse/orders/year=2024/month=01/part-00000.snappy.parquet', 12_004_112],
      ['warehouse/orders/year=2024/month=02/part-00000.snappy.parquet', 11_880_455],
      ['warehouse/customers/part-00000.snappy.parquet', 2_210_901],
    ]),
  },
  {
    name: 'acme-hr',
    region: 'us-east-1',
    creationDate: new Date('2020-11-15T09:00:00Z'),
    tags: { department: 'hr', confidentiality: 'high' },
    objects: objects([
      ['employees/contracts/2023/alice.pdf', 220_001],
      ['employees/contracts/2024/bob.pdf', 198_450],
      ['employees/reviews/2024/alice-review.docx', 48_112],
      ['payroll/2024-05.csv', 38_994],
      ['payroll/2024-06.csv', 39_201],
      ['policies/handbook.pdf', 1_880_000],
    ]),
  },
  {
    name: 'acme-logs',
    region: 'eu-west-1',
    creationDate: new Date('2022-01-10T09:00:00Z'),
    objects: objects([
      ['cloudtrail/AWSLogs/111122223333/CloudTrail/eu-central-1/2024/06/30/111122223333_CloudTrail_eu-central-1_20240630T1200Z_a1b2.json.gz', 18_221],
      ['cloudtrail/AWSLogs/111122223333/CloudTrail/eu-central-1/2024/06/30/111122223333_CloudTrail_eu-central-1_20240630T1205Z_c3d4.json.gz', 17_004],
      ['cloudtrail/AWSLogs/111122223333/CloudTrail/us-east-1/2024/06/30/111122223333_CloudTrail_us-east-1_20240630T1200Z_e5f6.json.gz', 9_870],
      ['access/acme-sales/2024-06-30-12-00-00-ABCDEF0123456789', 1_022],
      ['access/acme-sales/2024-06-30-12-05-00-0123456789ABCDEF', 988],
    ]),
  },
];

const col = (Name: string, Type: string, Comment?: string): Column => ({ Name, Type, ...(Comment ? { Comment } : {}) });

const salesTables: Table[] = [
  {
    Name: 'orders',
    DatabaseName: 'sales_db',
    Description: 'One row per order line',
    TableType: 'EXTERNAL_TABLE',
    Parameters: { classification: 'parquet', owner: 'data-team' },
    StorageDescriptor: {
      Location: 's3://acme-sales/warehouse/orders/',
      Columns: [col('order_id', 'bigint', 'Order number'), col('customer_id', 'bigint'), col('amount', 'decimal(10,2)', 'Order amount in EUR'), col('ordered_at', 'timestamp')],
    },
    PartitionKeys: [col('year', 'string'), col('month', 'string')],
  },
  {
    Name: 'customers',
    DatabaseName: 'sales_db',
    TableType: 'EXTERNAL_TABLE',
    Parameters: { classification: 'parquet' },
    StorageDescriptor: {
      Location: 's3://acme-sales/warehouse/customers',
      Columns: [col('customer_id', 'bigint'), col('name', 'string'), col('email', 'string', 'Personal data'), col('country', 'string')],
    },
  },
  {
    // A view has no S3 location of its own: the sync counts and skips it.
    Name: 'monthly_revenue',
    DatabaseName: 'sales_db',
    TableType: 'VIRTUAL_VIEW',
    ViewOriginalText: 'SELECT year, month, sum(amount) FROM orders GROUP BY year, month',
    StorageDescriptor: { Columns: [col('year', 'string'), col('month', 'string'), col('revenue', 'decimal(12,2)')] },
  },
];

const salesDb: Database = { Name: 'sales_db', Description: 'Sales data of Acme', LocationUri: 's3://acme-sales/warehouse/' };

/** The Glue catalog of the sample account: one database in eu-central-1. */
export const sampleGlue: FakeAccount['glue'] = {
  'eu-central-1': { databases: [salesDb], tables: { sales_db: salesTables } },
};
