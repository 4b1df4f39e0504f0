import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ConnectorError, errorMessage } from '../errors.js';
import { Manifest, type AccessProviderToExport, type DataSourceMetadata } from '../model/index.js';
import { fsyncDir, tempPathFor, writeFileAtomic } from '../streams/atomic.js';
import { readExportFile } from './export-file.js';
import { assertSafeSegment } from './names.js';
import type { SpooledStream, SyncRunInfo, SyncSession, SyncTarget } from './types.js';

export interface DirectoryTargetOptions {
  /** The `file-backup-location`, or `./raito-sync`. */
  baseDir: string;
}

export const PARTIAL_SUFFIX = '.partial';
export const METADATA_FILE = 'metadata.json';
export const MANIFEST_FILE = 'manifest.json';
export const ABORTED_FILE = 'ABORTED';

/**
 * The embedded sync target: `<baseDir>/<target>/<runId>/` with one `<stream>.jsonl.gz` per stream,
 * `metadata.json` and `manifest.json`. A run is written into `<runId>.partial/` and renamed when
 * committed, so a folder without the suffix is always complete; readers ignore `.partial` folders.
 */
export class DirectoryTarget implements SyncTarget {
  readonly kind = 'directory' as const;
  readonly baseDir: string;

  constructor(options: DirectoryTargetOptions) {
    this.baseDir = resolve(options.baseDir);
  }

  get description(): string {
    return `directory ${this.baseDir}`;
  }

  async check(): Promise<string> {
    const probe = join(this.baseDir, `.check-${randomBytes(4).toString('hex')}`);
    try {
      await mkdir(this.baseDir, { recursive: true });
      await writeFileAtomic(probe, 'ok\n');
    } catch (err) {
      throw new ConnectorError('sync-target', `the directory ${this.baseDir} is not writable: ${errorMessage(err)}`, {
        hint: 'Set file-backup-location to a folder the connector may write to.',
        cause: err,
      });
    } finally {
      await rm(probe, { force: true }).catch(() => undefined);
    }
    return `directory ${this.baseDir} exists and is writable`;
  }

  async open(run: SyncRunInfo): Promise<SyncSession> {
    assertSafeSegment('target', run.target);
    assertSafeSegment('run id', run.runId);
    const targetDir = join(this.baseDir, run.target);
    const finalDir = join(targetDir, run.runId);
    const partialDir = finalDir + PARTIAL_SUFFIX;
    try {
      await mkdir(targetDir, { recursive: true });
      if (await exists(finalDir)) throw new Error(`${finalDir} already exists`);
      // Not recursive: a left-over folder of the same run id must not be mixed into this run.
      await mkdir(partialDir);
    } catch (err) {
      throw new ConnectorError('sync-target', `cannot start run ${run.runId} of target ${run.target} in ${targetDir}: ${errorMessage(err)}`, {
        hint: 'Check that file-backup-location is writable; run ids are unique per run.',
        cause: err,
      });
    }
    return new DirectorySession(run, partialDir, finalDir);
  }
}

class DirectorySession implements SyncSession {
  /** The directory target does not track usage cursors (yet): every run reads the full usage window. */
  readonly lastUsed: string | undefined = undefined;
  private state: 'open' | 'committed' | 'aborted' = 'open';
  private metadataWritten = false;

  constructor(
    private readonly run: SyncRunInfo,
    readonly spoolDir: string,
    private readonly finalDir: string,
  ) {}

  accessProvidersToExport(): AsyncIterable<AccessProviderToExport> {
    const file = this.run.exportFile;
    if (file === undefined || file === '') return empty();
    return readExportFile(file);
  }

  /** The host spools straight into spoolDir, so there is usually nothing to move. */
  async putStream(stream: SpooledStream): Promise<void> {
    this.assertOpen('putStream');
    const target = join(this.spoolDir, stream.file);
    if (resolve(stream.path) === target) return;
    await moveFile(stream.path, target);
  }

  async putMetadata(metadata: DataSourceMetadata): Promise<void> {
    this.assertOpen('putMetadata');
    await writeFileAtomic(join(this.spoolDir, METADATA_FILE), `${JSON.stringify(metadata, null, 2)}\n`);
    this.metadataWritten = true;
  }

  async putFile(name: string, content: string): Promise<void> {
    this.assertOpen('putFile');
    if (basename(name) !== name) throw new ConnectorError('internal', `putFile: ${name} must be a plain file name`);
    await writeFileAtomic(join(this.spoolDir, name), content);
  }

  async commit(manifest: Manifest): Promise<string> {
    this.assertOpen('commit');
    const parsed = Manifest.safeParse(manifest);
    if (!parsed.success) {
      throw new ConnectorError('internal', `the manifest of run ${this.run.runId} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    const final: Manifest = { ...parsed.data };
    if (final.metadataFile === undefined && this.metadataWritten) final.metadataFile = METADATA_FILE;
    await this.assertStreamsPresent(final);
    try {
      await writeFileAtomic(join(this.spoolDir, MANIFEST_FILE), `${JSON.stringify(final, null, 2)}\n`);
      await rename(this.spoolDir, this.finalDir);
      await fsyncDir(dirname(this.finalDir));
    } catch (err) {
      throw new ConnectorError('sync-target', `cannot commit run ${this.run.runId} to ${this.finalDir}: ${errorMessage(err)}`, { cause: err });
    }
    this.state = 'committed';
    return this.finalDir;
  }

  /** Keeps the data for debugging; the `.partial` suffix and the ABORTED file tell readers to ignore it. */
  async abort(reason: string): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'aborted';
    try {
      await writeFileAtomic(join(this.spoolDir, ABORTED_FILE), `${new Date().toISOString()} ${reason}\n`);
    } catch {
      // Nothing more to do: without the rename the folder already does not look finished.
    }
  }

  /** A committed folder must hold every stream its manifest lists, at the size the manifest says. */
  private async assertStreamsPresent(manifest: Manifest): Promise<void> {
    for (const entry of manifest.streams) {
      if (basename(entry.file) !== entry.file) {
        throw new ConnectorError('internal', `manifest stream ${entry.name}: file ${entry.file} must be a plain file name`);
      }
      const path = join(this.spoolDir, entry.file);
      const problem = await stat(path).then(
        (s) => (s.size === entry.bytes ? undefined : `has ${s.size} bytes, the manifest says ${entry.bytes}`),
        () => 'is missing',
      );
      if (problem !== undefined) {
        throw new ConnectorError('sync-target', `cannot commit run ${this.run.runId}: stream file ${path} ${problem}`);
      }
    }
  }

  private assertOpen(what: string): void {
    if (this.state !== 'open') throw new ConnectorError('internal', `${what} on run ${this.run.runId} after it was ${this.state}`);
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Rename, or copy and delete when the spool is on another file system. */
async function moveFile(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    const tmp = tempPathFor(to);
    await copyFile(from, tmp);
    await rename(tmp, to);
    await rm(from, { force: true });
  }
}

async function* empty(): AsyncGenerator<AccessProviderToExport> {
  // no export file: nothing to export
}
