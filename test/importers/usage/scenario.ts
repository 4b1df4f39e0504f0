import { gzipSync } from 'node:zlib';
import { awsConnectionParameters } from '../../../src/aws/index.js';
import { fakeAwsInterceptor } from '../../../src/demo/fake-aws/interceptor.js';
import { fakeServices } from '../../../src/demo/fake-aws/services.js';
import type { FakeAccount, FakeBucket, FakeObject, FakeTrail } from '../../../src/demo/fake-aws/types.js';
import { compareKeys } from '../../../src/importers/data-objects/key-order.js';
import { dataObjectParameters } from '../../../src/importers/data-objects/parameters.js';
import type { CloudTrailEvent, CloudTrailUserIdentity } from '../../../src/importers/usage/cloudtrail-event.js';
import { syncDataUsage, usageParameters } from '../../../src/importers/usage/index.js';
import { dayFolder, fileTimestamp } from '../../../src/importers/usage/layout.js';
import type { UsageStatement } from '../../../src/model/index.js';
import type { DataUsageResult, SyncContext } from '../../../src/plugin-api/contract.js';
import { testContext } from '../../helpers/context.js';
import { memoryOutputs, type MemoryOutputs, type MemorySink } from '../../helpers/sinks.js';

export const ACCOUNT = '123456789012';
export const TRAIL_BUCKET = 'trail-logs';
export const specs = [...awsConnectionParameters, ...dataObjectParameters, ...usageParameters];
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

let eventCounter = 0;

export function iamUser(name: string, account = ACCOUNT): CloudTrailUserIdentity {
  return { type: 'IAMUser', accountId: account, userName: name, arn: `arn:aws:iam::${account}:user/${name}`, principalId: `AIDA${name}` };
}

export function assumedRole(role: string, session: string, account = ACCOUNT): CloudTrailUserIdentity {
  return {
    type: 'AssumedRole',
    accountId: account,
    arn: `arn:aws:sts::${account}:assumed-role/${role}/${session}`,
    sessionContext: { sessionIssuer: { type: 'Role', userName: role, accountId: account, arn: `arn:aws:iam::${account}:role/${role}` } },
  };
}

/** An S3 data event on an object (or on the bucket when key is undefined). */
export function s3Event(who: CloudTrailUserIdentity, eventName: string, bucket: string, key: string | undefined, time: number, extra: Partial<CloudTrailEvent> = {}): CloudTrailEvent {
  const bucketArn = `arn:aws:s3:::${bucket}`;
  return {
    eventID: `evt-${++eventCounter}`,
    eventTime: new Date(time).toISOString(),
    eventSource: 's3.amazonaws.com',
    eventName,
    eventCategory: 'Data',
    awsRegion: 'eu-central-1',
    userIdentity: who,
    resources: [...(key !== undefined ? [{ type: 'AWS::S3::Object', ARN: `${bucketArn}/${key}` }] : []), { type: 'AWS::S3::Bucket', ARN: bucketArn }],
    ...extra,
  };
}

export interface LogFileSpec {
  region?: string;
  /** When the file was written (ms); its day folder and name follow. */
  writtenAt: number;
  events?: CloudTrailEvent[];
  /** Raw body instead of gzip JSON of the events (for corrupt files). */
  body?: Uint8Array;
  prefix?: string;
  orgId?: string;
  account?: string;
  unique?: string;
}

export function logKey(spec: LogFileSpec): string {
  const region = spec.region ?? 'eu-central-1';
  const account = spec.account ?? ACCOUNT;
  const written = new Date(Math.floor(spec.writtenAt / MINUTE) * MINUTE);
  const root = spec.prefix ? `${spec.prefix}/AWSLogs/` : 'AWSLogs/';
  return `${root}${spec.orgId ? `${spec.orgId}/` : ''}${account}/CloudTrail/${region}/${dayFolder(written)}${account}_CloudTrail_${region}_${fileTimestamp(written)}_${spec.unique ?? Math.random().toString(36).slice(2, 10)}.json.gz`;
}

export function logFile(spec: LogFileSpec): FakeObject {
  const body = spec.body ?? gzipSync(JSON.stringify({ Records: spec.events ?? [] }));
  return { key: logKey(spec), size: body.length, body, lastModified: new Date(spec.writtenAt) };
}

export function bucket(name: string, region: string, objects: (FakeObject | string)[]): FakeBucket {
  const list = objects.map((o) => (typeof o === 'string' ? { key: o, size: 1 } : o)).sort((a, b) => compareKeys(a.key, b.key));
  return { name, region, objects: list };
}

/** Adds log files to the trail bucket, keeping S3's key order. */
export function addLogFiles(account: FakeAccount, files: FakeObject[]): void {
  const trail = account.s3.buckets.find((b) => b.name === TRAIL_BUCKET)!;
  trail.objects = [...(trail.objects as FakeObject[]), ...files].sort((a, b) => compareKeys(a.key, b.key));
}

export function trailAccount(options: { files?: FakeObject[]; buckets?: FakeBucket[]; trails?: FakeTrail[]; extra?: Partial<FakeAccount> } = {}): FakeAccount {
  return {
    accountId: ACCOUNT,
    callerArn: `arn:aws:iam::${ACCOUNT}:user/connector`,
    iam: { users: [], groups: [], roles: [], policies: [] },
    s3: {
      buckets: [bucket(TRAIL_BUCKET, 'eu-west-1', options.files ?? []), ...(options.buckets ?? [bucket('sales', 'eu-central-1', ['2024/q1/orders.csv'])])],
      accessPoints: [],
    },
    glue: {},
    cloudTrail: { trails: options.trails ?? [] },
    ...options.extra,
  };
}

export interface UsageRun {
  sink: MemorySink<UsageStatement>;
  result: DataUsageResult;
  ctx: SyncContext;
  /** Every AWS call as `Service.Operation` with its input. */
  calls: { call: string; input: Record<string, unknown> }[];
}

/** A fault to inject: the error that a call answers with instead of the fake account's answer. */
export type Fault = (call: { service: string; operation: string; region: string; input: Record<string, unknown> }) => Error | undefined;

/** Runs the usage sync against a fake account through the real SDK clients; `fault` makes chosen calls fail. */
export async function runUsage(account: FakeAccount, params: Record<string, unknown> = {}, lastUsed?: string, options: { ctx?: SyncContext; fault?: Fault; out?: MemoryOutputs } = {}): Promise<UsageRun> {
  const calls: UsageRun['calls'] = [];
  const answer = fakeAwsInterceptor(account, fakeServices);
  const context =
    options.ctx ??
    testContext({
      specs,
      params: { 'aws-s3-cloudtrail-bucket': TRAIL_BUCKET, ...params },
      awsInterceptor: async (call) => {
        calls.push({ call: `${call.service}.${call.operation}`, input: call.input });
        const error = options.fault?.(call);
        if (error) throw error;
        return answer(call);
      },
    });
  const out = options.out ?? memoryOutputs();
  const result = (await syncDataUsage(context, out, lastUsed === undefined ? {} : { lastUsed })) ?? {};
  return { sink: out['data-usage'], result, ctx: context, calls };
}

export const listings = (run: UsageRun) => run.calls.filter((c) => c.call === 'S3.ListObjectsV2').map((c) => c.input);
export const reads = (run: UsageRun) => run.calls.filter((c) => c.call === 'S3.GetObject').map((c) => String(c.input.Key));
