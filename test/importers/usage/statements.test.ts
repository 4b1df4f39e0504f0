import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { FolderTrail } from '../../../src/importers/data-objects/folders.js';
import { cachedAttribution } from '../../../src/importers/usage/attribution.js';
import { GlueResolver, LISTED, placeKey, S3Resolver } from '../../../src/importers/usage/resolvers.js';
import { EventIdSet, hash53, idKey } from '../../../src/importers/usage/event-ids.js';
import { EventPermissions } from '../../../src/importers/usage/permissions.js';
import { gunzipChunkSize } from '../../../src/importers/usage/log-text.js';
import { eventTimeMs, parseS3Arn, toStatement, type StatementEnv } from '../../../src/importers/usage/statements.js';
import { loadS3Permissions, type S3PermissionCatalogue } from '../../../src/policy/s3-permissions.js';
import { ACCOUNT, iamUser, s3Event, TRAIL_BUCKET } from './scenario.js';

const T = Date.UTC(2026, 10, 30, 7, 0);
const regions = new Map([
  ['sales', 'eu-central-1'],
  ['hr', 'us-east-1'],
  [TRAIL_BUCKET, 'eu-west-1'],
]);
let catalogue: S3PermissionCatalogue;
beforeAll(async () => {
  catalogue = await loadS3Permissions();
});

function env(over: Partial<StatementEnv> = {}): StatementEnv {
  const ids = new EventIdSet();
  return {
    account: ACCOUNT,
    trailBucket: TRAIL_BUCKET,
    resolver: new S3Resolver(ACCOUNT, regions, { includeBuckets: [], excludeBuckets: [], emulateFolders: true, maxFolderDepth: 20 }),
    permissions: new EventPermissions(catalogue),
    attribute: cachedAttribution(ACCOUNT),
    firstSeen: (id) => ids.add(id),
    ...over,
  };
}

