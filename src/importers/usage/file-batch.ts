import type { UsageStatement } from '../../model/index.js';
import type { CloudTrailEvent } from './cloudtrail-event.js';
import { toStatement, type DropReason, type StatementEnv } from './statements.js';

/**
 * What one log file made, in a form that crosses from a log parsing worker to the main thread
 * cheaply: a column per statement field (typed arrays are copied as one block) and each distinct
 * string or data object list once per file. Object graphs of a million statements would cost the
 * main thread more to receive than to build.
 *
 * The duplicate check needs every event id of the run, so it stays on the main thread: a batch
 * holds, in file order, every event that reached that check (`ids`), with what it made; the
 * events dropped before it are only counted (`dropped`).
 */
export interface FileBatch {
  /** Records in the file, whatever they are. */
  records: number;
  /** Events dropped before the duplicate check, by reason. */
  dropped: Partial<Record<DropReason, number>>;
  ids: string[];
  /** Per id: STATEMENT, UNKNOWN_PERMISSION or NO_DATA_OBJECT. */
  kind: Uint8Array;
  /** Per id: index in `strings` of the event name (UNKNOWN_PERMISSION), of the user and of the role and of the status (-1: none). */
  eventName: Int32Array;
  user: Int32Array;
  role: Int32Array;
  status: Int32Array;
  /**
   * Per id: its one data object, as indexes in `strings` of its full name and type and in
   * `permissions` of the permission used; -1 when the statement has several (then see accessedAt).
   */
  objectName: Int32Array;
  objectType: Int32Array;
  permission: Int32Array;
  /** Per id: index in `accessed` of the data objects of a statement that has several; else -1. */
  accessedAt: Int32Array;
  success: Uint8Array;
  startTime: Float64Array;
  /** NaN: the event says nothing of bytes. */
  bytes: Float64Array;
  strings: string[];
  permissions: Omit<AccessedDataObject, 'dataObject'>[];
  accessed: AccessedDataObject[][];
}

type AccessedDataObject = UsageStatement['accessedDataObjects'][number];

export const STATEMENT = 0;
export const UNKNOWN_PERMISSION = 1;
export const NO_DATA_OBJECT = 2;

/** The part of StatementEnv that maps one event; the duplicate check is the main thread's. */
export type MappingEnv = Omit<StatementEnv, 'firstSeen'>;

/** Interns values to their index in a list. */
class Interned<T> {
  readonly list: T[] = [];
  private readonly index = new Map<string, number>();

  at(key: string, value: T): number {
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.list.push(value) - 1;
      this.index.set(key, i);
    }
    return i;
  }
}

const accessedKey = (accessed: AccessedDataObject[]) =>
  accessed.map((a) => `${a.dataObject.type}\t${a.dataObject.fullName}\t${a.permissions.join(',')}\t${a.globalPermission}`).join('\n');

