import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CloudTrailEvent } from '../../../src/importers/usage/cloudtrail-event.js';
import { EventIdSet } from '../../../src/importers/usage/event-ids.js';
import { batchOf, NO_DATA_OBJECT, statementAt, STATEMENT, UNKNOWN_PERMISSION, type FileBatch } from '../../../src/importers/usage/file-batch.js';
import { cgroupCpuQuota, usableCpus } from '../../../src/host/cpus.js';
import { InThreadParser, mappingEnv, openLogParser, workerCount, type LogParser, type MappingSetup } from '../../../src/importers/usage/log-parser.js';
import { unreadableReason } from '../../../src/importers/usage/log-text.js';
import { toStatement, type StatementEnv } from '../../../src/importers/usage/statements.js';
import type { UsageStatement } from '../../../src/model/index.js';
import { loadS3Permissions, type S3PermissionCatalogue } from '../../../src/policy/s3-permissions.js';
import { ACCOUNT, assumedRole, iamUser, s3Event, TRAIL_BUCKET } from './scenario.js';

const T = Date.UTC(2026, 10, 30, 7, 0);
/** The worker as the built CLI runs it: vitest's global setup has compiled src/ into dist/. */
const BUILT_WORKER = new URL('../../../dist/importers/usage/parse-worker.js', import.meta.url);

let catalogue: S3PermissionCatalogue;
beforeAll(async () => {
  catalogue = await loadS3Permissions();
});

function setup(): MappingSetup {
  return {
    account: ACCOUNT,
    trailBucket: TRAIL_BUCKET,
    resolver: { mode: 's3', account: ACCOUNT, regions: [['sales', 'eu-central-1']], options: { includeBuckets: [], excludeBuckets: [], emulateFolders: true, maxFolderDepth: 2 } },
    permissions: catalogue.all,
  };
}

/** The mapping as it was before batches: toStatement with a duplicate check over the whole run. */
function statementEnv(): StatementEnv {
  const ids = new EventIdSet();
  return { ...mappingEnv(setup()), firstSeen: (id) => ids.add(id) };
}

