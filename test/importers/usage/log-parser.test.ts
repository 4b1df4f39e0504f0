import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cachedAttribution } from '../../../src/importers/usage/attribution.js';
import type { CloudTrailEvent } from '../../../src/importers/usage/cloudtrail-event.js';
import { S3Resolver } from '../../../src/importers/usage/data-objects.js';
import { EventIdSet } from '../../../src/importers/usage/event-ids.js';
import { openLogParser, workerCount, type LogParser } from '../../../src/importers/usage/log-parser.js';
import { answer, projectedEvents, projectEvent, reviveError, type ParseFailure } from '../../../src/importers/usage/log-projection.js';
import { unreadableReason } from '../../../src/importers/usage/log-text.js';
import { EventPermissions } from '../../../src/importers/usage/permissions.js';
import { toStatement, type StatementEnv } from '../../../src/importers/usage/statements.js';
import { loadS3Permissions, type S3PermissionCatalogue } from '../../../src/policy/s3-permissions.js';
import { ACCOUNT, assumedRole, iamUser, s3Event, TRAIL_BUCKET } from './scenario.js';

const T = Date.UTC(2026, 10, 30, 7, 0);
/** The worker as the built CLI runs it: vitest's global setup has compiled src/ into dist/. */
const BUILT_WORKER = new URL('../../../dist/importers/usage/parse-worker.js', import.meta.url);

let catalogue: S3PermissionCatalogue;
beforeAll(async () => {
  catalogue = await loadS3Permissions();
});

function env(): StatementEnv {
  const ids = new EventIdSet();
  return {
    account: ACCOUNT,
    trailBucket: TRAIL_BUCKET,
    resolver: new S3Resolver(ACCOUNT, new Map([['sales', 'eu-central-1']]), { includeBuckets: [], excludeBuckets: [], emulateFolders: true, maxFolderDepth: 20 }),
    permissions: new EventPermissions(catalogue),
    attribute: cachedAttribution(ACCOUNT),
    firstSeen: (id) => ids.add(id),
  };
}

