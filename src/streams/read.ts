import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** One non-blank line of a JSONL source, with its 1-based line number for error messages. */
export interface JsonLine {
  text: string;
  lineNumber: number;
}

/** Passes bytes through, or gunzips them when they start with the gzip magic bytes (JSON text never does). */
export function maybeGunzip(): Transform {
  let gunzip: Transform | undefined;
  let decided = false;
  let head = Buffer.alloc(0);

  /** Looks at the first bytes once; from then on every chunk goes the same way. */
  const decide = (): Buffer => {
    decided = true;
    if (head[0] === 0x1f && head[1] === 0x8b) {
      gunzip = createGunzip();
      gunzip.on('data', (c: Buffer) => out.push(c));
      gunzip.on('error', (e) => out.destroy(e));
    }
    const first = head;
    head = Buffer.alloc(0);
    return first;
  };
  const feed = (chunk: Buffer, done: TransformCallback): void => {
    if (!gunzip) {
      if (chunk.length > 0) out.push(chunk);
      return done();
    }
    // Respect gunzip's backpressure before taking more input.
    if (gunzip.write(chunk)) done();
    else gunzip.once('drain', () => done());
  };

  const out: Transform = new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      if (decided) return feed(chunk, done);
      head = Buffer.concat([head, chunk]);
      if (head.length < 2) return done();
      feed(decide(), done);
    },
    flush(done: TransformCallback) {
      const end = (): void => {
        if (!gunzip) return done();
        gunzip.once('end', () => done());
        gunzip.end();
      };
      if (decided) return end();
      feed(decide(), end);
    },
  });
  return out;
}

/** Splits a byte source into non-blank text lines (UTF-8), gunzipping it first when it is gzip. */
export async function* jsonLines(source: Readable): AsyncGenerator<JsonLine> {
  const decoded = source.pipe(maybeGunzip());
  source.on('error', (e) => decoded.destroy(e));
  const lines = createInterface({ input: decoded, crlfDelay: Infinity });
  let lineNumber = 0;
  try {
    for await (const text of lines) {
      lineNumber++;
      if (text.trim() === '') continue;
      yield { text, lineNumber };
    }
  } finally {
    lines.close();
    decoded.destroy();
    source.destroy();
  }
}

/** Lines of a JSONL file on disk, plain or gzip. */
export function readJsonLines(path: string): AsyncGenerator<JsonLine> {
  return jsonLines(createReadStream(path));
}

/** Parsed records of a gzip (or plain) JSONL file: for tests and readers of the spool. */
export async function* readJsonlGz<T = unknown>(path: string): AsyncGenerator<T> {
  for await (const { text } of readJsonLines(path)) {
    yield JSON.parse(text) as T;
  }
}

/** A Node stream over a fetch response body (web stream). */
export function fromWebBody(body: ReadableStream<Uint8Array>): Readable {
  return Readable.fromWeb(body as Parameters<typeof Readable.fromWeb>[0]);
}
