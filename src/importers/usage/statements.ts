import type { DataObjectReference, UsageStatement } from '../../model/index.js';
import { attribute } from './attribution.js';
import type { CloudTrailEvent } from './cloudtrail-event.js';
import type { DataObjectResolver } from './data-objects.js';
import type { EventPermissions } from './permissions.js';

/** Why an S3 event made no statement, counted for the end-of-sync log line. */
export type DropReason = 'not-s3-data' | 'no-event-id' | 'duplicate' | 'trail-bucket' | 'unknown-permission' | 'no-data-object' | 'other-account';

export interface StatementEnv {
  account: string;
  trailBucket: string;
  resolver: DataObjectResolver;
  permissions: EventPermissions;
  /** True the first time an event id is seen in this run. */
  firstSeen(eventId: string): boolean;
}

const S3_ARN = /^arn:[\w-]+:s3:::([^/]+)(?:\/(.*))?$/s;

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
    const m = resource.ARN ? S3_ARN.exec(resource.ARN) : null;
    if (!m) continue;
    if (resource.type === 'AWS::S3::Object' && m[2] !== undefined) objects.push({ bucket: m[1]!, key: m[2] });
    else if (resource.type === 'AWS::S3::Bucket') buckets.push({ bucket: m[1]! });
  }
  if (objects.length > 0) return objects;
  if (buckets.length > 0) return buckets;
  return foreign ? 'other-account' : [];
}

/**
 * One usage statement for one S3 data event: the data objects it touched with the permission it
 * used, who did it, whether it succeeded, when, and the bytes moved. Returns why not otherwise.
 */
export function toStatement(event: CloudTrailEvent, env: StatementEnv): UsageStatement | DropReason {
  if (event.eventSource !== 's3.amazonaws.com' || event.eventCategory === 'Management' || event.managementEvent === true) return 'not-s3-data';
  if (!event.resources?.some((r) => r.type === 'AWS::S3::Object' || r.type === 'AWS::S3::Bucket')) return 'not-s3-data';
  const startTime = event.eventTime ? Date.parse(event.eventTime) : Number.NaN;
  if (!event.eventID || !event.eventName || Number.isNaN(startTime)) return 'no-event-id';
  const touched = targets(event, env.account);
  if (touched === 'other-account') return 'other-account';
  if (touched.length > 0 && touched.every((t) => t.bucket === env.trailBucket)) return 'trail-bucket';
  if (!env.firstSeen(event.eventID)) return 'duplicate';
  const permission = env.permissions.of(event.eventName);
  if (!permission) return 'unknown-permission';

  const seen = new Set<string>();
  const dataObjects: DataObjectReference[] = [];
  for (const { bucket, key } of touched) {
    if (bucket === env.trailBucket) continue;
    const found = env.resolver.resolve(bucket, key, event.awsRegion);
    if (found && !seen.has(found.fullName)) {
      seen.add(found.fullName);
      dataObjects.push(found);
    }
  }
  if (dataObjects.length === 0) return 'no-data-object';

  const statement: UsageStatement = {
    externalId: event.eventID,
    accessedDataObjects: dataObjects.map((dataObject) => ({ dataObject, permissions: [permission.permission], globalPermission: permission.globalPermission })),
    ...attribute(event.userIdentity, env.account),
    success: event.errorCode === undefined,
    startTime,
  };
  if (event.errorCode !== undefined) statement.status = event.errorMessage ? `${event.errorCode}: ${event.errorMessage}` : event.errorCode;
  const data = event.additionalEventData;
  if (data && (data.bytesTransferredIn !== undefined || data.bytesTransferredOut !== undefined)) {
    statement.bytes = Math.round(number(data.bytesTransferredIn) + number(data.bytesTransferredOut));
  }
  return statement;
}
