import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../src/errors.js';
import type { DataSourceMetadata, Manifest, User } from '../../src/model/index.js';
import { JsonlSpool, readJsonlGz } from '../../src/streams/spool.js';
import { DirectoryTarget } from '../../src/sync-target/directory.js';
import type { SpooledStream, SyncRunInfo } from '../../src/sync-target/types.js';
import { collect } from '../helpers/collect.js';

let base: string;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'directory-target-'));
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

const run: SyncRunInfo = { target: 'aws-prod', connector: 'aws-account', connectorVersion: '0.1.0', runId: '20261123T101500Z-1a2b3c', dataSourceId: 'ds-1', identityStoreId: 'is-1' };
const metadata: DataSourceMetadata = { type: 'aws-account', dataObjectTypes: [], accessProviderTypes: [], usageLevels: ['read'] };
const alice: User = { externalId: 'AIDAALICE', name: 'alice', userName: 'alice', groupExternalIds: [], tags: [], isMachine: false };

function manifestFor(streams: SpooledStream[]): Manifest {
  return {
    target: run.target,
    connector: run.connector,
    connectorVersion: run.connectorVersion,
    runId: run.runId,
    startedAt: '2026-11-23T10:15:00.000Z',
    finishedAt: '2026-11-23T10:16:00.000Z',
    streams: streams.map(({ path: _path, ...entry }) => entry),
  };
}

async function spoolUsers(dir: string, users: User[]): Promise<SpooledStream> {
  const spool = await JsonlSpool.create<User>({ dir, stream: 'users' });
  for (const u of users) await spool.write(u);
  return spool.finish();
}