/** An account's hour: every kind of outcome the mapping tells apart, with the fields CloudTrail writes beside those usage reads. */
function accountHour(): CloudTrailEvent[] {
  const noise = { requestParameters: { bucketName: 'sales' }, tlsDetails: { tlsVersion: 'TLSv1.3' }, userAgent: 'aws-cli/2' } as Partial<CloudTrailEvent>;
  const alice = s3Event(iamUser('alice'), 'GetObject', 'sales', '2024/q1/orders.csv', T, { ...noise, additionalEventData: { bytesTransferredIn: 0, bytesTransferredOut: 5120 } });
  return [
    alice,
    s3Event(assumedRole('AWSReservedSSO_Analyst_0123456789abcdef', 'judy@example.com'), 'PutObject', 'sales', 'x.csv', T + 1000, noise),
    s3Event(assumedRole('etl', 'botocore-session-1', '999988887777'), 'GetObject', 'sales', 'deep/er/than/two.csv', T + 2000, { errorCode: 'AccessDenied', errorMessage: 'Access Denied' }),
    s3Event({ type: 'Root', accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root` }, 'DeleteObject', 'sales', 'z.csv', T + 3000),
    s3Event({ type: 'AWSService', invokedBy: 'athena.amazonaws.com' }, 'ListObjects', 'sales', undefined, T + 4000),
    // A copy names two objects: both are in its statement (the batch carries it whole, not as columns).
    s3Event(iamUser('bob'), 'CopyObject', 'sales', 'copy/a.csv', T + 5000, {
      resources: [
        { type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::sales/copy/a.csv' },
        { type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::sales/b.csv' },
      ],
    }),
    s3Event(iamUser('carol'), 'FutureThing', 'sales', 'a.csv', T + 6000),
    s3Event(iamUser('carol'), 'GetObject', 'not-in-the-account', 'a.csv', T + 7000),
    s3Event(iamUser('carol'), 'GetObject', TRAIL_BUCKET, 'AWSLogs/x.json.gz', T + 8000),
    s3Event(iamUser('dave'), 'GetObject', 'sales', 'theirs.csv', T + 9000, { resources: [{ type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::theirs/a.csv', accountId: '999988887777' }] }),
    { eventID: 'iam-1', eventTime: new Date(T).toISOString(), eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', userIdentity: iamUser('alice') },
    // The same event delivered twice in one file.
    alice,
  ];
}

const gz = (events: CloudTrailEvent[]) => gzipSync(JSON.stringify({ Records: events }));

/** What the main thread makes of a batch (as the usage sync does): statements, and the drops by reason. */
function take(batch: FileBatch, firstSeen: (id: string) => boolean): { statements: UsageStatement[]; dropped: Record<string, number>; unknown: string[] } {
  const statements: UsageStatement[] = [];
  const dropped: Record<string, number> = { ...batch.dropped };
  const unknown: string[] = [];
  const count = (reason: string) => (dropped[reason] = (dropped[reason] ?? 0) + 1);
  batch.ids.forEach((id, i) => {
    if (!firstSeen(id)) count('duplicate');
    else if (batch.kind[i] === UNKNOWN_PERMISSION) {
      count('unknown-permission');
      unknown.push(batch.strings[batch.eventName[i]!]!);
    } else if (batch.kind[i] === NO_DATA_OBJECT) count('no-data-object');
    else statements.push(statementAt(batch, i));
  });
  return { statements, dropped, unknown };
}

describe('a log file mapped into a batch (the work of a log parsing worker, run here)', () => {
  it('the statements rebuilt from the batch are, byte for byte, those toStatement makes of the whole events, and every drop is counted once', () => {
    const events = accountHour();
    const env = statementEnv();
    const direct = events.map((e) => toStatement(e, env));
    const ids = new EventIdSet();
    const taken = take(batchOf(events, mappingEnv(setup())), (id) => ids.add(id));

    expect(JSON.stringify(taken.statements)).toBe(JSON.stringify(direct.filter((s) => typeof s !== 'string')));
    expect(taken.statements.map((s) => [s.user, s.role, s.accessedDataObjects.map((a) => `${a.dataObject.type}:${a.dataObject.fullName.slice(ACCOUNT.length + 1)}`).join(' '), s.success, s.status, s.bytes])).toEqual([
      ['alice', undefined, 'folder:eu-central-1:sales/2024/q1', true, undefined, 5120],
      ['judy@example.com', 'Analyst', 'file:eu-central-1:sales/x.csv', true, undefined, undefined],
      [undefined, 'arn:aws:iam::999988887777:role/etl', 'folder:eu-central-1:sales/deep/er', false, 'AccessDenied: Access Denied', undefined],
      [`arn:aws:iam::${ACCOUNT}:root`, undefined, 'file:eu-central-1:sales/z.csv', true, undefined, undefined],
      ['athena.amazonaws.com', undefined, 'bucket:eu-central-1:sales', true, undefined, undefined],
      ['bob', undefined, 'file:eu-central-1:sales/copy/a.csv file:eu-central-1:sales/b.csv', true, undefined, undefined],
    ]);
    const reasons: Record<string, number> = {};
    for (const s of direct) if (typeof s === 'string') reasons[s] = (reasons[s] ?? 0) + 1;
    expect(taken.dropped).toEqual(reasons);
    expect(taken.dropped).toEqual({ 'unknown-permission': 1, 'no-data-object': 1, 'trail-bucket': 1, 'other-account': 1, 'not-s3-data': 1, duplicate: 1 });
    expect(taken.unknown).toEqual(['FutureThing']);
  });

  it('carries each string and permission once per file, and only the events that reached the duplicate check', () => {
    const events = Array.from({ length: 50 }, (_, i) => s3Event(iamUser('alice'), i % 2 ? 'GetObject' : 'HeadObject', 'sales', `2024/part-${i % 5}.csv`, T + i));
    const batch = batchOf([...events, { eventID: 'iam-1', eventSource: 'iam.amazonaws.com', eventName: 'CreateUser' }], mappingEnv(setup()));
    expect(batch.records).toBe(51);
    expect(batch.ids).toHaveLength(50);
    expect(batch.kind.length).toBe(50);
    expect([...batch.kind].every((k) => k === STATEMENT)).toBe(true);
    // alice, the type names and five objects; HeadObject and GetObject use the same permission.
    expect(batch.strings.filter((s) => s.startsWith(ACCOUNT))).toHaveLength(5);
    expect(batch.strings.filter((s) => s === 'alice')).toHaveLength(1);
    expect(batch.permissions).toEqual([{ permissions: ['s3:GetObject'], globalPermission: 'read' }]);
    expect(batch.accessed).toEqual([]);
    expect(batch.dropped).toEqual({ 'not-s3-data': 1 });
  });
});

describe('the log parser of a usage sync', () => {
  const parsers: LogParser[] = [];
  const open = (...args: Parameters<typeof openLogParser> extends [unknown, ...infer R] ? R : never) => {
    const parser = openLogParser(setup(), ...args);
    parsers.push(parser);
    return parser;
  };

  it('the built worker threads make the batches this thread makes; corrupt files are worded the same', async () => {
    const parser = open(BUILT_WORKER, 2);
    const here = new InThreadParser(setup(), 'test');
    expect(parser.mode).toBe('worker');
    expect(parser.why).toMatch(/^2 worker threads \(/);
    const files = [accountHour(), accountHour().slice(0, 3), []].map(gz);
    const fromWorkers = await Promise.all(files.map((f) => parser.read(Uint8Array.from(f))));
    const fromHere = await Promise.all(files.map((f) => here.read(f)));
    expect(fromWorkers).toEqual(fromHere);
    // Three events are dropped before the duplicate check (another service, the trail bucket, another account).
    expect(fromWorkers[0]!.ids).toHaveLength(9);

    const corrupt = await parser.read(Buffer.from('this is not gzip')).catch((err: unknown) => err);
    expect(unreadableReason(corrupt)).toBe('it is not a valid gzip file (incorrect header check)');
    const badJson = await parser.read(gzipSync('{"Records": [')).catch((err: unknown) => err);
    expect(unreadableReason(badJson)).toMatch(/^it is not valid JSON \(/);
    const noRecords = await parser.read(gzipSync('{"records": []}')).catch((err: unknown) => err);
    expect(unreadableReason(noRecords)).toBe('it is not valid JSON (no Records array)');
    // A view into a bigger buffer (Node's pool for small buffers) is copied, not moved: the pool stays whole and usable.
    const pooled = Buffer.from(files[1]!);
    expect(pooled.buffer.byteLength).toBeGreaterThan(pooled.length);
    await expect(parser.read(pooled)).resolves.toEqual(fromHere[1]);
    expect(pooled.equals(files[1]!)).toBe(true);
    expect(Buffer.from('after').toString()).toBe('after');
    await parser.close();
  });

  it('a file still in a worker when the sync stops is rejected, not left hanging', async () => {
    const parser = open(BUILT_WORKER, 1);
    const big = gz(Array.from({ length: 20_000 }, (_, i) => s3Event(iamUser('alice'), 'GetObject', 'sales', `k${i}`, T)));
    const reading = parser.read(big);
    await parser.close();
    await expect(reading).rejects.toThrow('the usage sync stopped before the file was parsed');
    await expect(parser.read(gz([]))).rejects.toThrow('the usage sync stopped before the file was parsed');
  });

  it('parses in this thread when there is no compiled worker (running from the sources), and says why', async () => {
    const parser = open(new URL('./no-such-worker.js', import.meta.url));
    expect(parser.mode).toBe('in-thread');
    expect(parser.why).toMatch(/no-such-worker\.js does not exist/);
    expect((await parser.read(gz(accountHour()))).ids).toHaveLength(9);
  });

  it('one worker per CPU, at most four, and none with one CPU (a Kubernetes CPU limit of 1 on a 16-core node included)', () => {
    expect([1, 1.5, 2, 3, 8].map((cpus) => workerCount(cpus))).toEqual([0, 0, 2, 3, 4]);
    const cgroup = (files: Record<string, string>) => (path: string) => files[path];
    // cgroup v2: "<quota> <period>", or "max" without a limit; v1: the quota (-1: none) and the period.
    expect(cgroupCpuQuota(cgroup({ '/sys/fs/cgroup/cpu.max': '100000 100000\n' }))).toBe(1);
    expect(cgroupCpuQuota(cgroup({ '/sys/fs/cgroup/cpu.max': '250000 100000' }))).toBe(2.5);
    expect(cgroupCpuQuota(cgroup({ '/sys/fs/cgroup/cpu.max': 'max 100000' }))).toBeUndefined();
    expect(cgroupCpuQuota(cgroup({ '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '50000\n', '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n' }))).toBe(0.5);
    expect(cgroupCpuQuota(cgroup({ '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '-1', '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000' }))).toBeUndefined();
    expect(cgroupCpuQuota(cgroup({}))).toBeUndefined();
    expect(usableCpus(16, 1)).toBe(1);
    expect(usableCpus(16, 0.5)).toBe(1);
    expect(usableCpus(2, 4)).toBe(2);
    expect(usableCpus(8, undefined)).toBe(8);
    expect(workerCount(usableCpus(16, 1))).toBe(0);
  });

  it('parses in this thread when there is one CPU to use, and says why', async () => {
    const parser = open(BUILT_WORKER, 0);
    expect(parser.mode).toBe('in-thread');
    expect(parser.why).toMatch(/^one CPU to use/);
    expect((await parser.read(gz(accountHour()))).ids).toHaveLength(9);
  });
});
