import { closeSync, createWriteStream, openSync } from 'node:fs';
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { ConnectorError, errorMessage } from '../errors.js';
import { FILE_MODE } from '../streams/atomic.js';
import { SecretMasker } from '../text/secrets.js';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

export interface LoggerOptions {
  level?: string;
  /** Also write JSON log lines to this file. */
  file?: string;
  /** Values that must never reach a log line (api-secret, AWS keys, tokens). */
  secrets?: Iterable<string>;
  /** Where stderr logging goes (tests pass a memory stream). */
  stderr?: NodeJS.WritableStream;
}

/** Keys that hold secrets wherever they appear in a log object. */
const redactPaths = ['apiSecret', 'api-secret', 'secret', 'password', 'token', 'accessToken', 'access_token', 'authorization', 'Authorization', 'secretAccessKey', 'sessionToken', '*.apiSecret', '*.secret', '*.token', '*.secretAccessKey', '*.sessionToken', '*.authorization'];

/** A stream that masks every known secret value (as a whole value, see SecretMasker) before the line is written: a last line of defence. */
export function scrubbingStream(target: NodeJS.WritableStream, secrets: Iterable<string>): Writable {
  const masker = new SecretMasker(secrets);
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      target.write(masker.mask(chunk.toString()), callback as (err?: Error | null) => void);
    },
  });
}

/** `--log-level` must be one pino knows; anything else is a usage error, not a crash. */
export function assertLogLevel(level: string): void {
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new ConnectorError('usage', `--log-level ${JSON.stringify(level)} is not a log level`, { hint: `use one of ${LOG_LEVELS.join(', ')}` });
  }
}

/** Opens the log file now (owner-only), so a bad path is a clear usage error rather than a crash later. */
function openLogFile(file: string): NodeJS.WritableStream {
  let fd: number;
  try {
    fd = openSync(file, 'a', FILE_MODE);
  } catch (err) {
    throw new ConnectorError('usage', `--log-file ${file} cannot be opened: ${errorMessage(err)}`, { hint: 'Give a file in a folder that exists and is writable.', cause: err });
  }
  const stream = createWriteStream('', { fd });
  // A full disk later must not crash the run: the log file is a copy of stderr.
  stream.on('error', () => closeQuietly(fd));
  return stream;
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}

/** pino to stderr (pretty when stderr is a terminal), optionally also to a file; secrets redacted in both. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const secrets = [...(options.secrets ?? [])];
  const stderr = options.stderr ?? process.stderr;
  const level = options.level ?? 'info';
  assertLogLevel(level);
  const streams: pino.StreamEntry[] = [];
  const pretty = options.stderr === undefined && process.stderr.isTTY;
  streams.push({ level: level as pino.Level, stream: scrubbingStream(pretty ? prettyStream() ?? stderr : stderr, secrets) });
  if (options.file) streams.push({ level: level as pino.Level, stream: scrubbingStream(openLogFile(options.file), secrets) });
  return pino({ level, redact: { paths: redactPaths, censor: '[redacted]' }, base: undefined }, pino.multistream(streams));
}

/** Erases the current terminal line: where the progress line (src/cli/progress.ts) is drawn. */
const CLEAR_LINE = '\r\u001b[2K';

/**
 * On a terminal, each log line first erases the line it starts on, so it never keeps the tail of a
 * progress line drawn there (the progress line is redrawn below it). Without a progress line the
 * cursor is at the start of an empty line and erasing it changes nothing.
 */
function lineClearingStderr(target: Pick<NodeJS.WritableStream, 'write'> = process.stderr): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      target.write(`${CLEAR_LINE}${chunk.toString()}`, callback as (err?: Error | null) => void);
    },
  });
}

function prettyStream(): NodeJS.WritableStream | undefined {
  try {
    // pino-pretty is loaded lazily: only an interactive terminal needs it.
    return pinoPretty?.({ colorize: true, destination: lineClearingStderr(), translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' });
  } catch {
    return undefined;
  }
}

let pinoPretty: ((options: Record<string, unknown>) => NodeJS.WritableStream) | undefined;
// Only a terminal gets pretty lines: a cron job or a pipe does not pay for loading pino-pretty.
if (process.stderr.isTTY) {
  try {
    pinoPretty = (await import('pino-pretty')).default as unknown as typeof pinoPretty;
  } catch {
    pinoPretty = undefined;
  }
}
