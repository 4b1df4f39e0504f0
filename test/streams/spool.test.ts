import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectorError } from '../../src/errors.js';
import { DataObject, User } from '../../src/model/index.js';
import { jsonLines } from '../../src/streams/read.js';
import { JsonlSpool, readJsonlGz, readJsonLines, writeFileAtomic } from '../../src/streams/spool.js';
import { collect } from '../helpers/collect.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spool-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const alice: User = { externalId: 'AIDAALICE', name: 'alice', userName: 'alice', email: 'alice@example.com', groupExternalIds: ['analysts'], tags: [], isMachine: false };

describe('JsonlSpool', () => {
  it('sixteen writers waiting for gzip at once share one wait: no MaxListenersExceededWarning, every record kept', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    const spool = new JsonlSpool<{ externalId: string; text: string }>({ dir, stream: 'data-usage', chunkSize: 100 });
    // Random text does not compress: gzip's input buffer fills and every writer waits for 'drain'.
    const text = () => createHash('sha256').update(String(Math.random())).digest('hex').repeat(4);
    try {
      await Promise.all(Array.from({ length: 16 }, (_, w) => (async () => {
        for (let i = 0; i < 200; i++) await spool.write({ externalId: `w${w}-${i}`, text: text() });
      })()));
      const result = await spool.finish();
      await new Promise((resolve) => setImmediate(resolve));
      expect(result.records).toBe(3200);
      expect(new Set((await collect(readJsonlGz<{ externalId: string }>(result.path))).map((r) => r.externalId)).size).toBe(3200);
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'))).toEqual([]);
  });

  it('fills the chunks gzip has finished with again: a long stream allocates a few chunk buffers, not one per chunk, and every line arrives intact', async () => {
    const CHUNK = 8 * 1024;
    const allocated = vi.spyOn(Buffer, 'allocUnsafe');
    try {
      const spool = new JsonlSpool<{ externalId: string; n: number; text: string }>({ dir, stream: 'data-usage', chunkSize: CHUNK });
      // Random text does not compress: gzip falls behind, so chunks are both waiting and coming back.
      const written = Array.from({ length: 20_000 }, (_, n) => ({ externalId: `id-${n}`, n, text: createHash('sha256').update(String(n)).digest('hex') }));
      for (const r of written) await spool.write(r);
      const result = await spool.finish();
      // About 2 MB of lines: 250 chunks went to gzip.
      const chunks = allocated.mock.calls.filter(([size]) => size === CHUNK).length;
      expect(chunks).toBeGreaterThan(1);
      expect(chunks).toBeLessThan(70);
      expect(await collect(readJsonlGz(result.path))).toEqual(written);
    } finally {
      allocated.mockRestore();
    }
  });

  it('writes records as gzip JSONL and reads them back in order', async () => {
    const spool = new JsonlSpool<{ externalId: string; n: number; text: string }>({ dir, stream: 'data-objects', chunkSize: 100 });
    const written = Array.from({ length: 500 }, (_, n) => ({ externalId: `id-${n}`, n, text: 'ünïcødé "quoted"\nline' }));
    for (const r of written) await spool.write(r);
    expect(spool.records).toBe(500);
    const result = await spool.finish();

    expect(result).toMatchObject({ name: 'data-objects', file: 'data-objects.jsonl.gz', path: join(dir, 'data-objects.jsonl.gz'), records: 500, complete: true, warnings: [] });
    expect(await collect(readJsonlGz(result.path))).toEqual(written);
  });

  it('reports the sha256 and size of the gzip file exactly as it is on disk', async () => {
    const spool = new JsonlSpool<User>({ dir, stream: 'users' });
    for (let i = 0; i < 2000; i++) await spool.write({ ...alice, externalId: `u${i}`, name: `user${i}` });
    const result = await spool.finish();
    const bytes = await readFile(result.path);
    expect(result.bytes).toBe(bytes.length);
    expect(result.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('keeps a hidden temporary name until finish, then only the final file remains', async () => {
    const spool = await JsonlSpool.create<User>({ dir, stream: 'users' });
    await spool.write(alice);
    const before = await readdir(dir);
    expect(before).toHaveLength(1);
    expect(before[0]).toMatch(/^\.users\.jsonl\.gz\.tmp-[0-9a-f]+$/);
    expect(before).not.toContain('users.jsonl.gz');
    await spool.finish();
    expect(await readdir(dir)).toEqual(['users.jsonl.gz']);
  });

  it('an empty stream is still a valid, complete gzip file', async () => {
    const result = await new JsonlSpool({ dir, stream: 'groups' }).finish();
    expect(result.records).toBe(0);
    expect(await collect(readJsonlGz(result.path))).toEqual([]);
  });

  it('markIncomplete makes the stream incomplete and lists the reason with the warnings', async () => {
    const spool = new JsonlSpool<User>({ dir, stream: 'users' });
    await spool.write(alice);
    spool.warn('user bob: tags could not be read (access denied)');
    spool.markIncomplete('listing users stopped: throttled');
    const result = await spool.finish();
    expect(result.complete).toBe(false);
    expect(result.warnings).toEqual(['user bob: tags could not be read (access denied)', 'listing users stopped: throttled']);
  });

  it('lists a warning said twice in the same words once', async () => {
    const spool = new JsonlSpool<User>({ dir, stream: 'users' });
    spool.warn('buckets could not be listed');
    spool.markIncomplete('buckets could not be listed');
    spool.warn('another problem');
    const result = await spool.finish();
    expect(result.complete).toBe(false);
    expect(result.warnings).toEqual(['buckets could not be listed', 'another problem']);
  });

  it('rejects a record that does not match the schema, naming stream, externalId and the field', async () => {
    const spool = new JsonlSpool<DataObject>({ dir, stream: 'data-objects', schema: DataObject });
    const bad = { externalId: '123456789012:eu-west-1:sales', name: 'sales', fullName: '123456789012:eu-west-1:sales', type: 'bucket', tags: [{ key: 'team' }] };
    const err = await (async () => spool.write(bad as unknown as DataObject))().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    const message = (err as ConnectorError).message;
    expect(message).toContain('stream data-objects');
    expect(message).toContain('"123456789012:eu-west-1:sales"');
    expect(message).toContain('tags.0.value');
    expect(spool.records).toBe(0);
    await spool.abort();
  });

  it('writes what the schema parsed (unknown fields are dropped)', async () => {
    const spool = new JsonlSpool<User>({ dir, stream: 'users', schema: User });
    await spool.write({ ...alice, password: 'nope' } as User);
    const result = await spool.finish();
    expect(await collect(readJsonlGz(result.path))).toEqual([alice]);
  });

  it('abort leaves nothing behind', async () => {
    const spool = new JsonlSpool<User>({ dir, stream: 'users', chunkSize: 10 });
    for (let i = 0; i < 100; i++) await spool.write(alice);
    await spool.abort();
    await spool.abort();
    expect(await readdir(dir)).toEqual([]);
    expect(() => spool.write(alice)).toThrow(/after the spool was aborted/);
  });

  it('fails with a clear error when the spool directory does not exist', async () => {
    await expect(JsonlSpool.create<User>({ dir: join(dir, 'missing'), stream: 'users' })).rejects.toThrow(/stream users: could not create .*ENOENT/);
    // Without create(), the same error surfaces at finish at the latest.
    const spool = new JsonlSpool<User>({ dir: join(dir, 'missing'), stream: 'users' });
    await spool.write(alice);
    await expect(spool.finish()).rejects.toThrow(/stream users: could not .*ENOENT/);
  });

  it('streams a million small records quickly with flat memory', async () => {
    const spool = new JsonlSpool<{ externalId: string; n: number }>({ dir, stream: 'data-usage' });
    const started = performance.now();
    for (let n = 0; n < 1_000_000; n++) await spool.write({ externalId: `e${n}`, n });
    const result = await spool.finish();
    const seconds = (performance.now() - started) / 1000;
    expect(result.records).toBe(1_000_000);
    // Generous bound for shared CI machines; locally this runs at > 300k records/s.
    expect(seconds).toBeLessThan(8);
    // Check the content cheaply: count lines in the gunzipped bytes and look at the last one.
    const text = gunzipSync(await readFile(result.path)).toString('utf8');
    let lines = 0;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
    expect(lines).toBe(1_000_000);
    expect(text.slice(text.lastIndexOf('\n', text.length - 2) + 1)).toBe('{"externalId":"e999999","n":999999}\n');
  });
});

describe('readJsonLines', () => {
  it('reads plain and gzip JSONL alike, skipping blank lines and counting lines', async () => {
    const text = '{"a":1}\n\n{"a":2}\r\n';
    await writeFile(join(dir, 'plain.jsonl'), text);
    await writeFile(join(dir, 'packed.jsonl.gz'), gzipSync(text));
    for (const name of ['plain.jsonl', 'packed.jsonl.gz']) {
      expect(await collect(readJsonLines(join(dir, name)))).toEqual([
        { text: '{"a":1}', lineNumber: 1 },
        { text: '{"a":2}', lineNumber: 3 },
      ]);
    }
  });
});

describe('jsonLines', () => {
  it('recognises gzip even when the magic bytes arrive in separate chunks', async () => {
    const packed = gzipSync('{"a":1}\n{"a":2}\n');
    const chunks = [packed.subarray(0, 1), packed.subarray(1, 5), packed.subarray(5)];
    expect((await collect(jsonLines(Readable.from(chunks)))).map((l) => l.text)).toEqual(['{"a":1}', '{"a":2}']);
  });

  it('passes plain text through, a one-byte source included', async () => {
    expect(await collect(jsonLines(Readable.from([Buffer.from('7')])))).toEqual([{ text: '7', lineNumber: 1 }]);
    expect(await collect(jsonLines(Readable.from([])))).toEqual([]);
  });

  it('reports corrupt gzip as an error', async () => {
    const packed = gzipSync('{"a":1}\n'.repeat(1000));
    const broken = Buffer.concat([packed.subarray(0, 20), Buffer.alloc(50, 7)]);
    await expect(collect(jsonLines(Readable.from([broken])))).rejects.toMatchObject({ code: 'Z_BUF_ERROR', message: 'unexpected end of file' });
  });
});

describe('writeFileAtomic', () => {
  it('replaces a file completely and leaves no temporary file', async () => {
    const path = join(dir, 'manifest.json');
    await writeFileAtomic(path, 'old');
    await writeFileAtomic(path, '{"new":true}');
    expect(await readFile(path, 'utf8')).toBe('{"new":true}');
    expect(await readdir(dir)).toEqual(['manifest.json']);
    expect((await stat(path)).size).toBe(12);
  });
});
