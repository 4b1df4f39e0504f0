import { GetObjectCommand, HeadBucketCommand, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { redirectRegion, type AwsCall } from '../../aws/errors.js';
import type { AwsReads } from '../../aws/reads.js';
import type { StreamSink } from '../../plugin-api/contract.js';
import type { UsageStatement } from '../../model/index.js';
import { bucketIndex } from '../data-objects/index.js';
import type { CloudTrailEvent, CloudTrailLog } from './cloudtrail-event.js';
import { accountLogsFolder, logsRoot, ORG_ID, parseLogKey, startAfterKey, type LogFile } from './layout.js';
import type { ReadWindow } from './cursor.js';
import { bucketRegionFailures } from './failures.js';

const gunzipAsync = promisify(gunzip);

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

/** The output buffer of a file whose gzip trailer gives no usable size (zlib's own default). */
const DEFAULT_CHUNK = 16 * 1024;
/** The largest output buffer sized from a trailer: a larger (or lying) trailer only costs more chunks. */
const MAX_CHUNK = 64 * 1024 * 1024;
/** Deflate expands at most about 1032 times: a trailer that claims more than that is not believed. */
const MAX_RATIO = 1032;

/**
 * The output buffer size that holds a gzip file's content in one piece: ISIZE, the last 4 bytes
 * (RFC 1952: the uncompressed size mod 2^32), plus one byte so that zlib sees the end of the
 * stream without asking for another buffer. Only a hint: a wrong size still unzips correctly.
 */
export function gunzipChunkSize(gz: Uint8Array): number {
  if (gz.length < 18) return DEFAULT_CHUNK;
  const isize = Buffer.from(gz.buffer, gz.byteOffset, gz.byteLength).readUInt32LE(gz.length - 4);
  return Math.min(Math.max(Math.min(isize, gz.length * MAX_RATIO) + 1, DEFAULT_CHUNK), MAX_CHUNK);
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

/**
 * Gunzips a log file in one job on the zlib thread pool, into one buffer of the size the gzip
 * trailer gives: no stream callbacks per chunk, no concatenation, so the main thread parses and
 * maps other files meanwhile. The caller parses the text right before mapping it, so that only
 * one file at a time is held as parsed objects.
 *
 * JSON.parse stays on this thread on purpose. A worker_threads worker that gunzips, parses and
 * hands back a compact projection of the S3 data events was built and measured (bench
 * cloudtrail-usage, 2-core machine at load 2-4): with the projection serialised and parsed again
 * a million events took 16.6-16.8 s of CPU instead of 11.9-12.2 s, and with no idle core it made
 * both ratios to the bare loop worse (wall 0.41 -> 0.36 and 0.49 -> 0.44, CPU 0.54 -> 0.40 and
 * 0.57 -> 0.41: medians of five rounds, two back-to-back pairs of runs).
 */
export async function gunzipLogFile(gz: Uint8Array): Promise<string> {
  const text = await gunzipAsync(gz, { chunkSize: gunzipChunkSize(gz) });
  return text.toString('utf8');
}

/** The events of a log file's text. */
export function parseLogFile(text: string): CloudTrailEvent[] {
  const records = (JSON.parse(text) as CloudTrailLog).Records;
  if (!Array.isArray(records)) throw new SyntaxError('no Records array');
  return records;
}

/** Why a downloaded log file could not be read (its AWS errors are the call layer's). */
export function unreadableReason(err: unknown): string {
  if (err instanceof SyntaxError) return `it is not valid JSON (${err.message})`;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('Z_')) return `it is not a valid gzip file (${(err as Error).message})`;
  return err instanceof Error ? err.message : String(err);
}
