import { gzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { fakeAwsInterceptor } from '../../../src/demo/fake-aws/interceptor.js';
import { awsError } from '../../../src/demo/fake-aws/errors.js';
import { fakeServices } from '../../../src/demo/fake-aws/services.js';
import { syncDataObjects } from '../../../src/importers/data-objects/index.js';
import { testContext } from '../../helpers/context.js';
import { memoryOutputs } from '../../helpers/sinks.js';
import { ACCOUNT, addLogFiles, specs, assumedRole, bucket, HOUR, iamUser, listings, logFile, logKey, MINUTE, reads, runUsage, s3Event, TRAIL_BUCKET, trailAccount } from './scenario.js';

const now = () => Date.now();
const S = `${ACCOUNT}:eu-central-1:sales`;

describe('the usage sync over a trail bucket', () => {
  it('reads the files of the last days into statements, attributed, and reports the time it started as the cursor', async () => {
    const t1 = now() - 3 * HOUR;
    const t2 = now() - 2 * HOUR;
    const account = trailAccount({
      files: [
        logFile({ writtenAt: t1, events: [s3Event(iamUser('alice'), 'GetObject', 'sales', '2024/q1/orders.csv', t1 - MINUTE)] }),
        logFile({ writtenAt: t2, events: [s3Event(assumedRole('AWSReservedSSO_Analyst_0123456789abcdef', 'judy'), 'PutObject', 'sales', 'x.csv', t2 - MINUTE)] }),
      ],
    });
    const before = now();
    const run = await runUsage(account);
    const after = now();
    // Files are read concurrently: statements of different files come in any order.
    expect(run.sink.items.map((s) => [s.user, s.role, s.accessedDataObjects[0]!.dataObject.fullName, s.accessedDataObjects[0]!.permissions]).sort()).toEqual([
      ['alice', undefined, `${S}/2024/q1/orders.csv`, ['s3:GetObject']],
      ['judy', 'Analyst', `${S}/x.csv`, ['s3:PutObject']],
    ]);
    expect(run.sink.incomplete).toBe(false);
    expect(run.sink.warnings).toEqual([]);
    const cursor = Date.parse(run.result.lastUsed!);
    expect(cursor >= before && cursor <= after).toBe(true);
  });

  it('lists one Prefix per region and day from the cursor, starts after the cursor file, and reads only new files', async () => {
    const old = now() - 26 * HOUR;
    const fresh = now() - 10 * MINUTE;
    const account = trailAccount({
      files: [
        logFile({ writtenAt: old, events: [s3Event(iamUser('alice'), 'GetObject', 'sales', 'a.csv', old)] }),
        logFile({ writtenAt: fresh, events: [s3Event(iamUser('bob'), 'GetObject', 'sales', 'b.csv', fresh)] }),
        logFile({ writtenAt: fresh, region: 'us-east-1', events: [s3Event(iamUser('carol'), 'GetObject', 'sales', 'c.csv', fresh)] }),
      ],
    });
    const cursor = new Date(now() - 30 * MINUTE).toISOString();
    const run = await runUsage(account, { 'aws-regions': 'eu-central-1' }, cursor);
    expect(run.sink.items.map((s) => s.user)).toEqual(['bob']);
    const dayListings = listings(run).filter((l) => String(l.Prefix).includes('/CloudTrail/eu-central-1/'));
    const today = logKey({ writtenAt: now() }).replace(/[^/]+$/, '');
    expect(dayListings.map((l) => l.Prefix)).toContain(today);
    expect(dayListings.every((l) => l.Delimiter === undefined)).toBe(true);
    expect(dayListings[0]!.StartAfter).toMatch(new RegExp(`${ACCOUNT}_CloudTrail_eu-central-1_\\d{8}T\\d{4}Z$`));
    // us-east-1 is not in aws-regions: never listed.
    expect(listings(run).some((l) => String(l.Prefix).includes('us-east-1'))).toBe(false);
    expect(reads(run)).toHaveLength(1);
  });

  it('a second run from the first run cursor reads the new files and those delivered up to 15 minutes late, and nothing it read before', async () => {
    const t0 = now() - 5 * HOUR;
    const account = trailAccount({ files: [0, 1, 2].map((i) => logFile({ writtenAt: t0 + i * HOUR, events: [s3Event(iamUser(`u${i}`), 'GetObject', 'sales', `${i}.csv`, t0 + i * HOUR - MINUTE)] })) });
    const first = await runUsage(account);
    expect(first.sink.items.map((s) => s.user).sort()).toEqual(['u0', 'u1', 'u2']);
    const cursor = Date.parse(first.result.lastUsed!);
    addLogFiles(account, [
      // Written before the first run listed, delivered after it: within the overlap.
      logFile({ writtenAt: cursor - 10 * MINUTE, events: [s3Event(iamUser('late'), 'GetObject', 'sales', 'late.csv', cursor - 11 * MINUTE)] }),
      // Later than CloudTrail's delivery delay: the cursor has moved past it.
      logFile({ writtenAt: cursor - 40 * MINUTE, events: [s3Event(iamUser('too-late'), 'GetObject', 'sales', 'too-late.csv', cursor - 41 * MINUTE)] }),
      logFile({ writtenAt: cursor + MINUTE, events: [s3Event(iamUser('new'), 'GetObject', 'sales', 'new.csv', cursor)] }),
    ]);
    const second = await runUsage(account, {}, first.result.lastUsed);
    expect(second.sink.items.map((s) => s.user).sort()).toEqual(['late', 'new']);
    expect(reads(second)).toHaveLength(2);
    expect(Date.parse(second.result.lastUsed!)).toBeGreaterThan(cursor);
  });

  it('while the stream holds writes back (a slow spool), only two files at a time are parsed and written, whatever aws-concurrency is', async () => {
    const t = now() - HOUR;
    const account = trailAccount({ files: Array.from({ length: 12 }, (_, f) => logFile({ writtenAt: t + f * MINUTE, events: [s3Event(iamUser(`user${f}`), 'GetObject', 'sales', `f${f}.csv`, t)] })) });
    const out = memoryOutputs();
    const held: (() => void)[] = [];
    let most = 0;
    out['data-usage'].write = async function (record) {
      this.items.push(record);
      await new Promise<void>((resolve) => held.push(resolve));
    };
    const running = runUsage(account, { 'aws-concurrency': 8 }, undefined, { out });
    for (let waited = 0; out['data-usage'].items.length < 12 && waited < 2000; waited++) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      most = Math.max(most, held.length);
      // Lets one file finish once the others had time to pile up.
      if (waited % 20 === 19) held.shift()?.();
    }
    for (const release of held.splice(0)) release();
    const run = await running;
    // The parser of these tests runs in this thread: one file at a time, and the next one ready.
    expect(most).toBe(2);
    expect(run.sink.items.map((s) => s.user).sort()).toEqual(Array.from({ length: 12 }, (_, f) => `user${f}`).sort());
    expect(reads(run)).toHaveLength(12);
  });

  it('the same event in an account trail file and an organisation trail file makes one statement', async () => {
    const t = now() - HOUR;
    const event = s3Event(iamUser('alice'), 'GetObject', 'sales', 'a.csv', t);
    const account = trailAccount({
      files: [logFile({ writtenAt: t, events: [event] }), logFile({ writtenAt: t, orgId: 'o-abc123def4', events: [event, s3Event(iamUser('bob'), 'GetObject', 'sales', 'b.csv', t)] })],
    });
    const run = await runUsage(account);
    expect(run.sink.items.map((s) => s.user).sort()).toEqual(['alice', 'bob']);
    expect(reads(run)).toHaveLength(2);
  });

  it('finds the trail bucket and prefix with DescribeTrails when none is configured, skipping trails without S3 data events', async () => {
    const t = now() - HOUR;
    const account = trailAccount({
      files: [logFile({ prefix: 'audit', writtenAt: t, events: [s3Event(iamUser('alice'), 'GetObject', 'sales', 'a.csv', t)] })],
      trails: [
        { name: 'management-only', bucket: 'elsewhere', homeRegion: 'eu-central-1', s3DataEvents: false },
        { name: 'data-events', bucket: TRAIL_BUCKET, prefix: 'audit', homeRegion: 'eu-central-1', s3DataEvents: true },
      ],
    });
    const run = await runUsage(account, { 'aws-s3-cloudtrail-bucket': '' });
    expect(run.sink.items.map((s) => s.user)).toEqual(['alice']);
    expect(run.calls.filter((c) => c.call.startsWith('CloudTrail.')).map((c) => c.call)).toEqual(['CloudTrail.DescribeTrails', 'CloudTrail.GetEventSelectors', 'CloudTrail.GetEventSelectors']);
  });

  it('without a configured bucket and without a trail that logs S3 data events: one warning naming the parameter, and the stream is incomplete', async () => {
    const run = await runUsage(trailAccount({ trails: [{ name: 'mgmt', bucket: TRAIL_BUCKET, homeRegion: 'eu-central-1', s3DataEvents: false }] }), { 'aws-s3-cloudtrail-bucket': '' });
    expect(run.sink.incomplete).toBe(true);
    expect(run.sink.warnings[0]).toMatch(/Set aws-s3-cloudtrail-bucket \(and aws-s3-cloudtrail-prefix\) to the bucket of the trail/);
    expect(run.sink.warnings).toHaveLength(2);
    expect(run.result.lastUsed).toBeUndefined();
    expect(run.calls.some((c) => c.call === 'S3.ListObjectsV2')).toBe(false);
  });

  it('a corrupt gzip, bad JSON and a file gone since the listing are warnings naming the file; the others are read and the cursor stays before the oldest failure', async () => {
    const t = now() - 4 * HOUR;
    const good = logFile({ writtenAt: t + 3 * HOUR, events: [s3Event(iamUser('alice'), 'GetObject', 'sales', 'a.csv', t)] });
    const corrupt = logFile({ writtenAt: t, body: Buffer.from('this is not gzip') });
    const badJson = logFile({ writtenAt: t + HOUR, body: gzipSync('{"Records": [') });
    const gone = logFile({ writtenAt: t + 2 * HOUR, events: [] });
    // Listed but gone when read (a lifecycle rule deleted it): GetObject answers NoSuchKey.
    delete gone.body;
    const account = trailAccount({ files: [good, corrupt, badJson, gone] });
    const run = await runUsage(account);
    expect(run.sink.items.map((s) => s.user)).toEqual(['alice']);
    expect(run.sink.incomplete).toBe(true);
    const fileWarnings = run.sink.warnings.filter((w) => w.startsWith('usage: log file')).sort();
    expect(fileWarnings).toEqual([
      expect.stringMatching(new RegExp(`^usage: log file s3://${TRAIL_BUCKET}/${corrupt.key} could not be read: it is not a valid gzip file`)),
      expect.stringMatching(new RegExp(`^usage: log file s3://${TRAIL_BUCKET}/${badJson.key} could not be read: it is not valid JSON`)),
      expect.stringMatching(new RegExp(`^usage: log file s3://${TRAIL_BUCKET}/${gone.key} could not be read: AWS did not find`)),
    ]);
    expect(run.result.lastUsed).toBe(new Date(Math.floor(t / MINUTE) * MINUTE).toISOString());
  });

  it('a log file of two gzip members (its trailer gives the size of the last one only) and a truncated one: the first is read in full, the second is a warning', async () => {
    const t = now() - 2 * HOUR;
    const events = Array.from({ length: 200 }, (_, i) => s3Event(iamUser('alice'), 'GetObject', 'sales', `part-${i}.csv`, t - MINUTE));
    const text = JSON.stringify({ Records: events });
    const half = Math.floor(text.length / 2);
    const twoMembers = logFile({ writtenAt: t, body: Buffer.concat([gzipSync(text.slice(0, half)), gzipSync(text.slice(half))]) });
    const whole = gzipSync(JSON.stringify({ Records: [s3Event(iamUser('bob'), 'GetObject', 'sales', 'b.csv', t)] }));
    const truncated = logFile({ writtenAt: t + HOUR, body: whole.subarray(0, whole.length - 6) });
    const run = await runUsage(trailAccount({ files: [twoMembers, truncated] }));
    expect(run.sink.items.map((s) => s.accessedDataObjects[0]!.dataObject.fullName).sort()).toEqual(events.map((_, i) => `${S}/part-${i}.csv`).sort());
    expect(run.sink.warnings.filter((w) => w.startsWith('usage: log file'))).toEqual([expect.stringMatching(new RegExp(`^usage: log file s3://${TRAIL_BUCKET}/${truncated.key} could not be read: it is not a valid gzip file \\(unexpected end of file\\)$`))]);
    expect(run.sink.incomplete).toBe(true);
  });

  it('a file that S3 denies is a warning with the call and the permission to grant', async () => {
    const t = now() - HOUR;
    const account = trailAccount({ files: [logFile({ writtenAt: t, events: [] })], extra: { denied: [`S3.GetObject:${TRAIL_BUCKET}`] } });
    const run = await runUsage(account);
    expect(run.sink.incomplete).toBe(true);
    expect(run.sink.warnings[0]).toMatch(/could not be read: AWS denied S3\.GetObject on s3:\/\/trail-logs\/AWSLogs\/.* the credentials need s3:GetObject/);
    expect(run.result.lastUsed).toBe(new Date(Math.floor(t / MINUTE) * MINUTE).toISOString());
  });

  it('only the configured regions; every region folder that exists when aws-regions is not set', async () => {
    const t = now() - HOUR;
    const files = ['eu-central-1', 'us-east-1', 'ap-south-1'].map((region) => logFile({ region, writtenAt: t, events: [s3Event(iamUser(region), 'GetObject', 'sales', 'a', t)] }));
    const some = await runUsage(trailAccount({ files }), { 'aws-regions': 'eu-central-1,us-east-1' });
    expect(some.sink.items.map((s) => s.user).sort()).toEqual(['eu-central-1', 'us-east-1']);
    vi.stubEnv('AWS_REGION', 'eu-central-1');
    const all = await runUsage(trailAccount({ files }), { 'aws-regions': '' });
    vi.unstubAllEnvs();
    expect(all.sink.items.map((s) => s.user).sort()).toEqual(['ap-south-1', 'eu-central-1', 'us-east-1']);
  });

  it('unknown event names are counted in one warning, each event once (a copy in an organisation trail file is not counted again); the stream stays complete', async () => {
    const t = now() - HOUR;
    const future = s3Event(iamUser('a'), 'FutureThing', 'sales', 'b', t);
    const account = trailAccount({
      files: [
        logFile({ writtenAt: t, events: [s3Event(iamUser('a'), 'GetObject', 'sales', 'a', t), s3Event(iamUser('a'), 'FutureThing', 'sales', 'a', t), future] }),
        logFile({ writtenAt: t, orgId: 'o-abc123def4', events: [future] }),
      ],
    });
    const run = await runUsage(account);
    expect(run.sink.items).toHaveLength(1);
    expect(run.sink.warnings).toEqual(['usage: 2 S3 event(s) were not reported as usage because their event name is not a permission the metadata knows: FutureThing (2)']);
    expect(run.sink.incomplete).toBe(false);
  });

  it('in Glue mode without a data source sync in the run, one Glue listing maps objects to their table', async () => {
    const t = now() - HOUR;
    const account = trailAccount({
      files: [logFile({ writtenAt: t, events: [s3Event(iamUser('a'), 'GetObject', 'sales', 'warehouse/orders/p=1/x.parquet', t), s3Event(iamUser('b'), 'GetObject', 'sales', 'warehouse/orders/p=2/y.parquet', t)] })],
      buckets: [bucket('sales', 'eu-central-1', [])],
      extra: {
        glue: {
          'eu-central-1': {
            databases: [{ Name: 'db' }],
            tables: { db: [{ Name: 'orders', DatabaseName: 'db', StorageDescriptor: { Location: 's3://sales/warehouse/orders/' } }] },
          },
        },
      },
    });
    const run = await runUsage(account, { 'aws-s3-enabled': false, 'aws-glue-enabled': true });
    expect(run.sink.items.map((s) => s.accessedDataObjects[0]!.dataObject)).toEqual([
      { fullName: `${S}/warehouse/orders`, type: 'glue-table' },
      { fullName: `${S}/warehouse/orders`, type: 'glue-table' },
    ]);
    expect(run.calls.filter((c) => c.call.startsWith('Glue.')).map((c) => c.call)).toEqual(['Glue.GetDatabases', 'Glue.GetTables']);
  });

  it('after the data source sync of the same run, usage reuses what it read: no second ListBuckets, no Glue calls', async () => {
    const t = now() - HOUR;
    const account = trailAccount({
      files: [logFile({ writtenAt: t, events: [s3Event(iamUser('a'), 'GetObject', 'sales', 'warehouse/orders/p=1/x.parquet', t)] })],
      buckets: [bucket('sales', 'eu-central-1', [])],
      extra: {
        glue: { 'eu-central-1': { databases: [{ Name: 'db' }], tables: { db: [{ Name: 'orders', DatabaseName: 'db', StorageDescriptor: { Location: 's3://sales/warehouse/orders/' } }] } } },
      },
    });
    const calls: string[] = [];
    const answer = fakeAwsInterceptor(account, fakeServices);
    const ctx = testContext({
      specs,
      params: { 'aws-s3-cloudtrail-bucket': TRAIL_BUCKET, 'aws-s3-enabled': false, 'aws-glue-enabled': true },
      awsInterceptor: async (call) => {
        calls.push(`${call.service}.${call.operation}`);
        return answer(call);
      },
    });
    await syncDataObjects(ctx, memoryOutputs());
    const before = calls.length;
    const run = await runUsage(account, {}, undefined, { ctx });
    expect(run.sink.items.map((s) => s.accessedDataObjects[0]!.dataObject)).toEqual([{ fullName: `${S}/warehouse/orders`, type: 'glue-table' }]);
    const usageCalls = calls.slice(before);
    expect(usageCalls.filter((c) => c.startsWith('Glue.') || c === 'S3.ListBuckets')).toEqual([]);
  });
});

