import { createWriteStream } from 'node:fs';
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';

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

/** A stream that replaces every known secret value before the line is written: a last line of defence. */
export function scrubbingStream(target: NodeJS.WritableStream, secrets: Iterable<string>): Writable {
  const values = [...new Set(secrets)].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      let text = chunk.toString();
      for (const value of values) if (text.includes(value)) text = text.split(value).join('[redacted]');
      target.write(text, callback as (err?: Error | null) => void);
    },
  });
}

/** pino to stderr (pretty when stderr is a terminal), optionally also to a file; secrets redacted in both. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const secrets = [...(options.secrets ?? [])];
  const stderr = options.stderr ?? process.stderr;
  const level = options.level ?? 'info';
  const streams: pino.StreamEntry[] = [];
  const pretty = options.stderr === undefined && process.stderr.isTTY;
  streams.push({ level: level as pino.Level, stream: scrubbingStream(pretty ? prettyStream() ?? stderr : stderr, secrets) });
  if (options.file) streams.push({ level: level as pino.Level, stream: scrubbingStream(createWriteStream(options.file, { flags: 'a' }), secrets) });
  return pino({ level, redact: { paths: redactPaths, censor: '[redacted]' }, base: undefined }, pino.multistream(streams));
}

function prettyStream(): NodeJS.WritableStream | undefined {
  try {
    // pino-pretty is loaded lazily: only an interactive terminal needs it.
    return pinoPretty?.({ colorize: true, destination: 2, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' });
  } catch {
    return undefined;
  }
}

let pinoPretty: ((options: Record<string, unknown>) => NodeJS.WritableStream) | undefined;
try {
  pinoPretty = (await import('pino-pretty')).default as unknown as typeof pinoPretty;
} catch {
  pinoPretty = undefined;
}
