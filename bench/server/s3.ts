import { findObject } from '../../src/demo/fake-aws/s3.js';
import { fakeServices } from '../../src/demo/fake-aws/services.js';
import type { FakeAccount } from '../../src/demo/fake-aws/types.js';
import { asFakeError, xmlDate, xmlEscape, xmlUnescape, type FakeError, type WireRequest, type WireResponse } from './wire.js';

// S3 and S3 Control speak restXml: the operation is in the method, path and query; the answer is
// an XML document per operation (no generic shape), so each one the connector calls is written here.

const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const CONTROL_NS = 'http://awss3control.amazonaws.com/doc/2018-08-20/';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';

const el = (name: string, value: string | number | boolean | undefined): string => (value === undefined ? '' : `<${name}>${typeof value === 'string' ? xmlEscape(value) : String(value)}</${name}>`);

interface ObjectEntry {
  Key: string;
  Size: number;
  LastModified: Date;
  StorageClass: string;
}

const hex8 = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');

/**
 * A stable 32-hex-digit ETag per key, as S3 sends one for every object (the SDK parses it, so the
 * bench must send it); an FNV-1a hash, not MD5, so the endpoint spends little CPU on it.
 */
function etag(key: string, size: number): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return `&quot;${hex8(h)}${hex8(h ^ 0x9e3779b9)}${hex8(Math.imul(h, 31) ^ size)}${hex8(size)}&quot;`;
}

function listObjectsXml(out: Record<string, unknown>): string {
  const contents = (out.Contents as ObjectEntry[] | undefined) ?? [];
  const prefixes = (out.CommonPrefixes as { Prefix: string }[] | undefined) ?? [];
  let xml = `${XML_HEAD}<ListBucketResult xmlns="${S3_NS}">${el('Name', out.Name as string)}${el('Prefix', (out.Prefix as string) ?? '')}`;
  xml += `${el('StartAfter', out.StartAfter as string | undefined)}${el('ContinuationToken', out.ContinuationToken as string | undefined)}`;
  xml += `${el('NextContinuationToken', out.NextContinuationToken as string | undefined)}${el('KeyCount', out.KeyCount as number)}${el('MaxKeys', out.MaxKeys as number)}`;
  xml += `${el('Delimiter', out.Delimiter as string | undefined)}${el('IsTruncated', out.IsTruncated as boolean)}`;
  for (const o of contents) {
    xml += `<Contents><Key>${xmlEscape(o.Key)}</Key><LastModified>${xmlDate(o.LastModified)}</LastModified><ETag>${etag(o.Key, o.Size)}</ETag>`;
    xml += `<ChecksumAlgorithm>CRC64NVME</ChecksumAlgorithm><ChecksumType>FULL_OBJECT</ChecksumType><Size>${o.Size}</Size><StorageClass>${o.StorageClass}</StorageClass></Contents>`;
  }
  for (const p of prefixes) xml += `<CommonPrefixes><Prefix>${xmlEscape(p.Prefix)}</Prefix></CommonPrefixes>`;
  return `${xml}</ListBucketResult>`;
}

function listBucketsXml(out: Record<string, unknown>): string {
  const owner = out.Owner as { ID: string; DisplayName: string };
  const buckets = out.Buckets as { Name: string; CreationDate: Date; BucketRegion: string }[];
  let xml = `${XML_HEAD}<ListAllMyBucketsResult xmlns="${S3_NS}"><Owner>${el('ID', owner.ID)}${el('DisplayName', owner.DisplayName)}</Owner><Buckets>`;
  for (const b of buckets) xml += `<Bucket>${el('Name', b.Name)}<CreationDate>${xmlDate(b.CreationDate)}</CreationDate>${el('BucketRegion', b.BucketRegion)}</Bucket>`;
  return `${xml}</Buckets>${el('ContinuationToken', out.ContinuationToken as string | undefined)}${el('Prefix', out.Prefix as string | undefined)}</ListAllMyBucketsResult>`;
}

function xmlAnswer(operation: string, body: string, headers: Record<string, string> = {}): WireResponse {
  return { operation, status: 200, headers: { 'content-type': 'application/xml', ...headers }, body };
}

/** S3's error document (not wrapped in <ErrorResponse>); HEAD answers carry no body. */
function s3Error(operation: string, err: FakeError, method: string): WireResponse {
  const body = method === 'HEAD' ? '' : `${XML_HEAD}<Error>${el('Code', err.name)}${el('Message', err.message)}<RequestId>bench</RequestId></Error>`;
  return { operation, status: err.status, headers: { 'content-type': 'application/xml' }, body };
}

const num = (v: string | null): number | undefined => (v === null ? undefined : Number(v));
const str = (v: string | null): string | undefined => v ?? undefined;

