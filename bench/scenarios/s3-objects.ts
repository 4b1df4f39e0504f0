import { awsConnectionParameters } from '../../src/aws/index.js';
import { ProgressLine } from '../../src/cli/progress.js';
import { stsService } from '../../src/demo/fake-aws/iam.js';
import { fakeAwsInterceptor } from '../../src/demo/fake-aws/interceptor.js';
import { s3Service } from '../../src/demo/fake-aws/s3.js';
import type { FakeAccount, FakeBucket, FakeObjectList } from '../../src/demo/fake-aws/types.js';
import { syncDataObjects } from '../../src/importers/data-objects/index.js';
import { dataObjectParameters } from '../../src/importers/data-objects/parameters.js';
import type { ConnectorPlugin, StreamSink, SyncOutputs } from '../../src/plugin-api/contract.js';
import { buildMetadata } from '../../src/plugins/aws-account/metadata.js';
import { benchContext, benchOutputs, measure, runIfMain } from '../context.js';
import type { BenchResult } from '../types.js';

// BENCH_LATENCY_MS (default 20) and BENCH_SINK=discard (serialise and drop instead of the real
// gzip spool) separate the listing's own cost from the spool's when the machine is CPU-bound.
const OBJECTS = 1_000_000;
const BUCKETS = 50;
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
const CONCURRENCY = 5;
/** ListObjectsV2 serves at most 1000 keys a page. */
const PAGE = 1000;

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** A bucket whose keys are made from their index (sorted by construction), so a million keys take no memory. */
function virtualBucket(name: string, region: string, count: number, keyAt: (i: number) => string): FakeBucket {
  const objects: FakeObjectList = { length: count, at: (i) => (i >= 0 && i < count ? { key: keyAt(i), size: 1024 + (i % 4096) } : undefined) };
  return { name, region, objects };
}

/**
 * Half of the objects in one data lake bucket (100 tenants x 5,000 partitioned files), the other
 * half spread over 49 team buckets. The lake sorts last, so it starts when most other buckets
 * are done: the hard case for splitting.
 */
function syntheticAccount(): FakeAccount {
  const lakeSize = OBJECTS / 2;
  const lake = virtualBucket('zz-data-lake', 'eu-central-1', lakeSize, (i) => {
    const tenant = Math.floor(i / 5000);
    const j = i % 5000;
    return `tenant-${pad(tenant, 3)}/year=2024/month=${pad(Math.floor(j / 500) + 1, 2)}/part-${pad(j % 500, 5)}.snappy.parquet`;
  });
  const others = BUCKETS - 1;
  const rest = OBJECTS - lakeSize;
  const buckets = [lake];
  for (let b = 0; b < others; b++) {
    const count = Math.floor(rest / others) + (b < rest % others ? 1 : 0);
    const region = ['eu-central-1', 'eu-west-1', 'us-east-1'][b % 3]!;
    buckets.push(virtualBucket(`team-${pad(b, 2)}-data`, region, count, (i) => `data/${pad(Math.floor(i / 1000), 2)}/${pad(Math.floor((i % 1000) / 100), 2)}/file-${pad(i, 6)}.csv`));
  }
  return {
    accountId: '999999999999',
    callerArn: 'arn:aws:iam::999999999999:user/bench',
    iam: { users: [], groups: [], roles: [], policies: [] },
    s3: { buckets, accessPoints: [] },
    glue: {},
  };
}

/** A sink that serialises and drops records: the listing's own cost, without gzip and validation. */
function discardOutputs(): ReturnType<typeof benchOutputs> {
  let records = 0;
  let bytes = 0;
  const sink: StreamSink<unknown> = {
    async write(record) {
      bytes += JSON.stringify(record).length;
      records++;
    },
    warn() {},
    markIncomplete() {},
    get records() {
      return records;
    },
  };
  const out = { 'data-objects': sink } as unknown as SyncOutputs;
  return { out, finish: async () => ({ 'data-objects': { records, bytes, complete: true } }) };
}

/** 1,000,000 objects in 50 buckets (one holds half) through the S3 data source sync, 20 ms per AWS call. */
export default async function s3Objects(): Promise<BenchResult> {
  const account = syntheticAccount();
  const interceptor = fakeAwsInterceptor(account, { S3: s3Service, STS: stsService }, { latencyMs: LATENCY_MS });
  // Just the data source sync of the aws-account plugin, with its parameters.
  const plugin: ConnectorPlugin = {
    name: 'aws-account',
    description: 'data source sync only',
    version: 'bench',
    parameters: [...awsConnectionParameters, ...dataObjectParameters],
    metadata: () => buildMetadata({ exportsAccess: false, dataUsage: false }),
    syncs: { dataSource: syncDataObjects },
  };
  const ctx = benchContext(plugin, { 'aws-regions': 'eu-central-1', 'aws-concurrency': CONCURRENCY }, interceptor, ['data-source']);
  const { out, finish } = process.env.BENCH_SINK === 'discard' ? discardOutputs() : benchOutputs();
  return measure(`s3-objects (1M objects, ${BUCKETS} buckets, one with half, ${LATENCY_MS} ms/call, concurrency ${CONCURRENCY})`, ctx, async () => {
    // BENCH_PROGRESS=1: the progress line redraws (to a terminal that drops the text) as on a TTY, to measure its cost.
    const progress = process.env.BENCH_PROGRESS === '1' ? new ProgressLine({ out: { isTTY: true, write: () => true } }) : undefined;
    progress?.syncStarted({ ctx, sync: 'data-source', sinks: new Map([['data-objects', out['data-objects']]]) });
    const started = performance.now();
    await plugin.syncs.dataSource!(ctx, out);
    const syncMs = performance.now() - started;
    progress?.stop();
    const streams = await finish();
    const pages = account.s3.buckets.reduce((sum, b) => sum + Math.max(1, Math.ceil(b.objects.length / PAGE)), 0);
    const lowerBoundMs = (pages * LATENCY_MS) / CONCURRENCY;
    const listCalls = ctx.calls.get('S3.ListObjectsV2');
    return {
      objects: OBJECTS,
      dataObjects: streams['data-objects']?.records ?? 0,
      listCalls,
      pagesLowerBound: pages,
      lowerBoundMs,
      syncMs: Math.round(syncMs),
      ratio: Number((syncMs / lowerBoundMs).toFixed(2)),
      progressLine: progress ? 'drawn' : 'off',
    };
  });
}

await runIfMain(import.meta.url, s3Objects);
