/**
 * Where CloudTrail puts its log files in the trail bucket:
 * - account trail:      `<prefix>/AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<file>.json.gz`
 * - organisation trail: `<prefix>/AWSLogs/<org-id>/<account>/CloudTrail/<region>/YYYY/MM/DD/<file>.json.gz`
 * with `<file>` = `<account>_CloudTrail_<region>_YYYYMMDDTHHmmZ_<unique>`. The timestamp in the name
 * is when the file was written: every event in it happened before.
 */

/** The folder under which CloudTrail writes (`AWSLogs/` or `<prefix>/AWSLogs/`). */
export function logsRoot(prefix: string): string {
  return prefix === '' ? 'AWSLogs/' : `${prefix}/AWSLogs/`;
}

/** The folder of one account's CloudTrail logs, holding one folder per region. */
export function accountLogsFolder(prefix: string, account: string, orgId?: string): string {
  return `${logsRoot(prefix)}${orgId ? `${orgId}/` : ''}${account}/CloudTrail/`;
}

/** An organisation id as CloudTrail writes it into organisation-trail keys. */
export const ORG_ID = /^o-[a-z0-9]{10,32}$/;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `YYYY/MM/DD/` of a UTC day. */
export function dayFolder(day: Date): string {
  return `${day.getUTCFullYear()}/${pad(day.getUTCMonth() + 1)}/${pad(day.getUTCDate())}/`;
}

/** `YYYYMMDDTHHmmZ`, as in log file names. */
export function fileTimestamp(time: Date): string {
  return `${time.getUTCFullYear()}${pad(time.getUTCMonth() + 1)}${pad(time.getUTCDate())}T${pad(time.getUTCHours())}${pad(time.getUTCMinutes())}Z`;
}

/**
 * The key to list after in a day folder so that only files written at or after `time` come:
 * file names sort by their timestamp within one account, region and day.
 */
export function startAfterKey(dayPrefix: string, account: string, region: string, time: Date): string {
  return `${dayPrefix}${account}_CloudTrail_${region}_${fileTimestamp(time)}`;
}

export interface LogFile {
  key: string;
  /** The trail's prefix ('' for none). */
  prefix: string;
  orgId?: string;
  account: string;
  region: string;
  /** Milliseconds since the epoch of the timestamp in the file name. */
  writtenAt: number;
}

const LOG_KEY =
  /^(?:(.*)\/)?AWSLogs\/(?:(o-[a-z0-9]{10,32})\/)?(\d{12})\/CloudTrail\/([a-z0-9-]+)\/(\d{4})\/(\d{2})\/(\d{2})\/(\d{12})_CloudTrail_([a-z0-9-]+)_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_[^/]+\.json\.gz$/;

/** Reads a CloudTrail log file key of either layout; undefined for anything else (digests, insights, other files). */
export function parseLogKey(key: string): LogFile | undefined {
  const m = LOG_KEY.exec(key);
  if (!m) return undefined;
  const [, prefix = '', orgId, account, region, , , , fileAccount, fileRegion, y, mo, d, h, mi] = m;
  if (fileAccount !== account || fileRegion !== region) return undefined;
  const writtenAt = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi));
  if (Number.isNaN(writtenAt)) return undefined;
  return { key, prefix, ...(orgId ? { orgId } : {}), account: account!, region: region!, writtenAt };
}
