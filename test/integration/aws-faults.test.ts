import { AddUserToGroupCommand, CreateGroupCommand, CreateRoleCommand, CreateUserCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutBucketPolicyCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateAccessPointCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/model/index.js';
import { readJsonlGz } from '../../src/streams/index.js';
import { cli, workdir } from '../cli/cli.js';
import { startFaultProxy, type FaultPlan } from './fault-proxy.js';
import { motoAccountId, motoCredentials, startMoto, type Moto } from './moto.js';

// The AWS side under injected faults: the connector talks to moto through a loopback proxy that
// throttles, fails, resets and delays a share of the requests. Retries must make the faults
// invisible in the output; a part that keeps failing must be missing and said to be missing.

const STREAMS = ['data-objects', 'users', 'groups', 'access-providers'] as const;

let moto: Moto;
beforeAll(async () => {
  moto = await startMoto();
  await seed();
}, 90_000);
afterAll(async () => moto?.stop());

async function seed(): Promise<void> {
  const config = { endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
  const iam = new IAMClient(config);
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const s3control = new S3ControlClient({ ...config, disableHostPrefix: true });
  // As the connector does behind an endpoint override: no `<account>.` before moto's host.
  const control = s3control.config as { endpointProvider: typeof s3control.config.endpointProvider };
  const rules = control.endpointProvider;
  control.endpointProvider = (params, context) => rules({ ...params, RequiresAccountId: false }, context);
  for (const user of ['alice', 'bob', 'carol']) await iam.send(new CreateUserCommand({ UserName: user }));
  await iam.send(new CreateGroupCommand({ GroupName: 'analysts' }));
  await iam.send(new AddUserToGroupCommand({ GroupName: 'analysts', UserName: 'alice' }));
  await iam.send(new AddUserToGroupCommand({ GroupName: 'analysts', UserName: 'bob' }));
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${motoAccountId}:user/alice` }, Action: 'sts:AssumeRole' }] };
  await iam.send(new CreateRoleCommand({ RoleName: 'SalesReader', AssumeRolePolicyDocument: JSON.stringify(trust) }));
  const read = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::sales', 'arn:aws:s3:::sales/*'] }] };
  await iam.send(new PutRolePolicyCommand({ RoleName: 'SalesReader', PolicyName: 'read', PolicyDocument: JSON.stringify(read) }));
  // No managed policy: moto's GetAccountAuthorizationDetails lists them without PolicyName (a known
  // moto gap; nameless policies are covered with mocks in test/importers/access).
  for (const bucket of ['sales', 'logs', 'people', 'broken']) {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    for (let i = 0; i < 6; i++) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${2020 + (i % 3)}/part-${i}.csv`, Body: 'x' }));
  }
  const bucketPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${motoAccountId}:user/carol` }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::people/*' }] };
  await s3.send(new PutBucketPolicyCommand({ Bucket: 'people', Policy: JSON.stringify(bucketPolicy) }));
  await s3control.send(new CreateAccessPointCommand({ AccountId: motoAccountId, Name: 'sales-ap', Bucket: 'sales' }));
}

interface RunOutput {
  code: number | null;
  stdout: string;
  manifest: Manifest;
  /** Each stream's records as sorted JSON lines. */
  records: Record<string, string[]>;
  /** The sum of the `#retry` counts of the summary. */
  retries: number;
}