describe('DirectoryTarget', () => {
  it('a committed run folder holds the streams, metadata.json and manifest.json, and no .partial is left', async () => {
    const target = new DirectoryTarget({ baseDir: base });
    const session = await target.open(run);
    expect(session.spoolDir).toBe(join(base, 'aws-prod', `${run.runId}.partial`));
    expect(session.lastUsed).toBeUndefined();

    const users = await spoolUsers(session.spoolDir, [alice]);
    await session.putStream(users);
    await session.putMetadata(metadata);
    const where = await session.commit(manifestFor([users]));

    const runDir = join(base, 'aws-prod', run.runId);
    expect(where).toBe(runDir);
    expect(await readdir(join(base, 'aws-prod'))).toEqual([run.runId]);
    expect((await readdir(runDir)).sort()).toEqual(['manifest.json', 'metadata.json', 'users.jsonl.gz']);
    const manifest = JSON.parse(await readFile(join(runDir, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.streams).toEqual([{ name: 'users', file: 'users.jsonl.gz', records: 1, bytes: users.bytes, sha256: users.sha256, complete: true, warnings: [] }]);
    expect(manifest.metadataFile).toBe('metadata.json');
    expect(JSON.parse(await readFile(join(runDir, 'metadata.json'), 'utf8'))).toEqual(metadata);
    expect(await collect(readJsonlGz(join(runDir, 'users.jsonl.gz')))).toEqual([alice]);
  });

  it('an aborted run stays .partial with an ABORTED file that says why, and its data is kept', async () => {
    const session = await new DirectoryTarget({ baseDir: base }).open(run);
    await session.putStream(await spoolUsers(session.spoolDir, [alice]));
    await session.abort('identity store sync failed: access denied');

    const partial = join(base, 'aws-prod', `${run.runId}.partial`);
    expect(await readdir(join(base, 'aws-prod'))).toEqual([`${run.runId}.partial`]);
    expect((await readdir(partial)).sort()).toEqual(['ABORTED', 'users.jsonl.gz']);
    expect(await readFile(join(partial, 'ABORTED'), 'utf8')).toContain('identity store sync failed: access denied');
    await expect(session.commit(manifestFor([]))).rejects.toThrow(/after it was aborted/);
  });

  it('refuses to commit a manifest whose stream file is missing, so a committed folder is always complete', async () => {
    const session = await new DirectoryTarget({ baseDir: base }).open(run);
    const users = await spoolUsers(session.spoolDir, [alice]);
    await rm(users.path);
    await expect(session.commit(manifestFor([users]))).rejects.toThrow(/users\.jsonl\.gz is missing/);
    expect(await readdir(join(base, 'aws-prod'))).toEqual([`${run.runId}.partial`]);
  });

  it('moves a stream spooled elsewhere into the run folder', async () => {
    const session = await new DirectoryTarget({ baseDir: base }).open(run);
    const elsewhere = await mkdtemp(join(tmpdir(), 'elsewhere-'));
    const users = await spoolUsers(elsewhere, [alice]);
    await session.putStream(users);
    const where = await session.commit(manifestFor([users]));
    expect(await readdir(where)).toContain('users.jsonl.gz');
    await rm(elsewhere, { recursive: true, force: true });
  });

  it('does not reuse a run id that already has a folder', async () => {
    const target = new DirectoryTarget({ baseDir: base });
    await (await target.open(run)).commit(manifestFor([]));
    await expect(target.open(run)).rejects.toThrow(/already exists/);
  });

  it('rejects target names that would leave the base folder', async () => {
    const target = new DirectoryTarget({ baseDir: base });
    await expect(target.open({ ...run, target: '../etc' })).rejects.toThrow(ConnectorError);
    await expect(target.open({ ...run, runId: '..' })).rejects.toThrow(/cannot be used as a folder name/);
    await expect(target.open({ ...run, target: 'evil\u001b[2J' })).rejects.toThrow('the target "evil\\u001b[2J" cannot be used as a folder name');
  });

  it('an impossible base folder fails at once with the OS error of the level that cannot be made', async () => {
    const started = Date.now();
    await expect(new DirectoryTarget({ baseDir: '/proc/nope/deeper' }).prepare()).rejects.toThrow("cannot create the folder /proc/nope/deeper: ENOENT: no such file or directory, mkdir '/proc/nope'");
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('creates missing folders owner-only (0700)', async () => {
    const deep = join(base, 'new-a', 'new-b');
    await new DirectoryTarget({ baseDir: deep }).prepare();
    for (const dir of [join(base, 'new-a'), deep]) expect(((await stat(dir)).mode & 0o777).toString(8)).toBe('700');
  });

  it('check says the folder is writable, and fails clearly when it is not', async () => {
    expect(await new DirectoryTarget({ baseDir: join(base, 'new', 'sub') }).check()).toMatch(/exists and is writable/);
    const file = join(base, 'a-file');
    await writeFile(file, 'x');
    await expect(new DirectoryTarget({ baseDir: join(file, 'below') }).check()).rejects.toThrow(/is not writable/);
  });

  describe('access providers to export', () => {
    const ap = { id: 'ap-1', name: 'Sales readers', action: 'grant', who: { users: ['alice'] }, what: [{ dataObject: { fullName: '123456789012:eu-west-1:sales', type: 'bucket' }, permissions: ['s3:GetObject'] }] };

    it('yields nothing without an export file', async () => {
      const session = await new DirectoryTarget({ baseDir: base }).open(run);
      expect(await collect(session.accessProvidersToExport())).toEqual([]);
    });

    it('reads plain and gzip JSONL, with schema defaults applied', async () => {
      const plain = join(base, 'export.jsonl');
      await writeFile(plain, `${JSON.stringify(ap)}\n\n${JSON.stringify({ ...ap, id: 'ap-2' })}\n`);
      const gz = join(base, 'export.jsonl.gz');
      await writeFile(gz, gzipSync(`${JSON.stringify(ap)}\n`));
      const target = new DirectoryTarget({ baseDir: base });

      const fromPlain = await collect((await target.open({ ...run, runId: 'r1', exportFile: plain })).accessProvidersToExport());
      expect(fromPlain.map((a) => a.id)).toEqual(['ap-1', 'ap-2']);
      expect(fromPlain[0]).toMatchObject({ delete: false, who: { users: ['alice'], groups: [], inheritFrom: [] } });
      const fromGz = await collect((await target.open({ ...run, runId: 'r2', exportFile: gz })).accessProvidersToExport());
      expect(fromGz.map((a) => a.id)).toEqual(['ap-1']);
    });

    it('a line with bad JSON names the file and the line', async () => {
      const file = join(base, 'export.jsonl');
      await writeFile(file, `${JSON.stringify(ap)}\n{"id": "ap-2", oops\n`);
      const session = await new DirectoryTarget({ baseDir: base }).open({ ...run, exportFile: file });
      await expect(collect(session.accessProvidersToExport())).rejects.toThrow(`${file}:2: not valid JSON`);
    });

    it('a line that breaks the schema names the file, the line and the field', async () => {
      const file = join(base, 'export.jsonl');
      await writeFile(file, `\n${JSON.stringify(ap)}\n${JSON.stringify({ ...ap, action: 'maybe' })}\n`);
      const session = await new DirectoryTarget({ baseDir: base }).open({ ...run, exportFile: file });
      const err = await collect(session.accessProvidersToExport()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConnectorError);
      expect((err as Error).message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: not a valid access provider to export: action:`));
    });

    it('a missing export file is a clear error', async () => {
      const session = await new DirectoryTarget({ baseDir: base }).open({ ...run, exportFile: join(base, 'nope.jsonl') });
      await expect(collect(session.accessProvidersToExport())).rejects.toThrow(/access-providers-to-export file .*nope\.jsonl cannot be read/);
    });
  });
});

