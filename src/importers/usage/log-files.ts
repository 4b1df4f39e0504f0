import { GetObjectCommand, HeadBucketCommand, paginateListObjectsV2 } from '../../aws/sdk/s3.js';
import { redirectRegion, type AwsCall } from '../../aws/errors.js';
import type { AwsReads } from '../../aws/reads.js';
import type { StreamSink } from '../../plugin-api/contract.js';
import type { UsageStatement } from '../../model/index.js';
import { bucketIndex } from '../data-objects/index.js';
import { accountLogsFolder, logsRoot, ORG_ID, parseLogKey, startAfterKey, type LogFile } from './layout.js';
import type { ReadWindow } from './cursor.js';
import { bucketRegionFailures } from './failures.js';

/** What the listing needs: the trail's bucket (in its region) and where to look. */
export interface TrailBucket {
  /** The usage sync's call layer: its limit, its signal, its failure table. */
  reads: AwsReads;
  /** The usage stream: a listing that fails warns here and marks it incomplete. */
  out: StreamSink<UsageStatement>;
  bucket: string;
  region: string;
  prefix: string;
  account: string;
}

/**
 * The region of the trail bucket, for GetObject: from the account's bucket index (the listing the
 * data source sync already made), else from HeadBucket (the bucket may be in a log archive account).
 */
export async function trailBucketRegion(reads: AwsReads, out: StreamSink<UsageStatement>, bucket: string): Promise<string> {
  const { ctx, aws } = reads;
  const listed = await bucketIndex(ctx).then(
    (buckets) => buckets.find((b) => b.name === bucket)?.region,
    () => undefined,
  );
  if (listed) return listed;
  const call: AwsCall = { service: 'S3', operation: 'HeadBucket', resource: bucket, region: aws.defaultRegion };
  // Every failure but bad credentials is an answer here (bucketRegionFailures): nothing is said on the stream.
  const head = await reads.guard(call, out, `usage: the region of bucket ${bucket}`, () =>
    reads.call((signal) => aws.s3(aws.defaultRegion).send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal: signal })),
    bucketRegionFailures,
  );
  // S3 names the bucket's region in a header even when it refuses the request.
  return (head.ok ? head.value.BucketRegion : redirectRegion(head.error.cause)) ?? aws.defaultRegion;
}

async function commonPrefixes(trail: TrailBucket, prefix: string): Promise<string[]> {
  const { reads } = trail;
  const found: string[] = [];
  for await (const page of reads.pages((signal) => paginateListObjectsV2({ client: reads.aws.s3(trail.region) }, { Bucket: trail.bucket, Prefix: prefix, Delimiter: '/' }, { abortSignal: signal }))) {
    for (const p of page.CommonPrefixes ?? []) if (p.Prefix) found.push(p.Prefix.slice(prefix.length, -1));
  }
  return found;
}

/** The CloudTrail folders of this account in the bucket: `AWSLogs/<account>/CloudTrail/` and `AWSLogs/<org-id>/<account>/CloudTrail/`. */
export async function accountFolders(trail: TrailBucket): Promise<string[]> {
  const root = logsRoot(trail.prefix);
  const folders: string[] = [];
  for (const name of await commonPrefixes(trail, root)) {
    if (name === trail.account) folders.push(accountLogsFolder(trail.prefix, trail.account));
    else if (ORG_ID.test(name)) folders.push(accountLogsFolder(trail.prefix, trail.account, name));
  }
  return folders;
}

/** The region folders under an account's CloudTrail folder, less those not in `regions` when it is set. */
export async function regionFolders(trail: TrailBucket, folder: string, regions: readonly string[]): Promise<string[]> {
  const found = await commonPrefixes(trail, folder);
  return regions.length === 0 ? found : found.filter((r) => regions.includes(r));
}

/**
 * The log files of one region folder written since `window.from`, one day folder at a time (each
 * day is one `Prefix`; the first starts after the cursor's file name), in key order.
 */
export async function* dayFiles(trail: TrailBucket, folder: string, region: string, window: ReadWindow, onDayFailed: (day: string) => void): AsyncGenerator<LogFile> {
  const { reads } = trail;
  // File names have minutes: a file of the cursor's own minute is read again.
  const fromMinute = Math.floor(window.from / 60_000) * 60_000;
  for (const [i, day] of window.days.entries()) {
    const prefix = `${folder}${region}/${day}`;
    const startAfter = i === 0 ? startAfterKey(prefix, trail.account, region, new Date(window.from)) : undefined;
    const pages = reads.pages((signal) => paginateListObjectsV2({ client: reads.aws.s3(trail.region) }, { Bucket: trail.bucket, Prefix: prefix, StartAfter: startAfter }, { abortSignal: signal }))[
      Symbol.asyncIterator
    ]();
    // Files are yielded page by page, outside the guard: the reading of a file is not this listing's failure.
    const call: AwsCall = { service: 'S3', operation: 'ListObjectsV2', resource: `s3://${trail.bucket}/${prefix}`, region: trail.region };
    for (;;) {
      const next = await reads.guard(call, trail.out, `usage: the log files of s3://${trail.bucket}/${prefix}`, () => pages.next());
      if (!next.ok) {
        onDayFailed(prefix);
        break;
      }
      if (next.value.done) break;
      for (const object of next.value.value.Contents ?? []) {
        const file = object.Key ? parseLogKey(object.Key) : undefined;
        if (file && file.account === trail.account && file.region === region && file.writtenAt >= fromMinute) yield file;
      }
    }
  }
}

/** The body of a GetObject answer; the compressed file is small (tens of KB), so it is kept whole. */
async function bodyBytes(body: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}

/** Downloads one log file, still gzipped: the AWS part of reading it (see AwsReads.guard). */
export function fetchLogFile(trail: TrailBucket, key: string): Promise<Uint8Array> {
  const { reads } = trail;
  return reads.call(async (signal) => {
    const answer = await reads.aws.s3(trail.region).send(new GetObjectCommand({ Bucket: trail.bucket, Key: key }), { abortSignal: signal });
    const body = answer.Body as AsyncIterable<Uint8Array> | undefined;
    if (!body) throw new Error('S3 returned no body');
    // The SDK call's abortSignal tears the body down when the run stops.
    return bodyBytes(body);
  });
}