/** Which S3 operation a path-style request is, and its input as the fake handlers take it. */
function s3Route(req: WireRequest): { operation: string; input: Record<string, unknown> } {
  const url = new URL(req.url, 'http://bench');
  const q = url.searchParams;
  const [bucket, ...rest] = url.pathname.slice(1).split('/');
  const key = rest.join('/') !== '' ? decodeURIComponent(rest.join('/')) : undefined;
  if (!bucket) {
    return { operation: 'ListBuckets', input: { MaxBuckets: num(q.get('max-buckets')), ContinuationToken: str(q.get('continuation-token')), Prefix: str(q.get('prefix')), BucketRegion: str(q.get('bucket-region')) } };
  }
  const Bucket = decodeURIComponent(bucket);
  if (key !== undefined) return { operation: req.method === 'HEAD' ? 'HeadObject' : 'GetObject', input: { Bucket, Key: key } };
  if (req.method === 'HEAD') return { operation: 'HeadBucket', input: { Bucket } };
  if (q.has('location')) return { operation: 'GetBucketLocation', input: { Bucket } };
  if (q.has('policy')) return { operation: 'GetBucketPolicy', input: { Bucket } };
  if (q.has('tagging')) return { operation: 'GetBucketTagging', input: { Bucket } };
  if (q.get('list-type') === '2') {
    return {
      operation: 'ListObjectsV2',
      input: { Bucket, Prefix: str(q.get('prefix')), Delimiter: str(q.get('delimiter')), StartAfter: str(q.get('start-after')), ContinuationToken: str(q.get('continuation-token')), MaxKeys: num(q.get('max-keys')) },
    };
  }
  return { operation: `Unknown(${req.method} ${url.pathname}?${q.toString()})`, input: {} };
}

/** Answers one S3 request (path-style, as the connector sends them with aws-endpoint-url). */
export function answerS3(req: WireRequest, account: FakeAccount, region: string): WireResponse {
  const { operation, input } = s3Route(req);
  const name = `S3.${operation}`;
  const handler = fakeServices.S3?.[operation];
  if (!handler) return s3Error(name, { name: 'NotImplemented', message: `the bench endpoint does not answer ${operation}`, status: 501 }, req.method);
  let out: Record<string, unknown>;
  try {
    out = handler(input, { account, region }) as Record<string, unknown>;
  } catch (err) {
    return s3Error(name, asFakeError(err), req.method);
  }
  switch (operation) {
    case 'ListObjectsV2':
      return xmlAnswer(name, listObjectsXml(out));
    case 'ListBuckets':
      return xmlAnswer(name, listBucketsXml(out));
    case 'GetBucketLocation':
      return xmlAnswer(name, `${XML_HEAD}<LocationConstraint xmlns="${S3_NS}">${xmlEscape((out.LocationConstraint as string | undefined) ?? '')}</LocationConstraint>`);
    case 'HeadBucket':
      return { operation: name, status: 200, headers: { 'x-amz-bucket-region': out.BucketRegion as string }, body: '' };
    case 'GetBucketPolicy':
      return { operation: name, status: 200, headers: { 'content-type': 'application/json' }, body: out.Policy as string };
    case 'GetBucketTagging': {
      const tags = (out.TagSet as { Key: string; Value: string }[]).map((t) => `<Tag>${el('Key', t.Key)}${el('Value', t.Value)}</Tag>`).join('');
      return xmlAnswer(name, `${XML_HEAD}<Tagging xmlns="${S3_NS}"><TagSet>${tags}</TagSet></Tagging>`);
    }
    case 'GetObject': {
      const body = objectBody(account, input);
      return { operation: name, status: 200, headers: { 'content-type': 'application/octet-stream', 'last-modified': (out.LastModified as Date).toUTCString() }, body };
    }
    default:
      return s3Error(name, { name: 'NotImplemented', message: `the bench endpoint does not render ${operation}`, status: 501 }, req.method);
  }
}

/** The stored bytes of an object (CloudTrail log files are gzip bodies), without the stream the fake wraps them in. */
function objectBody(account: FakeAccount, input: Record<string, unknown>): Uint8Array {
  const bucket = account.s3.buckets.find((b) => b.name === input.Bucket)!;
  return findObject(bucket, String(input.Key)).body;
}

/** The text of the first <name> element of a request body. */
function bodyElement(body: string, name: string): string | undefined {
  const match = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(body);
  return match ? xmlUnescape(match[1]!) : undefined;
}

/** Tags as S3 Control writes and reads them: <Tag><Key/><Value/></Tag>. */
const tagsXml = (tags: { Key: string; Value: string }[]): string => tags.map((t) => `<Tag>${el('Key', t.Key)}${el('Value', t.Value)}</Tag>`).join('');