/** Events of every kind the mapping tells apart, with the fields CloudTrail writes beside those usage reads. */
function accountDay(): CloudTrailEvent[] {
  const noise = { requestParameters: { bucketName: 'sales', Host: 'sales.s3.eu-central-1.amazonaws.com' }, tlsDetails: { tlsVersion: 'TLSv1.3' }, userAgent: 'aws-cli/2' } as Partial<CloudTrailEvent>;
  const sso = assumedRole('AWSReservedSSO_Analyst_0123456789abcdef', 'judy@example.com');
  return [
    s3Event(iamUser('alice'), 'GetObject', 'sales', '2024/q1/orders.csv', T, { ...noise, additionalEventData: { bytesTransferredIn: 0, bytesTransferredOut: 5120, SignatureVersion: 'SigV4' } as CloudTrailEvent['additionalEventData'] }),
    s3Event({ ...sso, sessionContext: { ...sso.sessionContext, attributes: { mfaAuthenticated: 'false' } } as CloudTrailEvent['userIdentity'] as never }, 'PutObject', 'sales', 'x.csv', T + 1000, noise),
    s3Event(assumedRole('etl', 'botocore-session-1', '999988887777'), 'GetObject', 'sales', 'y.csv', T + 2000, { errorCode: 'AccessDenied', errorMessage: 'Access Denied' }),
    s3Event({ type: 'Root', accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, principalId: ACCOUNT }, 'DeleteObject', 'sales', 'z.csv', T + 3000),
    s3Event({ type: 'AWSService', invokedBy: 'athena.amazonaws.com' }, 'ListObjects', 'sales', undefined, T + 4000),
    s3Event(iamUser('bob'), 'GetObject', 'sales', 'a.csv', T + 5000, { resources: [{ type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::theirs/a.csv', accountId: '999988887777' }] }),
    s3Event(iamUser('carol'), 'GetObject', TRAIL_BUCKET, 'AWSLogs/x.json.gz', T + 6000),
    // Not S3 data events: the worker leaves them out.
    { eventID: 'mgmt-1', eventTime: new Date(T).toISOString(), eventSource: 's3.amazonaws.com', eventName: 'PutBucketPolicy', eventCategory: 'Management', managementEvent: true, resources: [{ type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::sales' }] },
    { eventID: 'iam-1', eventTime: new Date(T).toISOString(), eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', userIdentity: iamUser('alice') },
  ];
}

const gz = (events: CloudTrailEvent[]) => gzipSync(JSON.stringify({ Records: events }));

describe('the log parsing worker logic (run in this process)', () => {
  it('a log file becomes its record count and the S3 data events with only the fields usage reads', () => {
    const events = accountDay();
    const done = answer({ id: 7, gz: gz(events) });
    expect(done).toMatchObject({ id: 7, ok: true, records: 9 });
    const projected = projectedEvents((done as { events: string }).events);
    expect(projected.map((e) => e.eventID)).toEqual(events.slice(0, 7).map((e) => e.eventID));
    // Each identity is sent once per file: the events of one identity share it.
    expect(projected[0]).toEqual({
      identity: 0,
      eventID: events[0]!.eventID,
      eventTime: events[0]!.eventTime,
      eventSource: 's3.amazonaws.com',
      eventName: 'GetObject',
      eventCategory: 'Data',
      awsRegion: 'eu-central-1',
      userIdentity: { type: 'IAMUser', accountId: ACCOUNT, userName: 'alice', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, principalId: 'AIDAalice' },
      resources: [
        { type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::sales/2024/q1/orders.csv' },
        { type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::sales' },
      ],
      additionalEventData: { bytesTransferredIn: 0, bytesTransferredOut: 5120 },
    });
    // Seven events of seven identities; a second event of alice's adds no identity.
    const twice = answer({ id: 8, gz: gz([...events, s3Event(iamUser('alice'), 'GetObject', 'sales', 'again.csv', T)]) }) as { events: string };
    expect((JSON.parse((done as { events: string }).events) as { identities: unknown[] }).identities).toHaveLength(7);
    expect((JSON.parse(twice.events) as { identities: unknown[] }).identities).toHaveLength(7);
    const both = projectedEvents(twice.events);
    expect(both[7]!.userIdentity).toBe(both[0]!.userIdentity);
    expect((done as { events: string }).events.length).toBeLessThan(JSON.stringify(events.slice(0, 7)).length);
  });

  it('the statements made of the projected events are those made of the whole events', () => {
    const events = accountDay();
    const whole = events.map((e) => toStatement(e, env()));
    const fromProjection = projectedEvents((answer({ id: 1, gz: gz(events) }) as { events: string }).events).map((e) => toStatement(e, env()));
    expect(events.map(projectEvent).map((e) => toStatement(e, env()))).toEqual(whole);
    // The worker leaves out the two events that are not S3 data events.
    expect(fromProjection).toEqual(whole.slice(0, 7));
    // The scenario covers statements and every drop reason on the way.
    expect(whole.map((s) => (typeof s === 'string' ? s : `${s.user ?? ''}|${s.role ?? ''}|${s.success}`))).toEqual([
      'alice||true',
      'judy@example.com|Analyst|true',
      `|arn:aws:iam::999988887777:role/etl|false`,
      `arn:aws:iam::${ACCOUNT}:root||true`,
      'athena.amazonaws.com||true',
      'other-account',
      'trail-bucket',
      'not-s3-data',
      'not-s3-data',
    ]);
  });

  it('a corrupt gzip and bad JSON come back as failures that are worded as in this thread', () => {
    const corrupt = answer({ id: 1, gz: Buffer.from('this is not gzip') });
    expect(corrupt).toEqual({ id: 1, ok: false, failure: { name: 'Error', message: 'incorrect header check', code: 'Z_DATA_ERROR' } });
    expect(unreadableReason(reviveError((corrupt as { failure: ParseFailure }).failure))).toBe('it is not a valid gzip file (incorrect header check)');
    const badJson = answer({ id: 2, gz: gzipSync('{"Records": [') });
    expect(badJson).toMatchObject({ id: 2, ok: false, failure: { name: 'SyntaxError' } });
    expect(unreadableReason(reviveError((badJson as { failure: ParseFailure }).failure))).toMatch(/^it is not valid JSON \(/);
    const noRecords = answer({ id: 3, gz: gzipSync('{"records": []}') });
    expect(unreadableReason(reviveError((noRecords as { failure: ParseFailure }).failure))).toBe('it is not valid JSON (no Records array)');
  });

  it('one core stays with the main thread, at most two workers', () => {
    expect([1, 2, 3, 4, 16].map((cores) => workerCount(cores))).toEqual([1, 1, 2, 2, 2]);
  });
});

describe('the log parser of a sync', () => {
  let parser: LogParser | undefined;
  afterEach(async () => {
    await parser?.close();
    parser = undefined;
  });

  it('parses in this thread, and says why, when the worker file does not exist (vitest runs the TypeScript sources)', async () => {
    const missing = new URL('./no-such-worker.js', import.meta.url);
    parser = openLogParser(missing);
    expect(parser.mode).toBe('in-thread');
    expect(parser.why).toMatch(/^the worker file .*no-such-worker\.js does not exist/);
    const events = accountDay();
    const content = (await parser.parse(gz(events)))();
    expect(content).toEqual({ records: 9, events });
    await expect(parser.parse(Buffer.from('this is not gzip'))).rejects.toMatchObject({ code: 'Z_DATA_ERROR' });
  });

  it('the built worker thread hands back the S3 data events of each file; a corrupt file is rejected with its reason, the others go on', async () => {
    parser = openLogParser(BUILT_WORKER, 2);
    expect(parser.mode).toBe('worker');
    const events = accountDay();
    const [good, corrupt, badJson, again] = await Promise.allSettled([parser.parse(gz(events)), parser.parse(Buffer.from('this is not gzip')), parser.parse(gzipSync('{"Records": [')), parser.parse(gz(events.slice(0, 2)))]);
    const content = (good as PromiseFulfilledResult<() => { records: number; events: CloudTrailEvent[] }>).value();
    expect(content.records).toBe(9);
    expect(content.events.map((e) => toStatement(e, env()))).toEqual(events.slice(0, 7).map((e) => toStatement(e, env())));
    expect(unreadableReason((corrupt as PromiseRejectedResult).reason)).toBe('it is not a valid gzip file (incorrect header check)');
    expect(unreadableReason((badJson as PromiseRejectedResult).reason)).toMatch(/^it is not valid JSON \(/);
    expect((again as PromiseFulfilledResult<() => { records: number }>).value().records).toBe(2);
  });

  it('a file still in a worker when the sync stops is rejected, and a closed parser takes no more files', async () => {
    parser = openLogParser(BUILT_WORKER, 1);
    const inFlight = parser.parse(gz(accountDay()));
    await parser.close();
    await expect(inFlight).rejects.toThrow('the usage sync stopped before the file was parsed');
    await expect(parser.parse(gz(accountDay()))).rejects.toThrow('the usage sync stopped before the file was parsed');
  });

  it('a worker that fails makes its files unreadable with the reason, not a hung sync', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parse-worker-'));
    const broken = join(dir, 'broken-worker.js');
    writeFileSync(broken, "throw new Error('out of memory in the worker');\n");
    parser = openLogParser(pathToFileURL(broken), 1);
    expect(parser.mode).toBe('worker');
    await expect(parser.parse(gz(accountDay()))).rejects.toThrow('the log parsing worker failed: out of memory in the worker');
    await expect(parser.parse(gz(accountDay()))).rejects.toThrow('the log parsing worker failed: out of memory in the worker');
  });
});
