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
  let inner: Transform | undefined;
  let decided = false;
  let head = Buffer.alloc(0);
  const out = new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      if (decided) return forward(chunk, done);
      head = Buffer.concat([head, chunk]);
      if (head.length < 2) return done();
      decide();
      const first = head;
      head = Buffer.alloc(0);
      forward(first, done);
    },
    flush(done: TransformCallback) {
      if (!decided) {
        decide();
        if (head.length > 0) {
          return forward(head, () => finishInner(done));
        }
      }
      finishInner(done);
    },
  });

  function decide(): void {
    decided = true;
    if (head[0] === 0x1f && head[1] === 0x8b) {
      inner = createGunzip();
      inner.on('data', (c: Buffer) => out.push(c));
      inner.on('error', (e) => out.destroy(e));
    }
  }
  function forward(chunk: Buffer, done: TransformCallback): void {
    if (!inner) return done(null, chunk);
    // Respect the gunzip stream's own backpressure before taking more input.
    if (inner.write(chunk)) done();
    else inner.once('drain', () => done());
  }
  function finishInner(done: TransformCallback): void {
    if (!inner) return done();
    inner.once('end', () => done());
    inner.end();
  }
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
