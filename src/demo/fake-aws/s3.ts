import { Readable } from 'node:stream';
import { compareKeys, KEY_MAX } from '../../importers/data-objects/key-order.js';
import { awsError } from './errors.js';
import type { FakeAccount, FakeBucket, FakeObject, FakeObjectList, FakeService } from './types.js';

const EPOCH = new Date('2024-01-01T00:00:00Z');

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function bucketOf(account: FakeAccount, input: Record<string, unknown>): FakeBucket {
  const name = text(input.Bucket) ?? '';
  const bucket = account.s3.buckets.find((b) => b.name === name);
  if (!bucket) throw awsError('NoSuchBucket', 404, `The specified bucket does not exist: ${name}`);
  return bucket;
}

/** Object calls go to the bucket's own region, as S3 requires (the SDK would get a 301 otherwise). */
function inItsRegion(bucket: FakeBucket, region: string): void {
  if (bucket.region !== region) {
    throw awsError('PermanentRedirect', 301, `The bucket ${bucket.name} is in ${bucket.region}; the request went to ${region}`);
  }
}

/** First index in [from, to) where `past(key)` holds, for a predicate that is false and then true along the sorted list. */
function search(objects: FakeObjectList, from: number, to: number, past: (key: string) => boolean): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (past(objects.at(mid)!.key)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

const encodeToken = (after: string) => Buffer.from(after, 'utf8').toString('base64url');
const decodeToken = (token: string) => Buffer.from(token, 'base64url').toString('utf8');

/**
 * ListObjectsV2 over a sorted (possibly virtual) list: binary search to the start, and with a
 * delimiter a binary search past each common prefix, so a page costs O(page · log n) whatever
 * the bucket size. The continuation token is the key (or prefix + highest code point) to continue after.
 */
function listObjectsV2(input: Record<string, unknown>, account: FakeAccount, region: string): unknown {
  const bucket = bucketOf(account, input);
  inItsRegion(bucket, region);
  const objects = bucket.objects;
  const prefix = text(input.Prefix) ?? '';
  const delimiter = text(input.Delimiter);
  const maxKeys = Math.max(0, Math.min(1000, typeof input.MaxKeys === 'number' ? input.MaxKeys : 1000));
  const token = text(input.ContinuationToken);
  const after = token ? decodeToken(token) : text(input.StartAfter);

  // The keys of the prefix are contiguous: from the first key >= prefix to the first one after it that does not start with it.
  const end = search(objects, 0, objects.length, (k) => compareKeys(k, prefix) > 0 && !k.startsWith(prefix));
  let i = search(objects, 0, end, (k) => compareKeys(k, prefix) >= 0 && (after === undefined || compareKeys(k, after) > 0));

  const contents: { Key: string; Size: number; LastModified: Date; StorageClass: 'STANDARD' }[] = [];
  const common: { Prefix: string }[] = [];
  let last: string | undefined;
  while (i < end && contents.length + common.length < maxKeys) {
    const object = objects.at(i)!;
    const at = delimiter ? object.key.indexOf(delimiter, prefix.length) : -1;
    if (delimiter && at >= 0) {
      const rolled = object.key.slice(0, at + delimiter.length);
      common.push({ Prefix: rolled });
      last = rolled + KEY_MAX;
      i = search(objects, i, end, (k) => !k.startsWith(rolled));
      continue;
    }
    contents.push({ Key: object.key, Size: object.size, LastModified: object.lastModified ?? EPOCH, StorageClass: 'STANDARD' });
    last = object.key;
    i++;
  }
  const truncated = i < end;
  return {
    Name: bucket.name,
    Prefix: prefix,
    Delimiter: delimiter,
    MaxKeys: maxKeys,
    StartAfter: text(input.StartAfter),
    ContinuationToken: token,
    KeyCount: contents.length + common.length,
    IsTruncated: truncated,
    ...(contents.length > 0 ? { Contents: contents } : {}),
    ...(common.length > 0 ? { CommonPrefixes: common } : {}),
    ...(truncated && last !== undefined ? { NextContinuationToken: encodeToken(last) } : {}),
  };
}

/** ListBuckets with BucketRegion, paginated by MaxBuckets/ContinuationToken, filtered by Prefix and BucketRegion. */
function listBuckets(input: Record<string, unknown>, account: FakeAccount): unknown {
  const prefix = text(input.Prefix) ?? '';
  const inRegion = text(input.BucketRegion);
  const sorted = account.s3.buckets
    .filter((b) => b.name.startsWith(prefix) && (!inRegion || b.region === inRegion))
    .sort((a, b) => compareKeys(a.name, b.name));
  const token = text(input.ContinuationToken);
  const start = token ? sorted.findIndex((b) => compareKeys(b.name, decodeToken(token)) > 0) : 0;
  const from = start < 0 ? sorted.length : start;
  const max = typeof input.MaxBuckets === 'number' ? Math.max(1, Math.min(10_000, input.MaxBuckets)) : 10_000;
  const page = sorted.slice(from, from + max);
  const more = from + page.length < sorted.length;
  return {
    Buckets: page.map((b) => ({ Name: b.name, CreationDate: b.creationDate ?? EPOCH, BucketRegion: b.region })),
    Owner: { ID: `owner-${account.accountId}`, DisplayName: 'owner' },
    ...(prefix ? { Prefix: prefix } : {}),
    ...(more ? { ContinuationToken: encodeToken(page[page.length - 1]!.name) } : {}),
  };
}

/** GetObject: the object's body as a stream, as the SDK gives it. */
function getObject(input: Record<string, unknown>, account: FakeAccount, region: string): unknown {
  const bucket = bucketOf(account, input);
  inItsRegion(bucket, region);
  const { object, body } = findObject(bucket, text(input.Key) ?? '');
  return { Body: Readable.from([body]), ContentLength: body.length, LastModified: object.lastModified ?? EPOCH };
}

/** The object with this key and its body (read once: a virtual list may read it from disk), or NoSuchKey. */
export function findObject(bucket: FakeBucket, key: string): { object: FakeObject; body: Uint8Array } {
  const object = bucket.objects.at(search(bucket.objects, 0, bucket.objects.length, (k) => compareKeys(k, key) >= 0));
  const body = object?.key === key ? object.body : undefined;
  if (!object || !body) throw awsError('NoSuchKey', 404, `The specified key does not exist: ${key}`);
  return { object, body };
}

/** S3 of the fake account (buckets, objects, bucket policies and tags). */
export const s3Service: FakeService = {
  ListBuckets: (input, { account }) => listBuckets(input, account),
  // Like S3: us-east-1 answers with an empty location constraint.
  GetBucketLocation: (input, { account }) => {
    const bucket = bucketOf(account, input);
    return bucket.region === 'us-east-1' ? {} : { LocationConstraint: bucket.region };
  },
  HeadBucket: (input, { account }) => ({ BucketRegion: bucketOf(account, input).region }),
  ListObjectsV2: (input, { account, region }) => listObjectsV2(input, account, region),
  GetObject: (input, { account, region }) => getObject(input, account, region),
  GetBucketPolicy: (input, { account }) => {
    const bucket = bucketOf(account, input);
    if (!bucket.policy) throw awsError('NoSuchBucketPolicy', 404, `The bucket policy does not exist: ${bucket.name}`);
    return { Policy: bucket.policy };
  },
  GetBucketTagging: (input, { account }) => {
    const bucket = bucketOf(account, input);
    if (!bucket.tags || Object.keys(bucket.tags).length === 0) throw awsError('NoSuchTagSet', 404, `The TagSet does not exist: ${bucket.name}`);
    return { TagSet: Object.entries(bucket.tags).map(([Key, Value]) => ({ Key, Value })) };
  },
};
