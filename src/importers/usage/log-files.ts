import { GetObjectCommand, HeadBucketCommand, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { AwsContext } from '../../aws/index.js';
import { describeAwsError, type AwsCall } from '../../aws/errors.js';
import type { SyncContext } from '../../plugin-api/contract.js';
import { bucketIndex } from '../data-objects/index.js';
import type { CloudTrailEvent, CloudTrailLog } from './cloudtrail-event.js';
import { accountLogsFolder, logsRoot, ORG_ID, parseLogKey, startAfterKey, type LogFile } from './layout.js';
import type { ReadWindow } from './cursor.js';

const gunzipAsync = promisify(gunzip);

/** What the listing needs: the trail's bucket (in its region) and where to look. */
export interface TrailBucket {
  ctx: SyncContext;
  aws: AwsContext;
  bucket: string;
  region: string;
  prefix: string;
  account: string;
}

/**
 * The region of the trail bucket, for GetObject: from the account's bucket index (the listing the
 * data source sync already made), else from HeadBucket (the bucket may be in a log archive account).
 */
export async function trailBucketRegion(ctx: SyncContext, aws: AwsContext, bucket: string): Promise<string> {
  const listed = await bucketIndex(ctx).then(
    (buckets) => buckets.find((b) => b.name === bucket)?.region,
    () => undefined,
  );
  if (listed) return listed;
  try {
    const head = await aws.limit(() => aws.s3(aws.defaultRegion).send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal: ctx.signal }));
    if (head.BucketRegion) return head.BucketRegion;
  } catch (err) {
    // S3 names the bucket's region in a header even when it denies the request.
    const header = (err as { $response?: { headers?: Record<string, string> } }).$response?.headers?.['x-amz-bucket-region'];
    if (header) return header;
  }
  return aws.defaultRegion;
}

async function commonPrefixes(trail: TrailBucket, prefix: string): Promise<string[]> {
  const { ctx, aws } = trail;
  const found: string[] = [];
  const pages = paginateListObjectsV2({ client: aws.s3(trail.region) }, { Bucket: trail.bucket, Prefix: prefix, Delimiter: '/' }, { abortSignal: ctx.signal })[
    Symbol.asyncIterator
  ]();
  for (;;) {
    const next = await aws.limit(() => pages.next());
    if (next.done) return found;
    for (const p of next.value.CommonPrefixes ?? []) if (p.Prefix) found.push(p.Prefix.slice(prefix.length, -1));
  }
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
export async function* dayFiles(trail: TrailBucket, folder: string, region: string, window: ReadWindow, onDayFailed: (day: string, err: unknown) => void): AsyncGenerator<LogFile> {
  const { ctx, aws } = trail;
  // File names have minutes: a file of the cursor's own minute is read again.
  const fromMinute = Math.floor(window.from / 60_000) * 60_000;
  for (const [i, day] of window.days.entries()) {
    const prefix = `${folder}${region}/${day}`;
    const startAfter = i === 0 ? startAfterKey(prefix, trail.account, region, new Date(window.from)) : undefined;
    const pages = paginateListObjectsV2({ client: aws.s3(trail.region) }, { Bucket: trail.bucket, Prefix: prefix, StartAfter: startAfter }, { abortSignal: ctx.signal })[
      Symbol.asyncIterator
    ]();
    try {
      for (;;) {
        const next = await aws.limit(() => pages.next());
        if (next.done) break;
        for (const object of next.value.Contents ?? []) {
          const file = object.Key ? parseLogKey(object.Key) : undefined;
          if (file && file.account === trail.account && file.region === region && file.writtenAt >= fromMinute) yield file;
        }
      }
    } catch (err) {
      ctx.signal.throwIfAborted();
      onDayFailed(prefix, err);
    }
  }
}

/** The output buffer of a file whose gzip trailer gives no usable size (zlib's own default). */
const DEFAULT_CHUNK = 16 * 1024;
/** The largest output buffer sized from a trailer: a larger (or lying) trailer only costs more chunks. */
const MAX_CHUNK = 64 * 1024 * 1024;

/**
 * The output buffer size that holds a gzip file's content in one piece: ISIZE, the last 4 bytes
 * (RFC 1952: the uncompressed size mod 2^32), plus one byte so that zlib sees the end of the
 * stream without asking for another buffer. Only a hint: a wrong size still unzips correctly.
 */
export function gunzipChunkSize(gz: Uint8Array): number {
  if (gz.length < 18) return DEFAULT_CHUNK;
  const isize = Buffer.from(gz.buffer, gz.byteOffset, gz.byteLength).readUInt32LE(gz.length - 4);
  return Math.min(Math.max(isize + 1, DEFAULT_CHUNK), MAX_CHUNK);
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

/**
 * Downloads one log file and gunzips it in one job on the zlib thread pool, into one buffer of
 * the size the gzip trailer gives: no stream callbacks per chunk, no concatenation, so the main
 * thread parses and maps other files meanwhile. The caller parses the text right before mapping
 * it, so that only one file at a time is held as parsed objects.
 */
export async function downloadLogFile(trail: TrailBucket, key: string): Promise<string> {
  const { ctx, aws } = trail;
  const gz = await aws.limit(async () => {
    const answer = await aws.s3(trail.region).send(new GetObjectCommand({ Bucket: trail.bucket, Key: key }), { abortSignal: ctx.signal });
    const body = answer.Body as AsyncIterable<Uint8Array> | undefined;
    if (!body) throw new Error('S3 returned no body');
    // The SDK call's abortSignal tears the body down when the run stops.
    return bodyBytes(body);
  });
  const text = await gunzipAsync(gz, { chunkSize: gunzipChunkSize(gz) });
  return text.toString('utf8');
}

/** The events of a log file's text. */
export function parseLogFile(text: string): CloudTrailEvent[] {
  const records = (JSON.parse(text) as CloudTrailLog).Records;
  if (!Array.isArray(records)) throw new SyntaxError('no Records array');
  return records;
}

/** The message for a file that could not be read, naming the call when S3 refused it. */
export function unreadableReason(err: unknown, trail: TrailBucket, key: string): string {
  if (err instanceof SyntaxError) return `it is not valid JSON (${err.message})`;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('Z_')) return `it is not a valid gzip file (${(err as Error).message})`;
  const call: AwsCall = { service: 'S3', operation: 'GetObject', resource: `s3://${trail.bucket}/${key}`, region: trail.region, defaultRegion: trail.aws.defaultRegion };
  return describeAwsError(err, call).message;
}
