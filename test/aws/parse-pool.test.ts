import { GetAccountAuthorizationDetailsCommand, GetCredentialReportCommand, IAMClient } from '@aws-sdk/client-iam';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { prepareAuthorizationDetails } from '../../src/aws/iam-pages.js';
import { OFFLOADED_OPERATIONS } from '../../src/aws/parse-jobs.js';
import { BACKLOG_PER_WORKER, openParsePool, parseWorkerCount, SMALL_RESPONSE_BYTES, WORKER_DEPTH, type ParsePool } from '../../src/aws/parse-pool.js';
import { inMemoryEndpoint } from '../helpers/aws-endpoint.js';

/** The worker as the built CLI runs it: vitest's global setup has compiled src/ into dist/. */
const BUILT_WORKER = new URL('../../dist/aws/parse-worker.js', import.meta.url);
const SILENT_WORKER = new URL('../fixtures/parse-workers/silent.mjs', import.meta.url);
const CRASHING_WORKER = new URL('../fixtures/parse-workers/crashing.mjs', import.meta.url);

const doc = (statement: object) => encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [statement] }));

/** A page of GetAccountAuthorizationDetails as IAM sends it: URL-encoded documents, dates, a Marker for the next page. */
const gaadPage = `<GetAccountAuthorizationDetailsResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <GetAccountAuthorizationDetailsResult>
    <IsTruncated>true</IsTruncated>
    <Marker>page-2&amp;more</Marker>
    <UserDetailList>
      <member><UserName>alice</UserName><UserId>AIDAALICE</UserId><Arn>arn:aws:iam::111122223333:user/alice</Arn><Path>/</Path><CreateDate>2025-03-01T10:00:00Z</CreateDate>
        <GroupList><member>analysts</member></GroupList>
        <UserPolicyList><member><PolicyName>own</PolicyName><PolicyDocument>${doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::sales/alice/*' })}</PolicyDocument></member></UserPolicyList>
        <Tags><member><Key>Email</Key><Value>alice@example.com</Value></member></Tags>
      </member>
    </UserDetailList>
    <RoleDetailList>
      <member><RoleName>etl</RoleName><RoleId>AROAETL</RoleId><Arn>arn:aws:iam::111122223333:role/etl</Arn><Path>/</Path><CreateDate>2025-03-02T10:00:00Z</CreateDate>
        <AssumeRolePolicyDocument>${doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'glue.amazonaws.com' } })}</AssumeRolePolicyDocument>
        <RoleLastUsed><LastUsedDate>2026-11-29T08:30:00Z</LastUsedDate><Region>eu-central-1</Region></RoleLastUsed>
        <AttachedManagedPolicies><member><PolicyName>read-sales</PolicyName><PolicyArn>arn:aws:iam::111122223333:policy/read-sales</PolicyArn></member></AttachedManagedPolicies>
      </member>
    </RoleDetailList>
    <Policies>
      <member><PolicyName>read-sales</PolicyName><PolicyId>ANPAREAD</PolicyId><Arn>arn:aws:iam::111122223333:policy/read-sales</Arn><DefaultVersionId>v2</DefaultVersionId><AttachmentCount>1</AttachmentCount><IsAttachable>true</IsAttachable>
        <PolicyVersionList><member><VersionId>v2</VersionId><IsDefaultVersion>true</IsDefaultVersion><Document>${doc({ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::sales', 'arn:aws:s3:::sales/*'] })}</Document></member>
          <member><VersionId>v1</VersionId><IsDefaultVersion>false</IsDefaultVersion><Document>${doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::sales/*' })}</Document></member></PolicyVersionList>
      </member>
    </Policies>
    <GroupDetailList/>
  </GetAccountAuthorizationDetailsResult>
  <ResponseMetadata><RequestId>req-gaad-1</RequestId></ResponseMetadata>
</GetAccountAuthorizationDetailsResponse>`;