async function runThrough(endpoint: string, regions = 'us-east-1', env: Record<string, string> = motoCredentials, args: string[] = []): Promise<RunOutput & { dir: string }> {
  const dir = await workdir(
    [
      'targets:',
      '  - name: faults',
      '    connector-name: aws-account',
      `    aws-endpoint-url: ${endpoint}`,
      `    aws-regions: ${regions}`,
      '    aws-attempt-timeout: 2',
      '    skip-data-usage-sync: true',
    ].join('\n'),
  );
  const result = await cli(['run', ...args], { cwd: dir, env });
  const [runId] = await readdir(join(dir, 'raito-sync', 'faults'));
  const run = join(dir, 'raito-sync', 'faults', runId!);
  const manifest = JSON.parse(await readFile(join(run, 'manifest.json'), 'utf8')) as Manifest;
  const records: Record<string, string[]> = {};
  for (const stream of STREAMS) {
    const lines: string[] = [];
    for await (const r of readJsonlGz(join(run, `${stream}.jsonl.gz`))) lines.push(JSON.stringify(r));
    records[stream] = lines.sort();
  }
  const retries = [...result.stdout.matchAll(/#retry\s+(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
  return { code: result.code, stdout: result.stdout + result.stderr, manifest, records, retries, dir };
}

const incompleteStreams = (m: Manifest) => m.streams.filter((s) => !s.complete).map((s) => s.name);

describe('AWS fault injection (moto behind a faulting proxy)', () => {
  let clean: RunOutput;
  beforeAll(async () => {
    clean = await runThrough(moto.endpoint);
  }, 120_000);

  it('a clean run is complete (the reference for the faulted runs)', () => {
    expect(clean.code, clean.stdout).toBe(0);
    expect(clean.manifest.streams.flatMap((s) => s.warnings)).toEqual([]);
    expect(incompleteStreams(clean.manifest)).toEqual([]);
    expect(clean.retries).toBe(0);
    expect(clean.records['data-objects']).toHaveLength(1 + 4 + 4 * 3 + 4 * 6);
    expect(clean.records['access-providers']!.map((r) => (JSON.parse(r) as { externalId: string }).externalId).sort()).toEqual([
      `accesspoint:arn:aws:s3:us-east-1:${motoAccountId}:accesspoint/sales-ap`,
      'bucketpolicy:people',
      'role:SalesReader',
    ]);
  });

  it('with 30% of requests throttled, failed, reset or slow, gives the same records, every stream complete, and counts the retries', async () => {
    const plan: FaultPlan = { fraction: 0.3, seed: 7, slowMs: 300 };
    const proxy = await startFaultProxy(moto.endpoint, plan);
    try {
      const faulted = await runThrough(proxy.url);
      expect(faulted.code, faulted.stdout).toBe(0);
      expect(incompleteStreams(faulted.manifest)).toEqual([]);
      for (const stream of STREAMS) expect(faulted.records[stream], stream).toEqual(clean.records[stream]);
      expect(proxy.faults.throttle).toBeGreaterThanOrEqual(3);
      expect(proxy.faults.reset).toBeGreaterThanOrEqual(3);
      // Every request answered with an error or a reset was retried, and the summary counts each retry.
      expect(faulted.retries).toBe(proxy.failures);
    } finally {
      await proxy.close();
    }
  }, 180_000);

  it('a bucket whose listing always fails: only its objects are missing, and data-objects is incomplete', async () => {
    const proxy = await startFaultProxy(moto.endpoint, {
      fraction: 0,
      persistent: (r) => (/^\/broken\/?\?/.test(r.url) && r.url.includes('list-type=2') ? 'server-error' : undefined),
    });
    try {
      const run = await runThrough(proxy.url);
      expect(run.code, run.stdout).toBe(0);
      expect(incompleteStreams(run.manifest)).toEqual(['data-objects']);
      const lost = clean.records['data-objects']!.filter((r) => !run.records['data-objects']!.includes(r));
      expect(lost.map((r) => (JSON.parse(r) as { fullName: string }).fullName).every((n) => n.startsWith(`${motoAccountId}:us-east-1:broken/`))).toBe(true);
      expect(lost).toHaveLength(3 + 6);
      const stream = run.manifest.streams.find((s) => s.name === 'data-objects')!;
      expect(stream.warnings).toContain('the objects of bucket broken (us-east-1): missing (unavailable)');
      for (const other of ['users', 'groups', 'access-providers']) expect(run.records[other]).toEqual(clean.records[other]);
    } finally {
      await proxy.close();
    }
  }, 180_000);

  it('a region whose access points cannot be read: only they are missing, and access-providers is incomplete', async () => {
    // moto's S3 Control ignores the region (it lists every access point in each region), so the
    // access point of us-east-1 is what a working us-west-2 would add again; it must not be lost.
    const proxy = await startFaultProxy(moto.endpoint, {
      fraction: 0,
      persistent: (r) => (r.region === 'us-west-2' && r.url.includes('/accesspoint') ? 'server-error' : undefined),
    });
    try {
      const run = await runThrough(proxy.url, 'us-east-1,us-west-2');
      expect(run.code, run.stdout).toBe(0);
      expect(incompleteStreams(run.manifest)).toEqual(['access-providers']);
      expect(run.records['access-providers']).toEqual(clean.records['access-providers']);
      const stream = run.manifest.streams.find((s) => s.name === 'access-providers')!;
      expect(stream.warnings).toContain('the access points of region us-west-2: missing (unavailable)');
    } finally {
      await proxy.close();
    }
  }, 180_000);

  it('AWS credentials sign every call and never appear in stdout, stderr or the log file, even at trace level', async () => {
    const keys = { AWS_ACCESS_KEY_ID: 'AKIAFAULTTESTKEY0001', AWS_SECRET_ACCESS_KEY: 'fault/Secret+Access/Key0123456789abcdefgh', AWS_SESSION_TOKEN: 'FaultSessionToken0123456789' };
    const proxy = await startFaultProxy(moto.endpoint, { fraction: 0.2, seed: 3, kinds: ['throttle', 'server-error'] });
    try {
      const run = await runThrough(proxy.url, 'us-east-1', keys, ['--log-level', 'trace', '--log-file', 'connector.log']);
      expect(run.code, run.stdout).toBe(0);
      // The AWS part can fail: the keys reached AWS (every request was signed with them)...
      expect(proxy.seen.length).toBeGreaterThanOrEqual(20);
      expect(new Set(proxy.seen.map((r) => r.accessKeyId))).toEqual(new Set([keys.AWS_ACCESS_KEY_ID]));
      // ...and errors and retries were logged (the paths where a secret could leak).
      const log = await readFile(join(run.dir, 'connector.log'), 'utf8');
      expect(log).toContain('retrying');
      for (const secret of Object.values(keys)) {
        expect(run.stdout).not.toContain(secret);
        expect(log).not.toContain(secret);
      }
    } finally {
      await proxy.close();
    }
  }, 180_000);
});
