import { CloudTrailClient, CreateTrailCommand, PutEventSelectorsCommand } from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Manifest, UsageStatement } from '../../src/model/index.js';
import { cli, workdir } from '../cli/cli.js';
import { assumedRole, iamUser, logKey, s3Event } from '../importers/usage/scenario.js';
import { motoAccountId, motoCredentials, useMoto } from './moto.js';
import { records } from '../helpers/collect.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const moto = useMoto();

/** The run folders of the target, oldest first (run ids sort by time). */
async function runFolders(dir: string): Promise<string[]> {
  return (await readdir(join(dir, 'raito-sync', 'moto'))).filter((e) => e !== 'usage-cursor.json').sort();
}

/** `S3.GetObject   3` in the run summary. */
function callCount(stdout: string, call: string): number {
  const m = new RegExp(`${call.replace('.', '\\.')}\\s+(\\d+)`).exec(stdout);
  return m ? Number(m[1]) : 0;
}

describe('usage from CloudTrail log files in a moto bucket', () => {
  it('finds the trail with DescribeTrails, reads the log files, and a second run reads only the new file', async () => {
    const config = { endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
    const s3 = new S3Client({ ...config, forcePathStyle: true });
    const cloudTrail = new CloudTrailClient(config);
    await s3.send(new CreateBucketCommand({ Bucket: 'sales' }));
    await s3.send(new PutObjectCommand({ Bucket: 'sales', Key: '2026/orders.csv', Body: 'id\n1\n' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'trail-logs' }));
    await cloudTrail.send(new CreateTrailCommand({ Name: 'data-events', S3BucketName: 'trail-logs', S3KeyPrefix: 'audit', IsMultiRegionTrail: true }));
    await cloudTrail.send(
      new PutEventSelectorsCommand({ TrailName: 'data-events', EventSelectors: [{ ReadWriteType: 'All', DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }] }),
    );
    const put = async (writtenAt: number, events: ReturnType<typeof s3Event>[]) => {
      const key = logKey({ prefix: 'audit', account: motoAccountId, region: 'us-east-1', writtenAt });
      await s3.send(new PutObjectCommand({ Bucket: 'trail-logs', Key: key, Body: gzipSync(JSON.stringify({ Records: events })) }));
    };
    const t1 = Date.now() - 3 * HOUR;
    const t2 = Date.now() - 2 * HOUR;
    await put(t1, [s3Event(iamUser('alice', motoAccountId), 'GetObject', 'sales', '2026/orders.csv', t1 - MINUTE, { awsRegion: 'us-east-1' })]);
    await put(t2, [s3Event(assumedRole('AWSReservedSSO_Analyst_0123456789abcdef', 'judy', motoAccountId), 'HeadObject', 'sales', '2026/orders.csv', t2 - MINUTE, { awsRegion: 'us-east-1' })]);

    const dir = await workdir(
      ['targets:', '  - name: moto', '    connector-name: aws-account', `    aws-endpoint-url: ${moto.endpoint}`, '    aws-regions: us-east-1', '    skip-identity-store-sync: true', '    skip-data-access-sync: true'].join('\n'),
    );
    const first = await cli(['--log-file', 'first.log', 'run'], { cwd: dir, env: motoCredentials });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    // The built CLI parses the log files on worker threads (unit tests, on the sources, parse in this thread).
    const logged = (await readFile(join(dir, 'first.log'), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as { msg: string; parser?: string; files?: number });
    expect(logged.filter((l) => l.msg === 'CloudTrail logs read').map((l) => [l.parser, l.files])).toEqual([['worker', 2]]);
    expect(callCount(first.stdout, 'CloudTrail.DescribeTrails')).toBe(1);
    expect(callCount(first.stdout, 'S3.GetObject')).toBe(2);
    const [run1] = await runFolders(dir);
    const manifest = JSON.parse(await readFile(join(dir, 'raito-sync', 'moto', run1!, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.streams.find((s) => s.name === 'data-usage')).toMatchObject({ records: 2, complete: true, warnings: [] });
    const usage = await records<UsageStatement>(join(dir, 'raito-sync', 'moto', run1!, 'data-usage.jsonl.gz'));
    const file = { fullName: `${motoAccountId}:us-east-1:sales/2026/orders.csv`, type: 'file' };
    expect(usage.sort((a, b) => a.startTime - b.startTime).map(({ externalId: _id, ...rest }) => rest)).toEqual([
      { accessedDataObjects: [{ dataObject: file, permissions: ['s3:GetObject'], globalPermission: 'read' }], user: 'alice', success: true, startTime: t1 - MINUTE },
      { accessedDataObjects: [{ dataObject: file, permissions: ['s3:GetObject'], globalPermission: 'read' }], user: 'judy', role: 'Analyst', success: true, startTime: t2 - MINUTE },
    ]);
    const cursor = JSON.parse(await readFile(join(dir, 'raito-sync', 'moto', 'usage-cursor.json'), 'utf8')) as { lastUsed: string; runId: string };
    expect(cursor.runId).toBe(run1);

    const t3 = Date.now();
    await put(t3, [s3Event(iamUser('bob', motoAccountId), 'PutObject', 'sales', '2026/new.csv', t3, { awsRegion: 'us-east-1' })]);
    const second = await cli(['run'], { cwd: dir, env: motoCredentials });
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(callCount(second.stdout, 'S3.GetObject')).toBe(1);
    const run2 = (await runFolders(dir))[1]!;
    const usage2 = await records<UsageStatement>(join(dir, 'raito-sync', 'moto', run2, 'data-usage.jsonl.gz'));
    expect(usage2.map((u) => [u.user, u.accessedDataObjects[0]!.permissions[0], u.accessedDataObjects[0]!.dataObject.fullName])).toEqual([
      ['bob', 's3:PutObject', `${motoAccountId}:us-east-1:sales/2026/new.csv`],
    ]);
    const cursor2 = JSON.parse(await readFile(join(dir, 'raito-sync', 'moto', 'usage-cursor.json'), 'utf8')) as { lastUsed: string; runId: string };
    expect(cursor2.runId).toBe(run2);
    expect(Date.parse(cursor2.lastUsed)).toBeGreaterThan(Date.parse(cursor.lastUsed));
  }, 120_000);
});