/** S3 Control's writes (the export's access points) and ListTagsForResource, answered by the fake's handlers, which keep the state. */
function answerS3ControlWrite(req: WireRequest, account: FakeAccount, region: string, parts: string[]): WireResponse | undefined {
  const name = parts[2] ? decodeURIComponent(parts[2]) : undefined;
  const call = (operation: string, input: Record<string, unknown>, render: (out: Record<string, unknown>) => string): WireResponse => {
    const op = `S3Control.${operation}`;
    try {
      const out = fakeServices.S3Control![operation]!(input, { account, region }) as Record<string, unknown>;
      return xmlAnswer(op, render(out));
    } catch (err) {
      const e = asFakeError(err);
      return { operation: op, status: e.status, headers: { 'content-type': 'application/xml' }, body: `${XML_HEAD}<Error>${el('Code', e.name)}${el('Message', e.message)}<RequestId>bench</RequestId></Error>` };
    }
  };
  if (parts[1] === 'tags' && req.method === 'GET' && name) {
    // The ARN is a greedy label: its slashes come as they are.
    return call('ListTagsForResource', { ResourceArn: decodeURIComponent(parts.slice(2).join('/')) }, (out) => `${XML_HEAD}<ListTagsForResourceResult xmlns="${CONTROL_NS}"><Tags>${tagsXml(out.Tags as { Key: string; Value: string }[])}</Tags></ListTagsForResourceResult>`);
  }
  if (parts[1] !== 'accesspoint' || !name) return undefined;
  const policy = parts[3] === 'policy';
  if (req.method === 'PUT' && !policy) {
    const tags = [...req.body.matchAll(/<Tag>([\s\S]*?)<\/Tag>/g)].map((m) => ({ Key: bodyElement(m[1]!, 'Key') ?? '', Value: bodyElement(m[1]!, 'Value') ?? '' }));
    return call('CreateAccessPoint', { Name: name, Bucket: bodyElement(req.body, 'Bucket'), Tags: tags }, (out) => `${XML_HEAD}<CreateAccessPointResult xmlns="${CONTROL_NS}">${el('AccessPointArn', out.AccessPointArn as string)}</CreateAccessPointResult>`);
  }
  if (req.method === 'PUT' && policy) return call('PutAccessPointPolicy', { Name: name, Policy: bodyElement(req.body, 'Policy') }, () => '');
  if (req.method === 'DELETE' && policy) return call('DeleteAccessPointPolicy', { Name: name }, () => '');
  if (req.method === 'DELETE') return call('DeleteAccessPoint', { Name: name }, () => '');
  return undefined;
}

/** S3 Control: GET /v20180820/accesspoint (ListAccessPoints) and /v20180820/accesspoint/<name>/policy, and the writes above. */
export function answerS3Control(req: WireRequest, account: FakeAccount, region: string): WireResponse {
  const url = new URL(req.url, 'http://bench');
  const q = url.searchParams;
  const parts = url.pathname.split('/').filter(Boolean);
  const write = req.method !== 'GET' || parts[1] === 'tags' ? answerS3ControlWrite(req, account, region, parts) : undefined;
  if (write) return write;
  const controlError = (operation: string, err: FakeError): WireResponse => ({
    operation,
    status: err.status,
    headers: { 'content-type': 'application/xml' },
    body: `${XML_HEAD}<Error>${el('Code', err.name)}${el('Message', err.message)}<RequestId>bench</RequestId></Error>`,
  });
  if (req.method === 'GET' && parts.length === 2 && parts[1] === 'accesspoint') {
    const name = 'S3Control.ListAccessPoints';
    try {
      const out = fakeServices.S3Control!.ListAccessPoints!({ Bucket: str(q.get('bucket')), NextToken: str(q.get('nextToken')), MaxResults: num(q.get('maxResults')) }, { account, region }) as {
        AccessPointList: Record<string, string>[];
        NextToken?: string;
      };
      const list = out.AccessPointList.map((ap) => `<AccessPoint>${['Name', 'NetworkOrigin', 'Bucket', 'AccessPointArn', 'Alias', 'BucketAccountId'].map((k) => el(k, ap[k])).join('')}</AccessPoint>`).join('');
      return xmlAnswer(name, `${XML_HEAD}<ListAccessPointsResult xmlns="${CONTROL_NS}"><AccessPointList>${list}</AccessPointList>${el('NextToken', out.NextToken)}</ListAccessPointsResult>`);
    } catch (err) {
      return controlError(name, asFakeError(err));
    }
  }
  if (req.method === 'GET' && parts.length === 4 && parts[1] === 'accesspoint' && parts[3] === 'policy') {
    const name = 'S3Control.GetAccessPointPolicy';
    try {
      const out = fakeServices.S3Control!.GetAccessPointPolicy!({ Name: decodeURIComponent(parts[2]!) }, { account, region }) as { Policy: string };
      return xmlAnswer(name, `${XML_HEAD}<GetAccessPointPolicyResult xmlns="${CONTROL_NS}">${el('Policy', out.Policy)}</GetAccessPointPolicyResult>`);
    } catch (err) {
      return controlError(name, asFakeError(err));
    }
  }
  return controlError(`S3Control.Unknown(${req.method} ${url.pathname})`, { name: 'NotImplemented', message: 'the bench endpoint does not answer this S3 Control call', status: 501 });
}