/** Maps the events of one log file (see toStatement) into a batch. */
export function batchOf(records: CloudTrailEvent[], mapping: MappingEnv): FileBatch {
  const n = records.length;
  const batch: FileBatch = {
    records: n,
    dropped: {},
    ids: [],
    kind: new Uint8Array(n),
    eventName: new Int32Array(n),
    user: new Int32Array(n),
    role: new Int32Array(n),
    status: new Int32Array(n),
    objectName: new Int32Array(n),
    objectType: new Int32Array(n),
    permission: new Int32Array(n),
    accessedAt: new Int32Array(n),
    success: new Uint8Array(n),
    startTime: new Float64Array(n),
    bytes: new Float64Array(n),
    strings: [],
    permissions: [],
    accessed: [],
  };
  const strings = new Interned<string>();
  const permissions = new Interned<Omit<AccessedDataObject, 'dataObject'>>();
  const accessed = new Interned<AccessedDataObject[]>();
  const text = (value: string | undefined) => (value === undefined ? -1 : strings.at(value, value));
  // toStatement asks firstSeen only once an event has passed the checks before the duplicate check.
  let reached = false;
  const env: StatementEnv = {
    ...mapping,
    firstSeen: () => {
      reached = true;
      return true;
    },
  };
  for (const event of records) {
    reached = false;
    const made = toStatement(event, env);
    if (!reached) {
      const reason = made as DropReason;
      batch.dropped[reason] = (batch.dropped[reason] ?? 0) + 1;
      continue;
    }
    const i = batch.ids.push(event.eventID!) - 1;
    batch.user[i] = batch.role[i] = batch.status[i] = batch.eventName[i] = batch.objectName[i] = batch.objectType[i] = batch.permission[i] = batch.accessedAt[i] = -1;
    if (made === 'unknown-permission') {
      batch.kind[i] = UNKNOWN_PERMISSION;
      batch.eventName[i] = text(event.eventName);
    } else if (typeof made === 'string') {
      batch.kind[i] = NO_DATA_OBJECT;
    } else {
      batch.kind[i] = STATEMENT;
      const objects = made.accessedDataObjects;
      if (objects.length === 1) {
        const { dataObject, permissions: used, globalPermission } = objects[0]!;
        batch.objectName[i] = text(dataObject.fullName);
        batch.objectType[i] = text(dataObject.type);
        batch.permission[i] = permissions.at(`${used.join(',')}\t${globalPermission}`, { permissions: used, globalPermission });
      } else batch.accessedAt[i] = accessed.at(accessedKey(objects), objects);
      batch.success[i] = made.success ? 1 : 0;
      batch.startTime[i] = made.startTime;
      batch.user[i] = text(made.user);
      batch.role[i] = text(made.role);
      batch.status[i] = text(made.status);
      batch.bytes[i] = made.bytes ?? Number.NaN;
    }
  }
  batch.strings = strings.list;
  batch.permissions = permissions.list;
  batch.accessed = accessed.list;
  return trimmed(batch);
}

/** The columns cut to the events that reached the duplicate check (a message copies a typed array's whole buffer). */
function trimmed(batch: FileBatch): FileBatch {
  const n = batch.ids.length;
  if (n === batch.records) return batch;
  return {
    ...batch,
    kind: batch.kind.slice(0, n),
    eventName: batch.eventName.slice(0, n),
    user: batch.user.slice(0, n),
    role: batch.role.slice(0, n),
    status: batch.status.slice(0, n),
    objectName: batch.objectName.slice(0, n),
    objectType: batch.objectType.slice(0, n),
    permission: batch.permission.slice(0, n),
    accessedAt: batch.accessedAt.slice(0, n),
    success: batch.success.slice(0, n),
    startTime: batch.startTime.slice(0, n),
    bytes: batch.bytes.slice(0, n),
  };
}

/** The statement of id `i` of a batch whose kind is STATEMENT: the same object toStatement made, fields in the same order. */
export function statementAt(batch: FileBatch, i: number): UsageStatement {
  const { strings } = batch;
  let accessed: AccessedDataObject[];
  if (batch.accessedAt[i]! >= 0) accessed = batch.accessed[batch.accessedAt[i]!]!;
  else {
    const used = batch.permissions[batch.permission[i]!]!;
    accessed = [{ dataObject: { fullName: strings[batch.objectName[i]!]!, type: strings[batch.objectType[i]!]! }, permissions: used.permissions, globalPermission: used.globalPermission }];
  }
  const statement: UsageStatement = { externalId: batch.ids[i]!, accessedDataObjects: accessed, success: batch.success[i] === 1, startTime: batch.startTime[i]! };
  if (batch.user[i]! >= 0) statement.user = strings[batch.user[i]!];
  if (batch.role[i]! >= 0) statement.role = strings[batch.role[i]!];
  if (batch.status[i]! >= 0) statement.status = strings[batch.status[i]!];
  if (!Number.isNaN(batch.bytes[i]!)) statement.bytes = batch.bytes[i]!;
  return statement;
}
