/** One request as the bench endpoint sees it: enough to route it and to replay it later for the CPU floor. */
export interface WireRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** One answer in the wire format of the called service. */
export interface WireResponse {
  /** `<Service>.<Operation>` as the connector counts calls (S3.ListObjectsV2, IAM.GetAccountAuthorizationDetails). */
  operation: string;
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

/** An error a fake handler threw: the SDK-shaped error of src/demo/fake-aws/errors.ts. */
export interface FakeError {
  name: string;
  message: string;
  status: number;
}

export function asFakeError(err: unknown): FakeError {
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  if (e?.$metadata?.httpStatusCode === undefined) throw err;
  return { name: e.name ?? 'InternalError', message: e.message ?? '', status: e.$metadata.httpStatusCode };
}

/** The text of XML elements as written by xmlEscape, back. */
export function xmlUnescape(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e]!);
}

export function xmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Dates as the XML protocols send them (ISO 8601 with milliseconds, UTC). */
export const xmlDate = (d: Date): string => d.toISOString();

/** A value of an SDK output shape as awsQuery XML: lists as <member>, blobs as base64, dates as ISO 8601. */
export function queryXml(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (value instanceof Date) return xmlDate(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map((item) => `<member>${queryXml(item)}</member>`).join('');
  if (typeof value === 'object') {
    let out = '';
    for (const [key, v] of Object.entries(value)) {
      if (v === undefined || key === '$metadata') continue;
      out += `<${key}>${queryXml(v)}</${key}>`;
    }
    return out;
  }
  return xmlEscape(String(value));
}

/**
 * An awsQuery form body as the input object the fake handlers take:
 * `Filter.member.1=User` → `{ Filter: ['User'] }`, `Tags.member.1.Key=k` → `{ Tags: [{ Key: 'k' }] }`.
 */
export function queryInput(form: URLSearchParams): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [name, value] of form) {
    if (name === 'Action' || name === 'Version') continue;
    const parts = name.split('.');
    let node: Record<string, unknown> | unknown[] = root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const last = i === parts.length - 1;
      if (part === 'member' && !last) {
        // `member.N`: the next part is the 1-based index into the list that `node` already is.
        continue;
      }
      const isIndex = /^\d+$/.test(part) && parts[i - 1] === 'member';
      const key: string | number = isIndex ? Number(part) - 1 : part;
      const nextIsList = parts[i + 1] === 'member';
      const container = node as Record<string | number, unknown>;
      if (last) {
        // Booleans travel as words (SetAsDefault=true); the handlers take them as booleans.
        container[key] = value === 'true' ? true : value === 'false' ? false : value;
      } else {
        container[key] ??= nextIsList ? [] : {};
        node = container[key] as Record<string, unknown> | unknown[];
      }
    }
  }
  return root;
}

/** An SDK output shape as awsJson1_1: dates as epoch seconds, blobs as base64. */
export function awsJson(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v: unknown) {
    const raw = this[key];
    if (raw instanceof Date) return raw.getTime() / 1000;
    if (raw instanceof Uint8Array) return Buffer.from(raw).toString('base64');
    if (key === '$metadata') return undefined;
    return v;
  });
}

/** The service name the request was signed for (`s3`, `iam`, `sts`, `glue`, `sso`, ...) and the region, from SigV4's credential scope. */
export function signingScope(headers: Record<string, string>): { service: string; region: string } {
  const match = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(headers.authorization ?? '');
  if (!match) throw new Error(`bench endpoint: request without a SigV4 Authorization header (${headers.authorization ?? 'none'})`);
  return { region: match[1]!, service: match[2]! };
}
