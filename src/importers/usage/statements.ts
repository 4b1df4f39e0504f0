import type { UsageStatement } from '../../model/index.js';
import type { Attribution } from './attribution.js';
import type { CloudTrailEvent } from './cloudtrail-event.js';
import type { DataObjectResolver } from './resolvers.js';
import type { EventPermissions } from './permissions.js';

/** Why an S3 event made no statement, counted for the end-of-sync log line. */
export type DropReason = 'not-s3-data' | 'no-event-id' | 'duplicate' | 'trail-bucket' | 'unknown-permission' | 'no-data-object' | 'other-account';

export interface StatementEnv {
  account: string;
  trailBucket: string;
  resolver: DataObjectResolver;
  permissions: EventPermissions;
  /** Who an event is attributed to (see attribution.ts); `cachedAttribution(account)` in a run. */
  attribute(identity: CloudTrailEvent['userIdentity']): Attribution;
  /** True the first time an event id is seen in this run. */
  firstSeen(eventId: string): boolean;
}

/** `arn:<partition>:s3:::<bucket>[/<key>]` -> bucket and key (key undefined for a bucket ARN); undefined otherwise. */
export function parseS3Arn(arn: string): { bucket: string; key?: string } | undefined {
  const at = arn.indexOf(':s3:::');
  if (!arn.startsWith('arn:') || at < 0) return undefined;
  const rest = arn.slice(at + 6);
  const slash = rest.indexOf('/');
  if (slash < 0) return rest ? { bucket: rest } : undefined;
  return slash > 0 ? { bucket: rest.slice(0, slash), key: rest.slice(slash + 1) } : undefined;
}

/** The number of `length` decimal digits at `from`; -1 when one is not a digit. */
function digits(text: string, from: number, length: number): number {
  let value = 0;
  for (let i = from; i < from + length; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/**
 * An event time in ms since the epoch. CloudTrail writes `YYYY-MM-DDTHH:MM:SSZ`: read from the
 * char codes, which is several times cheaper than Date.parse and runs once per event; any other
 * form (and any out-of-range field) goes to Date.parse, so the result is always Date.parse's.
 */
export function eventTimeMs(text: string): number {
  if (text.length === 20 && text.charCodeAt(4) === 0x2d && text.charCodeAt(7) === 0x2d && text.charCodeAt(10) === 0x54 && text.charCodeAt(13) === 0x3a && text.charCodeAt(16) === 0x3a && text.charCodeAt(19) === 0x5a) {
    const year = digits(text, 0, 4);
    const month = digits(text, 5, 2);
    const day = digits(text, 8, 2);
    const hour = digits(text, 11, 2);
    const minute = digits(text, 14, 2);
    const second = digits(text, 17, 2);
    // Date.UTC reads years below 100 as 19xx: those, like any field out of range, are left to Date.parse.
    if (year >= 1000 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59) {
      return Date.UTC(year, month - 1, day, hour, minute, second);
    }
  }
  return Date.parse(text);
}

function number(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/** Bucket and key of the event's objects; the bucket alone for bucket-level events (ListObjects, HeadBucket). */
function targets(event: CloudTrailEvent, account: string): { bucket: string; key?: string }[] | 'other-account' {
  const objects: { bucket: string; key?: string }[] = [];
  const buckets: { bucket: string }[] = [];
  let foreign = false;
  for (const resource of event.resources ?? []) {
    if (resource.accountId !== undefined && resource.accountId !== account) {
      foreign = true;
      continue;
    }
    const arn = resource.ARN ? parseS3Arn(resource.ARN) : undefined;
    if (!arn) continue;
    if (resource.type === 'AWS::S3::Object' && arn.key !== undefined) objects.push(arn);
    else if (resource.type === 'AWS::S3::Bucket') buckets.push({ bucket: arn.bucket });
  }
  if (objects.length > 0) return objects;
  if (buckets.length > 0) return buckets;
  return foreign ? 'other-account' : [];
}

function touchesS3(event: CloudTrailEvent): boolean {
  const resources = event.resources;
  if (!resources) return false;
  for (const r of resources) if (r.type === 'AWS::S3::Object' || r.type === 'AWS::S3::Bucket') return true;
  return false;
}

/**
 * One usage statement for one S3 data event: the data objects it touched with the permission it
 * used, who did it, whether it succeeded, when, and the bytes moved. Returns why not otherwise.
 * Runs once per event: plain loops, no per-event sets or closures.
 */
export function toStatement(event: CloudTrailEvent, env: StatementEnv): UsageStatement | DropReason {
  if (event.eventSource !== 's3.amazonaws.com' || event.eventCategory === 'Management' || event.managementEvent === true || !touchesS3(event)) return 'not-s3-data';
  const startTime = event.eventTime ? eventTimeMs(event.eventTime) : Number.NaN;
  if (!event.eventID || !event.eventName || Number.isNaN(startTime)) return 'no-event-id';
  const touched = targets(event, env.account);
  if (touched === 'other-account') return 'other-account';
  let onTrailBucket = touched.length > 0;
  for (const t of touched) if (t.bucket !== env.trailBucket) onTrailBucket = false;
  if (onTrailBucket) return 'trail-bucket';
  if (!env.firstSeen(event.eventID)) return 'duplicate';
  const permission = env.permissions.of(event.eventName);
  if (!permission) return 'unknown-permission';

  const accessed: UsageStatement['accessedDataObjects'] = [];
  for (const { bucket, key } of touched) {
    if (bucket === env.trailBucket) continue;
    const dataObject = env.resolver.resolve(bucket, key, event.awsRegion);
    if (!dataObject || accessed.some((a) => a.dataObject.fullName === dataObject.fullName)) continue;
    accessed.push({ dataObject, permissions: permission.permissions, globalPermission: permission.globalPermission });
  }
  if (accessed.length === 0) return 'no-data-object';

  const who = env.attribute(event.userIdentity);
  const statement: UsageStatement = { externalId: event.eventID, accessedDataObjects: accessed, success: event.errorCode === undefined, startTime };
  if (who.user !== undefined) statement.user = who.user;
  if (who.role !== undefined) statement.role = who.role;
  if (event.errorCode !== undefined) statement.status = event.errorMessage ? `${event.errorCode}: ${event.errorMessage}` : event.errorCode;
  const data = event.additionalEventData;
  if (data && (data.bytesTransferredIn !== undefined || data.bytesTransferredOut !== undefined)) {
    statement.bytes = Math.round(number(data.bytesTransferredIn) + number(data.bytesTransferredOut));
  }
  return statement;
}
