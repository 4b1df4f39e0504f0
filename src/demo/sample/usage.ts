import { gzipSync } from 'node:zlib';
import { fileTimestamp, dayFolder } from '../../importers/usage/layout.js';
import type { CloudTrailEvent, CloudTrailUserIdentity } from '../../importers/usage/cloudtrail-event.js';
import type { FakeObject, FakeTrail } from '../fake-aws/types.js';
import { sampleAccountId as account } from './identities.js';

const HOUR = 3_600_000;

/** The sample account's trail: S3 data events of every bucket, written to acme-logs/cloudtrail/. */
export const sampleTrail: FakeTrail = { name: 'acme-data-events', bucket: 'acme-logs', prefix: 'cloudtrail', homeRegion: 'eu-central-1', s3DataEvents: true };

const iamUser = (name: string): CloudTrailUserIdentity => ({ type: 'IAMUser', accountId: account, userName: name, arn: `arn:aws:iam::${account}:user/${name}`, principalId: `AIDA${name.toUpperCase()}` });
const role = (name: string, session: string): CloudTrailUserIdentity => ({
  type: 'AssumedRole',
  accountId: account,
  arn: `arn:aws:sts::${account}:assumed-role/${name}/${session}`,
  sessionContext: { sessionIssuer: { type: 'Role', userName: name, accountId: account, arn: `arn:aws:iam::${account}:role/${name}` } },
});

type Access = [who: CloudTrailUserIdentity, eventName: string, bucket: string, key: string | undefined, extra?: Partial<CloudTrailEvent>];

/** Who used what in the sample company, a few hours before the demo runs. */
const accesses: Access[][] = [
  [
    [iamUser('alice'), 'GetObject', 'acme-sales', '2024/q1/orders.parquet', { additionalEventData: { bytesTransferredIn: 0, bytesTransferredOut: 4_818_220 } }],
    [iamUser('alice'), 'HeadObject', 'acme-sales', '2024/q1/customers.parquet'],
    [role('data-platform-etl', 'glue-job-7781'), 'PutObject', 'acme-sales', 'warehouse/orders/year=2024/month=02/part-00000.snappy.parquet', { additionalEventData: { bytesTransferredIn: 11_880_455, bytesTransferredOut: 0 } }],
  ],
  [
    [role('AWSReservedSSO_DataAnalyst_0123456789abcdef', 'judy@acme.example'), 'ListObjects', 'acme-sales', undefined],
    [iamUser('mallory'), 'GetObject', 'acme-hr', 'payroll/2024-06.csv', { errorCode: 'AccessDenied', errorMessage: 'Access Denied' }],
    // The trail writing its own logs: not usage.
    [{ type: 'AWSService', invokedBy: 'cloudtrail.amazonaws.com' }, 'PutObject', 'acme-logs', 'cloudtrail/AWSLogs/111122223333/CloudTrail/eu-central-1/x.json.gz'],
  ],
  [
    [role('analytics-readonly', 'heidi@acme.example'), 'GetObject', 'acme-sales', 'reports/annual-2023.pdf'],
    [{ type: 'Root', accountId: account, arn: `arn:aws:iam::${account}:root`, principalId: account }, 'DeleteObject', 'acme-sales', 'uploads/mallory/leads.csv'],
  ],
];

function event(n: number, time: number, [who, eventName, bucket, key, extra]: Access): CloudTrailEvent {
  const bucketArn = `arn:aws:s3:::${bucket}`;
  return {
    eventID: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    eventTime: new Date(time).toISOString().replace(/\.\d+Z$/, 'Z'),
    eventSource: 's3.amazonaws.com',
    eventName,
    eventCategory: 'Data',
    managementEvent: false,
    awsRegion: bucket === 'acme-hr' ? 'us-east-1' : bucket === 'acme-logs' ? 'eu-west-1' : 'eu-central-1',
    userIdentity: who,
    resources: [...(key ? [{ type: 'AWS::S3::Object', ARN: `${bucketArn}/${key}` }] : []), { type: 'AWS::S3::Bucket', ARN: bucketArn, accountId: account }],
    ...extra,
  };
}

/** One gzip log file per hour for the last three hours, in the layout of sampleTrail, relative to `now`. */
export function sampleCloudTrailFiles(now: number): FakeObject[] {
  let n = 0;
  return accesses.map((batch, i) => {
    const written = new Date(Math.floor((now - (3 - i) * HOUR) / 60_000) * 60_000);
    const region = 'eu-central-1';
    const records = batch.map((access, j) => event(++n, written.getTime() - (j + 1) * 60_000, access));
    const body = gzipSync(JSON.stringify({ Records: records }));
    const key = `${sampleTrail.prefix}/AWSLogs/${account}/CloudTrail/${region}/${dayFolder(written)}${account}_CloudTrail_${region}_${fileTimestamp(written)}_demo${i}.json.gz`;
    return { key, size: body.length, lastModified: written, body };
  });
}
