import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { awsConnectionParameters } from '../../src/aws/index.js';
import { dataObjectParameters } from '../../src/importers/data-objects/parameters.js';
import { syncDataUsage, usageParameters } from '../../src/importers/usage/index.js';
import { dayFolder, fileTimestamp } from '../../src/importers/usage/layout.js';
import type { ConnectorPlugin, StreamSink, SyncOutputs } from '../../src/plugin-api/contract.js';
import { buildMetadata } from '../../src/plugins/aws-account/metadata.js';
import { benchContext, runIfMain } from '../context.js';
import { median, runConnector } from '../http-run.js';
import { startLogServer } from '../server/child-servers.js';
import type { BenchResult } from '../types.js';

// 2,000 gzip log files of 500 S3 data events each (1M events) over the last week, 20 ms per AWS
// call. The files live in a temp folder; the bench endpoint (bench/server, in a child process)
// serves them as a trail bucket over HTTP in S3's wire format, reading each body from disk per
// GetObject. The connector reaches it through aws-endpoint-url: the CLI in a child process for the
// runs a user makes, and syncDataUsage in this process for the throughput rounds. BENCH_LATENCY_MS
// changes the latency.
const FILES = Number(process.env.BENCH_FILES ?? 2_000);
const EVENTS = 500;
const NEW_FILES = 10;
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
/** Alternated rounds of the parse-throughput comparison (odd, so the median is one round's). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ACCOUNT = '999999999999';
const REGION = 'eu-central-1';
const BUCKET = 'org-trail-logs';
const MINUTE = 60_000;

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const users = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi'];
const names = ['GetObject', 'GetObject', 'GetObject', 'HeadObject', 'PutObject', 'ListObjects', 'DeleteObject'];

/** A realistic S3 data event (about 1.3 KB of JSON), with the fields CloudTrail writes. */
function event(file: number, i: number, time: number): string {
  const n = file * EVENTS + i;
  const name = names[n % names.length]!;
  const key = `tenant-${pad(n % 100, 3)}/year=2026/month=${pad((n % 12) + 1, 2)}/part-${pad(n % 5000, 5)}.snappy.parquet`;
  const who =
    n % 3 === 0
      ? `{"type":"IAMUser","principalId":"AIDA${pad(n % 8, 16)}","arn":"arn:aws:iam::${ACCOUNT}:user/${users[n % 8]}","accountId":"${ACCOUNT}","accessKeyId":"AKIA${pad(n % 8, 16)}","userName":"${users[n % 8]}"}`
      : `{"type":"AssumedRole","principalId":"AROA${pad(n % 8, 16)}:${users[n % 8]}@example.com","arn":"arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_DataAnalyst_0123456789abcdef/${users[n % 8]}@example.com","accountId":"${ACCOUNT}","accessKeyId":"ASIA${pad(n, 16)}","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROA${pad(n % 8, 16)}","arn":"arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_DataAnalyst_0123456789abcdef","accountId":"${ACCOUNT}","userName":"AWSReservedSSO_DataAnalyst_0123456789abcdef"},"attributes":{"creationDate":"${new Date(time - 3_600_000).toISOString()}","mfaAuthenticated":"false"}}}`;
  const objectArn = name === 'ListObjects' ? '' : `{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::data-lake/${key}"},`;
  return `{"eventVersion":"1.10","userIdentity":${who},"eventTime":"${new Date(time).toISOString().replace(/\.\d+Z$/, 'Z')}","eventSource":"s3.amazonaws.com","eventName":"${name}","awsRegion":"${REGION}","sourceIPAddress":"10.${n % 256}.${(n >> 8) % 256}.7","userAgent":"[aws-sdk-java/2.25.1 Linux/5.10 OpenJDK_64-Bit_Server_VM/17.0.9]","requestParameters":{"bucketName":"data-lake","Host":"data-lake.s3.${REGION}.amazonaws.com","key":"${key}"},"responseElements":null,"additionalEventData":{"SignatureVersion":"SigV4","CipherSuite":"TLS_AES_128_GCM_SHA256","bytesTransferredIn":0,"AuthenticationMethod":"AuthHeader","x-amz-id-2":"${pad(n, 24)}","bytesTransferredOut":${(n * 7919) % 10_000_000}},"requestID":"${pad(n, 16)}","eventID":"${pad(file, 8)}-0000-4000-8000-${pad(i, 12)}","readOnly":${name !== 'PutObject' && name !== 'DeleteObject'},"resources":[${objectArn}{"type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::data-lake"}],"eventType":"AwsApiCall","managementEvent":false,"recipientAccountId":"${ACCOUNT}","eventCategory":"Data","tlsDetails":{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":"data-lake.s3.${REGION}.amazonaws.com"}}`;
}