const report = 'user,arn,mfa_active\n<root_account>,arn:aws:iam::111122223333:root,true\nalice,arn:aws:iam::111122223333:user/alice,false\n';
const reportPage = `<GetCredentialReportResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <GetCredentialReportResult><Content>${Buffer.from(report).toString('base64')}</Content><ReportFormat>text/csv</ReportFormat><GeneratedTime>2026-11-30T06:00:00Z</GeneratedTime></GetCredentialReportResult>
  <ResponseMetadata><RequestId>req-report</RequestId></ResponseMetadata>
</GetCredentialReportResponse>`;

const listingPage = `<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>sales</Name><Prefix></Prefix><KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated><NextContinuationToken>token-2</NextContinuationToken>
  <Contents><Key>2024/q1/orders.csv</Key><LastModified>2026-01-05T12:00:00.000Z</LastModified><ETag>&quot;abc&quot;</ETag><Size>5120</Size><StorageClass>STANDARD</StorageClass></Contents>
  <Contents><Key>2024/q1/returns &amp; refunds.csv</Key><LastModified>2026-01-06T12:00:00.000Z</LastModified><ETag>&quot;def&quot;</ETag><Size>77</Size><StorageClass>STANDARD</StorageClass></Contents>
</ListBucketResult>`;

const accessDenied = `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::111122223333:user/connector is not authorized to perform: iam:GetAccountAuthorizationDetails</Message></Error><RequestId>req-denied</RequestId></ErrorResponse>`;

const credentials = { accessKeyId: 'AKIATEST', secretAccessKey: 'secret' };
const iamClient = (answers: { status: number; body: string }[]) => new IAMClient({ region: 'us-east-1', credentials, maxAttempts: 1, requestHandler: inMemoryEndpoint(answers) });
const s3Client = (answers: { status: number; body: string }[]) => new S3Client({ region: 'eu-central-1', credentials, maxAttempts: 1, requestHandler: inMemoryEndpoint(answers) });

/** What the SDK gives without a pool, and what it gives with one, for the same bytes. */
async function bothWays<C extends { config: unknown }, T>(make: () => C, send: (client: C) => Promise<T>, pool: ParsePool, service: string) {
  const plain = await send(make());
  const pooled = make();
  pool.attach(pooled, service);
  return { plain, pooled: await send(pooled) };
}

