import { promisify } from 'node:util';
import { gunzip, gunzipSync } from 'node:zlib';
import type { CloudTrailEvent, CloudTrailLog } from './cloudtrail-event.js';

// A downloaded log file's content: gunzip, parse, and why it could not be read. No AWS here: the
// log parsing worker (parse-worker.ts) loads this module.

const gunzipAsync = promisify(gunzip);

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

/**
 * Gunzips a log file in one job on the zlib thread pool (when parsing runs on this thread), into
 * one buffer of the size the gzip trailer gives: no stream callbacks per chunk, no concatenation.
 */
export async function gunzipLogFile(gz: Uint8Array): Promise<string> {
  const text = await gunzipAsync(gz, { chunkSize: gunzipChunkSize(gz) });
  return text.toString('utf8');
}

/** The same in one synchronous call, for a worker thread (which has nothing else to do meanwhile). */
export function gunzipLogFileSync(gz: Uint8Array): string {
  return gunzipSync(gz, { chunkSize: gunzipChunkSize(gz) }).toString('utf8');
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