interface LogOnDisk {
  key: string;
  path: string;
  size: number;
}

/** Writes one gzip log file written at `time` and returns where it is. */
function writeLog(dir: string, file: number, time: number): LogOnDisk {
  const written = new Date(Math.floor(time / MINUTE) * MINUTE);
  const events: string[] = [];
  for (let i = 0; i < EVENTS; i++) events.push(event(file, i, written.getTime() - (EVENTS - i) * 100));
  const body = gzipSync(`{"Records":[${events.join(',')}]}`);
  const path = join(dir, `${pad(file, 5)}.json.gz`);
  writeFileSync(path, body);
  const key = `AWSLogs/o-aa11bb22cc/${ACCOUNT}/CloudTrail/${REGION}/${dayFolder(written)}${ACCOUNT}_CloudTrail_${REGION}_${fileTimestamp(written)}_${pad(file, 8)}.json.gz`;
  // The bench endpoint lists the bucket from this index (bench/server/serve-logs.ts).
  appendFileSync(join(dir, 'index.jsonl'), `${JSON.stringify({ key, path, size: body.length })}\n`);
  return { key, path, size: body.length };
}

/** FILES log files in `dir` (and its index for the endpoint): the last week, one file every ~5 minutes, ending an hour ago. */
export function writeLogs(dir: string): LogOnDisk[] {
  const end = Date.now() - 60 * MINUTE;
  const step = Math.floor((7 * 24 * 60 * MINUTE) / FILES);
  const logs: LogOnDisk[] = [];
  for (let f = 0; f < FILES; f++) logs.push(writeLog(dir, f, end - (FILES - 1 - f) * step));
  return logs;
}

/** Starts the endpoint over the files of `dir` and points the sync at it (fake credentials in env, as a user's would be). */
async function serveLogs(dir: string): Promise<Awaited<ReturnType<typeof startLogServer>>> {
  const server = await startLogServer({ dir, accountId: ACCOUNT, bucket: BUCKET, region: REGION, latencyMs: LATENCY_MS, otherBuckets: ['data-lake'] });
  params['aws-endpoint-url'] = server.url;
  process.env.AWS_ACCESS_KEY_ID ??= 'AKIABENCH';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'bench-secret';
  return server;
}

/** Counts and drops statements: the reading and parsing cost alone, without the spool's validation and gzip. */
function discardOutputs(): Pick<SyncOutputs, 'data-usage'> {
  let records = 0;
  const sink: StreamSink<never> = {
    write() {
      records++;
    },
    warn() {},
    markIncomplete() {},
    get records() {
      return records;
    },
  };
  return { 'data-usage': sink };
}

const plugin: ConnectorPlugin = {
  name: 'aws-account',
  description: 'usage sync only',
  version: 'bench',
  parameters: [...awsConnectionParameters, ...dataObjectParameters, ...usageParameters],
  metadata: () => buildMetadata({ exportsAccess: false, dataUsage: true }),
  syncs: { dataUsage: syncDataUsage },
};

const params: Record<string, string | number> = { 'aws-regions': REGION, 'aws-concurrency': CONCURRENCY, 'aws-s3-cloudtrail-bucket': BUCKET, 'aws-usage-start-days': 8 };

/** The bare loop: read, gunzip and JSON.parse every file, one after the other, in this process. */
function bareLoop(logs: LogOnDisk[]): number {
  let events = 0;
  for (const log of logs) events += (JSON.parse(gunzipSync(readFileSync(log.path)).toString('utf8')) as { Records: unknown[] }).Records.length;
  return events;
}

/** The target of the connector runs: the usage sync alone, as a user who runs it on its own schedule would. */
const target = {
  'aws-regions': REGION,
  'aws-concurrency': CONCURRENCY,
  'aws-s3-cloudtrail-bucket': BUCKET,
  'aws-usage-start-days': 8,
  'skip-data-source-sync': true,
  'skip-identity-store-sync': true,
  'skip-data-access-sync': true,
};


/**
 * 2,000 CloudTrail files x 500 events. The connector runs as a user runs it (the CLI in a child
 * process, the real spool, its peak RSS), then a second time after 10 new files (it lists only the
 * new days and reads only those files). Between the two, the parse throughput: the usage sync into
 * a sink that drops, in this process, against a bare gunzip + JSON.parse loop over the same files.
 */