describe('the usage reads through the shared call layer (AwsReads): failures as in the other syncs', () => {
  const trails = [
    { name: 'first', bucket: 'other-logs', homeRegion: 'eu-central-1', s3DataEvents: true },
    { name: 'data-events', bucket: TRAIL_BUCKET, homeRegion: 'eu-central-1', s3DataEvents: true },
  ];

  it('DescribeTrails throttled in one region and denied in another, GetEventSelectors throttled for one trail: warnings naming the call; the next trail found is read and the stream stays complete', async () => {
    const t = now() - HOUR;
    const account = trailAccount({ files: [logFile({ writtenAt: t, events: [s3Event(iamUser('alice'), 'GetObject', 'sales', 'a.csv', t)] })], trails });
    const run = await runUsage(account, { 'aws-s3-cloudtrail-bucket': '', 'aws-regions': 'eu-central-1,us-east-1,eu-west-1' }, undefined, {
      fault: ({ operation, region, input }) => {
        if (operation === 'DescribeTrails' && region === 'eu-central-1') return awsError('ThrottlingException', 400, 'Rate exceeded');
        if (operation === 'DescribeTrails' && region === 'us-east-1') return awsError('AccessDeniedException', 400, 'not allowed');
        if (operation === 'GetEventSelectors' && String(input.TrailName).endsWith('/first')) return awsError('ThrottlingException', 400, 'Rate exceeded');
        return undefined;
      },
    });
    expect(run.sink.items.map((s) => s.user)).toEqual(['alice']);
    expect(run.sink.warnings).toEqual([
      'usage: the trails of region eu-central-1 could not be read: AWS kept throttling CloudTrail.DescribeTrails (ThrottlingException: Rate exceeded)',
      'usage: the trails of region us-east-1 could not be read: AWS denied CloudTrail.DescribeTrails: the credentials need cloudtrail:DescribeTrails (AccessDeniedException: not allowed)',
      `usage: the event selectors of trail arn:aws:cloudtrail:eu-central-1:${ACCOUNT}:trail/first could not be read: AWS kept throttling CloudTrail.GetEventSelectors on arn:aws:cloudtrail:eu-central-1:${ACCOUNT}:trail/first (ThrottlingException: Rate exceeded)`,
    ]);
    expect(run.sink.incomplete).toBe(false);
  });

  it('bad credentials while finding the trail fail the sync with the call named', async () => {
    const account = trailAccount({ trails });
    const run = runUsage(account, { 'aws-s3-cloudtrail-bucket': '' }, undefined, {
      fault: ({ operation }) => (operation === 'GetEventSelectors' ? awsError('ExpiredTokenException', 400, 'The security token included in the request is expired') : undefined),
    });
    await expect(run).rejects.toMatchObject({ code: 'aws', message: 'The AWS credentials have expired (CloudTrail.GetEventSelectors) (ExpiredTokenException: The security token included in the request is expired)' });
  });

  it('a revoked access key while reading log files fails the sync, as elsewhere, instead of a warning per file', async () => {
    const t = now() - 3 * HOUR;
    const files = [0, 1, 2, 3, 4].map((i) => logFile({ writtenAt: t + i * 10 * MINUTE, events: [s3Event(iamUser(`u${i}`), 'GetObject', 'sales', `${i}.csv`, t)] }));
    const revoked = files[0]!.key;
    let fetched = 0;
    // One file at a time: the files queued behind the failing one are cancelled, never fetched.
    const run = runUsage(trailAccount({ files }), { 'aws-concurrency': 1 }, undefined, {
      fault: ({ operation, input }) => {
        if (operation !== 'GetObject') return undefined;
        fetched++;
        return input.Key === revoked ? awsError('InvalidAccessKeyId', 403, 'The AWS Access Key Id you provided does not exist in our records.') : undefined;
      },
    });
    await expect(run).rejects.toMatchObject({
      code: 'aws',
      message: 'AWS did not accept the credentials for S3.GetObject (revoked, inactive or mistyped access key, or a wrong secret) (InvalidAccessKeyId: The AWS Access Key Id you provided does not exist in our records.)',
    });
    expect(fetched).toBe(1);
  });

  it('a day whose listing S3 keeps throttling is a warning naming the day; its files stay unread and the cursor stays at the start of that day', async () => {
    const yesterday = now() - 24 * HOUR;
    const today = now() - HOUR;
    const account = trailAccount({
      files: [
        logFile({ writtenAt: yesterday, events: [s3Event(iamUser('old'), 'GetObject', 'sales', 'old.csv', yesterday)] }),
        logFile({ writtenAt: today, events: [s3Event(iamUser('new'), 'GetObject', 'sales', 'new.csv', today)] }),
      ],
    });
    const dayPrefix = logKey({ writtenAt: yesterday }).replace(/[^/]+$/, '');
    const run = await runUsage(account, { 'aws-regions': 'eu-central-1' }, undefined, {
      fault: ({ operation, input }) => (operation === 'ListObjectsV2' && input.Prefix === dayPrefix ? awsError('SlowDown', 503, 'Please reduce your request rate.') : undefined),
    });
    const sameDay = logKey({ writtenAt: yesterday }) === logKey({ writtenAt: today });
    expect(sameDay).toBe(false);
    expect(run.sink.items.map((s) => s.user)).toEqual(['new']);
    expect(run.sink.warnings[0]).toBe(`usage: the log files of s3://${TRAIL_BUCKET}/${dayPrefix} could not be read: AWS kept throttling S3.ListObjectsV2 on s3://${TRAIL_BUCKET}/${dayPrefix} (SlowDown: Please reduce your request rate.)`);
    expect(run.sink.incomplete).toBe(true);
    const start = new Date(yesterday);
    expect(run.result.lastUsed).toBe(new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate())).toISOString());
  });

  it('the log folders of a bucket that cannot be listed, or a bucket without logs of the account: one warning, the stream is incomplete and the cursor does not move', async () => {
    const cursor = new Date(now() - 2 * HOUR).toISOString();
    const run = await runUsage(trailAccount({ files: [logFile({ writtenAt: now() - HOUR, events: [] })], extra: { denied: [`S3.ListObjectsV2:${TRAIL_BUCKET}`] } }), {}, cursor);
    expect(run.sink.warnings[0]).toMatch(new RegExp(`^usage: the CloudTrail logs in bucket ${TRAIL_BUCKET} could not be read: AWS denied S3\\.ListObjectsV2 on s3://${TRAIL_BUCKET}/: the credentials need s3:ListBucket`));
    expect(run.sink.incomplete).toBe(true);
    expect(run.result.lastUsed).toBeUndefined();
    const empty = await runUsage(trailAccount({ files: [] }), {}, cursor);
    expect(empty.sink.warnings[0]).toBe(`usage: bucket ${TRAIL_BUCKET} has no CloudTrail logs of account ${ACCOUNT} under AWSLogs/; check aws-s3-cloudtrail-bucket and aws-s3-cloudtrail-prefix`);
    expect(empty.sink.incomplete).toBe(true);
    expect(empty.result.lastUsed).toBeUndefined();
  });
});
