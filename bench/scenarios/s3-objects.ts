import type { FakeAccount, FakeBucket, FakeObjectList } from '../../src/demo/fake-aws/types.js';
import type { HttpScenario } from '../types.js';

// BENCH_LATENCY_MS (default 20) changes the latency per call.
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

/** 1,000,000 objects in 50 buckets (one holds half) through the S3 data source sync, 20 ms per AWS call, concurrency 5. */
const s3Objects: HttpScenario = {
  name: 's3-objects',
  title: `s3-objects (1M objects, ${BUCKETS} buckets, one with half, ${LATENCY_MS} ms/call, concurrency ${CONCURRENCY})`,
  latencyMs: LATENCY_MS,
  account: syntheticAccount,
  target: { 'aws-regions': 'eu-central-1', 'aws-concurrency': CONCURRENCY, 'skip-identity-store-sync': true, 'skip-data-access-sync': true, 'skip-data-usage-sync': true },
  pageBound(account) {
    const pages = account.s3.buckets.reduce((sum, b) => sum + Math.max(1, Math.ceil(b.objects.length / PAGE)), 0);
    return { pages, concurrency: CONCURRENCY, explain: `${pages} ListObjectsV2 pages of ${PAGE} keys (at least one a bucket), ${CONCURRENCY} at a time` };
  },
  check({ records }) {
    // The datasource, the 50 buckets, every object and the folders above them: at least objects + buckets + 1.
    const dataObjects = records['data-objects'] ?? 0;
    return dataObjects >= OBJECTS + BUCKETS + 1 ? [] : [`${dataObjects} data objects, fewer than the ${OBJECTS} objects, ${BUCKETS} buckets and the datasource`];
  },
};

export default s3Objects;