export default async function cloudTrailUsage(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'connector-bench-cloudtrail-'));
  const work = mkdtempSync(join(tmpdir(), 'connector-bench-cloudtrail-run-'));
  const logs = writeLogs(dir);
  const totalBytes = logs.reduce((s, l) => s + l.size, 0);
  const server = await serveLogs(dir);
  try {
    await server.calls('reset');
    const first = await runConnector(work, server.url, target);
    const firstCalls = await server.calls();

    // Parse throughput: the same sync into a sink that drops, against the bare loop, in this
    // process at the 20 ms per call. Wall and CPU time (all threads: the log parsing
    // workers and zlib's pool included) of each; the order alternates by round so that neither
    // side pays the other's garbage, and each round's ratio is of two back-to-back runs.
    const ours: { wall: number; cpu: number }[] = [];
    const bare: { wall: number; cpu: number }[] = [];
    const timed = async (body: () => unknown) => {
      const cpu = process.resourceUsage();
      const t = performance.now();
      await body();
      const used = process.resourceUsage();
      return { wall: performance.now() - t, cpu: (used.userCPUTime - cpu.userCPUTime + used.systemCPUTime - cpu.systemCPUTime) / 1000 };
    };
    const oursOnce = () => timed(() => syncDataUsage(benchContext(plugin, params, undefined, ['data-usage']), discardOutputs(), {}));
    const bareOnce = () => timed(() => bareLoop(logs));
    for (let i = 0; i < ROUNDS; i++) {
      if (i % 2 === 0) {
        ours.push(await oursOnce());
        bare.push(await bareOnce());
      } else {
        bare.push(await bareOnce());
        ours.push(await oursOnce());
      }
    }
    const events = FILES * EVENTS;
    const runs = (xs: { wall: number; cpu: number }[], k: 'wall' | 'cpu') => xs.map((x) => Math.round(x[k])).join(' / ');
    const ratios = (k: 'wall' | 'cpu') => bare.map((b, i) => b[k] / ours[i]![k]);
    const spread = (xs: number[]) => `${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)}`;

    // Second run: 10 new files after the cursor the first run kept beside its runs.
    const fresh = Array.from({ length: NEW_FILES }, (_, i) => writeLog(dir, FILES + i, Date.now() - (NEW_FILES - i) * MINUTE));
    await server.calls('reset');
    const second = await runConnector(work, server.url, target);
    const secondCalls = await server.calls();
    return {
      scenario: `cloudtrail-usage (${FILES} files x ${EVENTS} events, ${LATENCY_MS} ms/call, concurrency ${CONCURRENCY})`,
      measuredAs: 'wall, cpu and peak RSS of the first `connector run` (the CLI in a child process, usage sync only)',
      wallMs: Math.round(first.wallMs),
      cpuMs: Math.round(first.cpuMs),
      peakRssMb: Math.round(first.peakRssMb),
      calls: firstCalls,
      figures: {
        events,
        gzipMB: Number((totalBytes / 1e6).toFixed(1)),
        statements: first.records['data-usage'] ?? 0,
        complete: String(first.complete['data-usage'] ?? false),
        latencyLowerBoundMs: Math.round((FILES * LATENCY_MS) / CONCURRENCY),
        parseWallMsRuns: runs(ours, 'wall'),
        bareLoopWallMsRuns: runs(bare, 'wall'),
        parseCpuMsRuns: runs(ours, 'cpu'),
        bareLoopCpuMsRuns: runs(bare, 'cpu'),
        eventsPerSecOurs: Math.round(events / (median(ours.map((x) => x.wall)) / 1000)),
        eventsPerSecBare: Math.round(events / (median(bare.map((x) => x.wall)) / 1000)),
        throughputRatioWall: Number(median(ratios('wall')).toFixed(2)),
        throughputRatioWallSpread: spread(ratios('wall')),
        throughputRatioCpu: Number(median(ratios('cpu')).toFixed(2)),
        throughputRatioCpuSpread: spread(ratios('cpu')),
        secondRunWallMs: Math.round(second.wallMs),
        secondRunListCalls: secondCalls['S3.ListObjectsV2'] ?? 0,
        secondRunListedDays: [...new Set(fresh.map((f) => f.key.split('/').slice(5, 8).join('/')))].join(', '),
        secondRunGetObject: secondCalls['S3.GetObject'] ?? 0,
        secondRunStatements: second.records['data-usage'] ?? 0,
      },
    };
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
}

/** For profiling (node --cpu-prof): only the usage sync into a dropping sink, `rounds` times. */
export async function profileParse(rounds: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'connector-bench-cloudtrail-'));
  writeLogs(dir);
  const server = await serveLogs(dir);
  const cpu = process.cpuUsage();
  for (let i = 0; i < rounds; i++) await syncDataUsage(benchContext(plugin, params, undefined, ['data-usage']), discardOutputs(), {});
  const used = process.cpuUsage(cpu);
  console.error(`parse cpu ${Math.round((used.user + used.system) / 1000)} ms for ${rounds} rounds`);
  server.close();
  rmSync(dir, { recursive: true, force: true });
}

await runIfMain(import.meta.url, cloudTrailUsage);