const pools: ParsePool[] = [];
/** A pool that hands over answers of any size (the pages here are a few KB; real ones are hundreds). */
function pool(file: URL, workers = 1, smallBytes = 0): ParsePool {
  const made = openParsePool(file, workers, smallBytes);
  pools.push(made);
  return made;
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

describe('large AWS responses parsed on a worker thread', () => {
  it('gives the output of the SDK for a page of authorization details as the snapshot keeps it (default policy versions, documents decoded on the worker): dates, the Marker of the next page', async () => {
    const parsers = pool(BUILT_WORKER);
    const { plain, pooled } = await bothWays(() => iamClient([{ status: 200, body: gaadPage }]), (c) => c.send(new GetAccountAuthorizationDetailsCommand({ MaxItems: 1000 })), parsers, 'IAM');
    expect(parsers.parsed).toEqual({ onWorkers: 1, here: 0 });
    const decoded = structuredClone(plain);
    prepareAuthorizationDetails(decoded);
    expect(pooled).toEqual(decoded);
    expect(pooled.Marker).toBe('page-2&more');
    expect(pooled.RoleDetailList?.[0]?.RoleLastUsed?.LastUsedDate).toEqual(new Date('2026-11-29T08:30:00Z'));
    expect([plain, pooled].map((page) => page.Policies?.[0]?.PolicyVersionList?.map((v) => v.VersionId))).toEqual([['v2', 'v1'], ['v2']]);
    // The SDK gives IAM's URL-encoded text; the worker hands back the four kinds of documents as plain JSON.
    expect(plain.Policies?.[0]?.PolicyVersionList?.[0]?.Document).toMatch(/^%7B/);
    expect(JSON.parse(pooled.Policies?.[0]?.PolicyVersionList?.[0]?.Document ?? '')).toMatchObject({ Statement: [{ Resource: ['arn:aws:s3:::sales', 'arn:aws:s3:::sales/*'] }] });
    expect(JSON.parse(pooled.RoleDetailList?.[0]?.AssumeRolePolicyDocument ?? '')).toMatchObject({ Statement: [{ Principal: { Service: 'glue.amazonaws.com' } }] });
    expect(JSON.parse(pooled.UserDetailList?.[0]?.UserPolicyList?.[0]?.PolicyDocument ?? '')).toMatchObject({ Statement: [{ Resource: 'arn:aws:s3:::sales/alice/*' }] });
  });

  it('gives the credential report as the same bytes and an S3 listing with the same keys and dates', async () => {
    const parsers = pool(BUILT_WORKER);
    const reports = await bothWays(() => iamClient([{ status: 200, body: reportPage }]), (c) => c.send(new GetCredentialReportCommand({})), parsers, 'IAM');
    expect(reports.pooled).toEqual(reports.plain);
    expect(Buffer.from(reports.pooled.Content!).toString()).toBe(report);
    const listings = await bothWays(() => s3Client([{ status: 200, body: listingPage }]), (c) => c.send(new ListObjectsV2Command({ Bucket: 'sales' })), parsers, 'S3');
    expect(listings.pooled).toEqual(listings.plain);
    expect(listings.pooled.Contents?.map((c) => c.Key)).toEqual(['2024/q1/orders.csv', '2024/q1/returns & refunds.csv']);
    expect(listings.pooled.Contents?.[0]?.LastModified).toBeInstanceOf(Date);
    expect(parsers.parsed).toEqual({ onWorkers: 2, here: 0 });
  });

  it('leaves an error response to the SDK on this thread: AccessDenied names the call as before', async () => {
    const parsers = pool(BUILT_WORKER);
    const client = iamClient([{ status: 403, body: accessDenied }]);
    parsers.attach(client, 'IAM');
    await expect(client.send(new GetAccountAuthorizationDetailsCommand({}))).rejects.toMatchObject({ name: 'AccessDenied', message: expect.stringContaining('iam:GetAccountAuthorizationDetails') });
    expect(parsers.parsed).toEqual({ onWorkers: 0, here: 0 });
  });

  it('parses a body the worker could not read again here, so the error is the SDK own', async () => {
    const truncated = gaadPage.slice(0, 400);
    const plain = await iamClient([{ status: 200, body: truncated }])
      .send(new GetAccountAuthorizationDetailsCommand({}))
      .catch((e: Error) => e);
    const parsers = pool(BUILT_WORKER);
    const client = iamClient([{ status: 200, body: truncated }]);
    parsers.attach(client, 'IAM');
    const pooled = await client.send(new GetAccountAuthorizationDetailsCommand({})).catch((e: Error) => e);
    expect(plain).toBeInstanceOf(Error);
    expect((pooled as Error).message).toBe((plain as Error).message);
    expect(parsers.parsed).toEqual({ onWorkers: 0, here: 1 });
  });

  it('leaves waiting answers to a busy worker until more wait than it will soon take, then parses the oldest here; what a closed pool held is parsed here too', async () => {
    const parsers = pool(SILENT_WORKER);
    const send = () => {
      const client = iamClient([{ status: 200, body: gaadPage }]);
      parsers.attach(client, 'IAM');
      return client.send(new GetAccountAuthorizationDetailsCommand({}));
    };
    const settled = (p: Promise<unknown>) => Promise.race([p.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 100))]);
    // The worker never answers: it takes WORKER_DEPTH answers and holds them.
    const held = Array.from({ length: WORKER_DEPTH }, send);
    // A backlog the worker will take soon waits for it.
    const waiting = Array.from({ length: BACKLOG_PER_WORKER }, send);
    expect(await settled(waiting[0]!)).toBe(false);
    expect(parsers.parsed).toEqual({ onWorkers: 0, here: 0 });
    // One more, and this thread takes the oldest waiting one.
    const last = send();
    expect((await waiting[0]!).Marker).toBe('page-2&more');
    expect(parsers.parsed).toEqual({ onWorkers: 0, here: 1 });
    await parsers.close();
    expect((await Promise.all([...held, ...waiting, last])).map((p) => p.UserDetailList?.[0]?.UserName)).toEqual(Array(WORKER_DEPTH + BACKLOG_PER_WORKER + 1).fill('alice'));
    expect(parsers.parsed).toEqual({ onWorkers: 0, here: WORKER_DEPTH + BACKLOG_PER_WORKER + 1 });
  });

  it('parses a small answer here at once, even while the worker is busy: it does not wait behind the pages the worker holds', async () => {
    const parsers = pool(SILENT_WORKER, 1, SMALL_RESPONSE_BYTES);
    const big = gaadPage.replace('<GroupDetailList/>', `<GroupDetailList/><!-- ${'x'.repeat(SMALL_RESPONSE_BYTES)} -->`);
    const bigClient = iamClient([{ status: 200, body: big }]);
    parsers.attach(bigClient, 'IAM');
    const held = bigClient.send(new GetAccountAuthorizationDetailsCommand({}));
    const listing = s3Client([{ status: 200, body: listingPage }]);
    parsers.attach(listing, 'S3');
    expect((await listing.send(new ListObjectsV2Command({ Bucket: 'sales' }))).KeyCount).toBe(2);
    expect(parsers.parsed).toEqual({ onWorkers: 0, here: 1 });
    await parsers.close();
    expect((await held).Marker).toBe('page-2&more');
  });

  it('reads a credential report of several MB to the very bytes, on the worker and here', async () => {
    const rows = Array.from({ length: 60_000 }, (_, u) => `user-${u},arn:aws:iam::111122223333:user/user-${u},${u % 2 === 0}`).join('\n');
    const csv = `${report}${rows}\n`;
    const bigReport = reportPage.replace(Buffer.from(report).toString('base64'), Buffer.from(csv).toString('base64'));
    expect(bigReport.length).toBeGreaterThan(4 << 20);
    for (const file of [BUILT_WORKER, CRASHING_WORKER]) {
      const parsers = pool(file);
      const client = iamClient([{ status: 200, body: bigReport }]);
      parsers.attach(client, 'IAM');
      const read = await client.send(new GetCredentialReportCommand({}));
      expect(Buffer.from(read.Content!).toString()).toBe(csv);
      expect(read.Content).toBeInstanceOf(Uint8Array);
      expect([read.ReportFormat, read.GeneratedTime]).toEqual(['text/csv', new Date('2026-11-30T06:00:00Z')]);
      expect(parsers.parsed).toEqual(file === BUILT_WORKER ? { onWorkers: 1, here: 0 } : { onWorkers: 0, here: 1 });
    }
  });

  it('parses everything here once a worker died', async () => {
    const parsers = pool(CRASHING_WORKER);
    const client = iamClient([{ status: 200, body: gaadPage }]);
    parsers.attach(client, 'IAM');
    expect((await client.send(new GetAccountAuthorizationDetailsCommand({}))).UserDetailList?.[0]?.UserName).toBe('alice');
    expect((await client.send(new GetAccountAuthorizationDetailsCommand({}))).Marker).toBe('page-2&more');
    expect(parsers.parsed).toEqual({ onWorkers: 0, here: 2 });
  });

  it('starts no worker for a client whose operations are all small, nor when the worker file is missing', async () => {
    expect(Object.keys(OFFLOADED_OPERATIONS).sort()).toEqual(['IAM', 'S3']);
    expect(openParsePool(new URL('./no-such-worker.js', BUILT_WORKER), 1).workers).toBe(0);
    expect([1, 1.5, 2, 3, 8].map((cpus) => parseWorkerCount(cpus))).toEqual([0, 0, 1, 2, 3]);
  });
});
