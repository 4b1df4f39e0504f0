import { gunzipSync } from 'node:zlib';
import type { CloudTrailEvent, CloudTrailResource, CloudTrailUserIdentity } from './cloudtrail-event.js';
import { gunzipChunkSize, parseLogFile } from './log-text.js';
import { isS3DataEvent } from './statements.js';

/**
 * The work of the log parsing worker (parse-worker.ts), in a plain module so that it is tested in
 * the test process: a gzip log file in, its S3 data events out as a compact JSON text that holds
 * only the fields usage reads, and each distinct identity once per file (a file's events come from a
 * few sessions). The main thread then parses about a quarter of the text it would otherwise
 * parse, and the gunzip, the UTF-8 decoding and the big JSON.parse run on another core.
 */

/** A log file as the worker hands it back. */
export interface ProjectedLog {
  /** How many records the file holds (the events of other services included). */
  records: number;
  /** JSON of a CompactLog: the file's S3 data events, each with only the fields usage reads (see projectEvent). */
  events: string;
}

/** A projected event whose identity is `identities[identity]` of its file. */
type CompactEvent = Omit<CloudTrailEvent, 'userIdentity'> & { identity?: number; userIdentity?: CloudTrailEvent['userIdentity'] };

interface CompactLog {
  identities: CloudTrailEvent['userIdentity'][];
  events: CompactEvent[];
}

/** A failure of the worker, sent as plain data and made an error again on the main thread (see reviveError). */
export interface ParseFailure {
  name: string;
  message: string;
  code?: string;
}

/** Gunzips and parses a log file and keeps its S3 data events' usage fields. Throws as parseLogFile and zlib do. */
export function projectLogFile(gz: Uint8Array): ProjectedLog {
  const text = gunzipSync(gz, { chunkSize: gunzipChunkSize(gz) }).toString('utf8');
  const records = parseLogFile(text);
  const identities: CloudTrailEvent['userIdentity'][] = [];
  const seen = new Map<string, number>();
  const events: CompactEvent[] = [];
  for (const event of records) {
    if (!isS3DataEvent(event)) continue;
    const projected: CompactEvent = projectEvent(event);
    if (isObject(projected.userIdentity)) {
      const key = JSON.stringify(projected.userIdentity);
      let index = seen.get(key);
      if (index === undefined) {
        index = identities.push(projected.userIdentity) - 1;
        seen.set(key, index);
      }
      projected.userIdentity = undefined;
      projected.identity = index;
    }
    events.push(projected);
  }
  const compact: CompactLog = { identities, events };
  return { records: records.length, events: JSON.stringify(compact) };
}

/** The events of a projected log file's JSON; events of one identity share its object (nothing changes them). */
export function projectedEvents(json: string): CloudTrailEvent[] {
  const { identities, events } = JSON.parse(json) as CompactLog;
  for (const event of events) if (event.identity !== undefined) event.userIdentity = identities[event.identity];
  return events as CloudTrailEvent[];
}

/** A JSON object (odd records may hold anything where an object is expected: those values are kept as they are). */
const isObject = <T extends object>(value: T | null | undefined): value is T => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The fields toStatement and attribution read, with their values as they are (JSON.stringify
 * leaves out the undefined ones): what the statement says is the same as from the whole event.
 */
export function projectEvent(event: CloudTrailEvent): CloudTrailEvent {
  const data = event.additionalEventData;
  const resources = event.resources;
  return {
    eventID: event.eventID,
    eventTime: event.eventTime,
    eventSource: event.eventSource,
    eventName: event.eventName,
    eventCategory: event.eventCategory,
    managementEvent: event.managementEvent,
    awsRegion: event.awsRegion,
    errorCode: event.errorCode,
    errorMessage: event.errorMessage,
    userIdentity: isObject(event.userIdentity) ? projectIdentity(event.userIdentity) : event.userIdentity,
    resources: Array.isArray(resources) ? resources.map(projectResource) : resources,
    additionalEventData: isObject(data) ? { bytesTransferredIn: data.bytesTransferredIn, bytesTransferredOut: data.bytesTransferredOut } : data,
  };
}

function projectResource(resource: CloudTrailResource): CloudTrailResource {
  return isObject(resource) ? { type: resource.type, ARN: resource.ARN, accountId: resource.accountId } : resource;
}

function projectIdentity(identity: CloudTrailUserIdentity): CloudTrailUserIdentity {
  const session = identity.sessionContext;
  const issuer = isObject(session) ? session.sessionIssuer : undefined;
  return {
    type: identity.type,
    principalId: identity.principalId,
    arn: identity.arn,
    accountId: identity.accountId,
    userName: identity.userName,
    invokedBy: identity.invokedBy,
    sessionContext: isObject(session)
      ? { sessionIssuer: isObject(issuer) ? { userName: issuer.userName, arn: issuer.arn, accountId: issuer.accountId } : issuer, sourceIdentity: session.sourceIdentity }
      : session,
    onBehalfOf: isObject(identity.onBehalfOf) ? { userId: identity.onBehalfOf.userId } : identity.onBehalfOf,
  };
}

/** An error as plain data, for postMessage: its kind (SyntaxError, a zlib `Z_` code) decides the warning. */
export function failureOf(err: unknown): ParseFailure {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const code = (err as { code?: unknown }).code;
  return { name: err.name, message: err.message, ...(typeof code === 'string' ? { code } : {}) };
}

/** The error a ParseFailure stood for, so that unreadableReason words it as in the thread that threw it. */
export function reviveError(failure: ParseFailure): Error {
  const err = failure.name === 'SyntaxError' ? new SyntaxError(failure.message) : new Error(failure.message);
  if (failure.code !== undefined) Object.assign(err, { code: failure.code });
  return err;
}

/** What the main thread posts to the worker: one downloaded log file, still gzipped. */
export interface ParseRequest {
  id: number;
  gz: Uint8Array;
}

/** What the worker posts back for one request. */
export type ParseResponse = ({ ok: true } & ProjectedLog & { id: number }) | { id: number; ok: false; failure: ParseFailure };

/** The worker's answer to one request (parse-worker.ts only posts it): never throws. */
export function answer(request: ParseRequest): ParseResponse {
  try {
    return { id: request.id, ok: true, ...projectLogFile(request.gz) };
  } catch (err) {
    return { id: request.id, ok: false, failure: failureOf(err) };
  }
}