describe('an S3 data event as a usage statement', () => {
  it('GetObject by alice: the file, s3:GetObject (read), success, start time and bytes in + out', () => {
    const event = s3Event(iamUser('alice'), 'GetObject', 'sales', '2024/q1/orders.csv', T, { additionalEventData: { bytesTransferredIn: 0, bytesTransferredOut: 5120.0 } });
    expect(toStatement(event, env())).toEqual({
      externalId: event.eventID,
      accessedDataObjects: [{ dataObject: { fullName: `${ACCOUNT}:eu-central-1:sales/2024/q1/orders.csv`, type: 'file' }, permissions: ['s3:GetObject'], globalPermission: 'read' }],
      user: 'alice',
      success: true,
      startTime: T,
      bytes: 5120,
    });
  });

  it('a failed PutObject is not a success and carries the error; HeadObject counts as s3:GetObject', () => {
    const denied = toStatement(s3Event(iamUser('mallory'), 'PutObject', 'hr', 'payroll.csv', T, { errorCode: 'AccessDenied', errorMessage: 'Access Denied' }), env());
    expect(denied).toMatchObject({ success: false, status: 'AccessDenied: Access Denied', accessedDataObjects: [{ permissions: ['s3:PutObject'], globalPermission: 'write' }] });
    expect(toStatement(s3Event(iamUser('alice'), 'HeadObject', 'sales', 'a.csv', T), env())).toMatchObject({ accessedDataObjects: [{ permissions: ['s3:GetObject'], globalPermission: 'read' }] });
  });

  it('a bucket-level event (ListObjects) is usage of the bucket with s3:ListBucket', () => {
    expect(toStatement(s3Event(iamUser('alice'), 'ListObjects', 'sales', undefined, T), env())).toMatchObject({
      accessedDataObjects: [{ dataObject: { fullName: `${ACCOUNT}:eu-central-1:sales`, type: 'bucket' }, permissions: ['s3:ListBucket'], globalPermission: 'read' }],
    });
  });

  it('deeper than aws-s3-max-folder-depth: the folder at that depth, as the importer lists it', () => {
    const shallow = env({ resolver: new S3Resolver(ACCOUNT, regions, { includeBuckets: [], excludeBuckets: [], emulateFolders: true, maxFolderDepth: 2 }) });
    const at = (key: string) => (toStatement(s3Event(iamUser('a'), 'GetObject', 'sales', key, T), shallow) as { accessedDataObjects: { dataObject: unknown }[] }).accessedDataObjects[0]!.dataObject;
    expect(at('2024/q1/orders.csv')).toEqual({ fullName: `${ACCOUNT}:eu-central-1:sales/2024/q1`, type: 'folder' });
    expect(at('2024/orders.csv')).toEqual({ fullName: `${ACCOUNT}:eu-central-1:sales/2024/orders.csv`, type: 'file' });
    expect(at('top.csv')).toEqual({ fullName: `${ACCOUNT}:eu-central-1:sales/top.csv`, type: 'file' });
    const flat = env({ resolver: new S3Resolver(ACCOUNT, regions, { includeBuckets: [], excludeBuckets: [], emulateFolders: false, maxFolderDepth: 2 }) });
    expect(toStatement(s3Event(iamUser('a'), 'GetObject', 'sales', '2024/q1/orders.csv', T), flat)).toMatchObject({
      accessedDataObjects: [{ dataObject: { fullName: `${ACCOUNT}:eu-central-1:sales/2024/q1/orders.csv`, type: 'file' } }],
    });
  });

  it('Glue mode: the deepest Glue table, else a folder above a table, else the bucket of a table', () => {
    const glue = env({
      resolver: new GlueResolver(ACCOUNT, regions, [
        { bucket: 'sales', region: 'eu-central-1', path: 'warehouse/orders' },
        { bucket: 'sales', region: 'eu-central-1', path: 'warehouse/orders/archive' },
      ]),
    });
    const at = (key: string | undefined) => toStatement(s3Event(iamUser('a'), 'GetObject', 'sales', key, T), glue);
    const S = `${ACCOUNT}:eu-central-1:sales`;
    expect(at('warehouse/orders/year=2024/part-0.parquet')).toMatchObject({ accessedDataObjects: [{ dataObject: { fullName: `${S}/warehouse/orders`, type: 'glue-table' } }] });
    expect(at('warehouse/orders/archive/2019.parquet')).toMatchObject({ accessedDataObjects: [{ dataObject: { fullName: `${S}/warehouse/orders/archive`, type: 'glue-table' } }] });
    expect(at('warehouse/readme.txt')).toMatchObject({ accessedDataObjects: [{ dataObject: { fullName: `${S}/warehouse`, type: 'folder' } }] });
    expect(at('2024/q1/orders.csv')).toMatchObject({ accessedDataObjects: [{ dataObject: { fullName: S, type: 'bucket' } }] });
    expect(toStatement(s3Event(iamUser('a'), 'GetObject', 'hr', 'payroll.csv', T), glue)).toBe('no-data-object');
  });

  it('drops events on the trail bucket, of buckets left out or not in the account, management events and non-S3 events', () => {
    const filtered = env({ resolver: new S3Resolver(ACCOUNT, regions, { includeBuckets: [], excludeBuckets: ['hr'], emulateFolders: true, maxFolderDepth: 20 }) });
    expect(toStatement(s3Event({ type: 'AWSService', invokedBy: 'cloudtrail.amazonaws.com' }, 'PutObject', TRAIL_BUCKET, 'AWSLogs/x.json.gz', T), filtered)).toBe('trail-bucket');
    expect(toStatement(s3Event(iamUser('a'), 'GetObject', 'hr', 'payroll.csv', T), filtered)).toBe('no-data-object');
    expect(toStatement(s3Event(iamUser('a'), 'GetObject', 'not-ours', 'x', T), filtered)).toBe('no-data-object');
    const foreign = s3Event(iamUser('a'), 'GetObject', 'partner', 'x', T, { resources: [{ type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::partner/x', accountId: '999988887777' }] });
    expect(toStatement(foreign, filtered)).toBe('other-account');
    expect(toStatement(s3Event(iamUser('a'), 'PutBucketPolicy', 'sales', undefined, T, { eventCategory: 'Management' }), filtered)).toBe('not-s3-data');
    expect(toStatement({ ...s3Event(iamUser('a'), 'GetObject', 'sales', 'x', T), eventSource: 'dynamodb.amazonaws.com' }, filtered)).toBe('not-s3-data');
  });

  it('the same eventID twice in a run makes one statement', () => {
    const shared = env();
    const event = s3Event(iamUser('alice'), 'GetObject', 'sales', 'a.csv', T);
    expect(toStatement(event, shared)).toMatchObject({ externalId: event.eventID });
    expect(toStatement({ ...event }, shared)).toBe('duplicate');
  });

  it('unknown event names are counted and reported in one warning', () => {
    const shared = env();
    expect(toStatement(s3Event(iamUser('a'), 'FrobnicateObject', 'sales', 'a', T), shared)).toBe('unknown-permission');
    expect(toStatement(s3Event(iamUser('a'), 'FrobnicateObject', 'sales', 'b', T), shared)).toBe('unknown-permission');
    expect(toStatement(s3Event(iamUser('a'), 'WhatIsThis', 'sales', 'c', T), shared)).toBe('unknown-permission');
    expect(shared.permissions.warning()).toBe(
      '3 S3 event(s) were not reported as usage because their event name is not a permission the metadata knows: FrobnicateObject (2), WhatIsThis (1)',
    );
    expect(env().permissions.warning()).toBeUndefined();
  });

  it('event ids are kept as 53-bit hashes: distinct ids stay distinct', () => {
    const ids = new EventIdSet();
    let fresh = 0;
    for (let i = 0; i < 100_000; i++) if (ids.add(`0f6e${i.toString(16).padStart(4, '0')}-1c2d-4e5f-8a9b-${i.toString(16).padStart(12, '0')}`)) fresh++;
    expect(fresh).toBe(100_000);
    expect(ids.add('0f6e0000-1c2d-4e5f-8a9b-000000000000')).toBe(false);
    expect(Number.isSafeInteger(hash53('abc'))).toBe(true);
    expect(hash53('abc')).not.toBe(hash53('abd'));
  });

  it('UUID event ids are keyed by 53 of their bits without hashing; other ids are hashed', () => {
    expect(idKey('0000000a-1c2d-4e5f-8a9b-0000000000ff')).toBe(10 * 2 ** 32 + 255);
    expect(idKey('0000000a-1c2d-4e5f-8a9b-0000000000fg')).toBe(hash53('0000000a-1c2d-4e5f-8a9b-0000000000fg'));
    expect(idKey('evt-1')).toBe(hash53('evt-1'));
    // Upper-case digits are the same digits; the 21 low bits of the first group are kept.
    expect(idKey('FFFFFFFF-1C2D-4E5F-8A9B-0000FFFFFFFF')).toBe(0x1fffff * 2 ** 32 + 0xffffffff);
    expect(idKey('ffffffff-1c2d-4e5f-8a9b-0000ffffffff')).toBe(idKey('FFFFFFFF-1C2D-4E5F-8A9B-0000FFFFFFFF'));
    expect(idKey('0000000g-1c2d-4e5f-8a9b-0000000000ff')).toBe(hash53('0000000g-1c2d-4e5f-8a9b-0000000000ff'));
  });

  it('event times are read exactly as Date.parse reads them: CloudTrail form, fields out of range and other forms', () => {
    expect(eventTimeMs('2026-11-30T07:00:00Z')).toBe(T);
    // Date.parse rolls a day past the month's end over; hour 24 and years below 1000 are left to it.
    for (const odd of ['2026-02-31T00:00:00Z', '2026-01-01T24:00:00Z', '2026-13-01T00:00:00Z', '2026-01-01T23:60:00Z', '0050-01-01T00:00:00Z', '2026-11-30T07:00:00.123Z', '2026-11-30', 'x026-11-30T07:00:00Z', '']) {
      expect(eventTimeMs(odd)).toBe(Date.parse(odd));
    }
    const digit = fc.integer({ min: 0, max: 9 }).map(String);
    const twoDigits = fc.tuple(digit, digit).map(([a, b]) => a + b);
    fc.assert(
      fc.property(fc.tuple(digit, digit, digit, digit).map((d) => d.join('')), twoDigits, twoDigits, twoDigits, twoDigits, twoDigits, (y, mo, d, h, mi, s) => {
        const text = `${y}-${mo}-${d}T${h}:${mi}:${s}Z`;
        expect(eventTimeMs(text)).toBe(Date.parse(text));
      }),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }), (date) => {
        const text = date.toISOString().replace(/\.\d{3}Z$/, 'Z');
        expect(eventTimeMs(text)).toBe(Math.floor(date.getTime() / 1000) * 1000);
      }),
    );
  });

  it('an object key is placed where the importer places it: a file within the max depth, else its folder at that depth', () => {
    expect(placeKey('2024/q1/orders.csv', 20)).toBe(LISTED);
    expect(placeKey('2024/q1/orders.csv', 2)).toBe('2024/q1'.length);
    expect(placeKey('2024/q1/orders.csv', 1)).toBe('2024'.length);
    expect(placeKey('2024/q1/', 20)).toBe('2024/q1'.length);
    expect(placeKey('a//b/c.csv', 2)).toBe('a//b'.length);
    // Against the importer's own folder trail, one fresh trail per key (events come in any order).
    const key = fc.array(fc.constantFrom('a', 'b', 'x.csv', '/', '//'), { maxLength: 8 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(key, fc.integer({ min: 1, max: 5 }), (k, depth) => {
        const placed = new FolderTrail(depth).enter(k);
        const expected = placed.listed ? LISTED : (placed.parent ?? '').length;
        expect(placeKey(k, depth)).toBe(expected);
      }),
      { numRuns: 5000 },
    );
  });

  it('a log file is unzipped into one buffer of the size its gzip trailer gives, within bounds', () => {
    const text = 'x'.repeat(300_000);
    expect(gunzipChunkSize(gzipSync(text))).toBe(300_001);
    expect(gunzipChunkSize(gzipSync('{}'))).toBe(16 * 1024);
    // A trailer that claims more than deflate can expand this file to is capped by the file's size.
    const lying = Buffer.from(gzipSync(text));
    lying.writeUInt32LE(0xffffffff, lying.length - 4);
    expect(gunzipChunkSize(lying)).toBe(lying.length * 1032 + 1);
    const big = Buffer.alloc(100_000);
    big.writeUInt32LE(0xffffffff, big.length - 4);
    expect(gunzipChunkSize(big)).toBe(64 * 1024 * 1024);
    expect(gunzipChunkSize(new Uint8Array(10))).toBe(16 * 1024);
  });

  it('reads bucket and key from S3 ARNs of every partition, keys with slashes included', () => {
    expect(parseS3Arn('arn:aws:s3:::sales/2024/q1/orders.csv')).toEqual({ bucket: 'sales', key: '2024/q1/orders.csv' });
    expect(parseS3Arn('arn:aws-cn:s3:::sales')).toEqual({ bucket: 'sales' });
    expect(parseS3Arn('arn:aws:s3:::sales/')).toEqual({ bucket: 'sales', key: '' });
    expect(parseS3Arn('arn:aws:dynamodb:eu-west-1:1:table/x')).toBeUndefined();
    expect(parseS3Arn('arn:aws:s3:::')).toBeUndefined();
  });
});
