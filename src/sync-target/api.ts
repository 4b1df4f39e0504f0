import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { ensureDir } from '../streams/atomic.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { errorMessage } from '../errors.js';
import type { AccessProviderToExport, DataSourceMetadata, Manifest } from '../model/index.js';
import { SyncApiClient, type SyncApiClientOptions } from './http-client.js';
import type { SpooledStream, SyncRunInfo, SyncSession, SyncTarget } from './types.js';

export interface ApiTargetOptions extends SyncApiClientOptions {
  /** Each run spools into a fresh temporary folder below this one. Default `<os tmp>/aws-access-connector`. */
  spoolRoot?: string;
}

/**
 * Spool folders of runs in progress. They hold a copy of the access picture in the temp folder:
 * whatever way the process ends (a crash, a second Ctrl-C, process.exit), they are removed.
 */
const liveSpools = new Set<string>();
let exitHookInstalled = false;

function trackSpool(dir: string): void {
  liveSpools.add(dir);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const spool of liveSpools) removeSpoolNow(spool);
  });
}

function removeSpoolNow(dir: string): void {
  liveSpools.delete(dir);
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // nothing more can be done on the way out
  }
}

/** The cloud sync API as a sync target: streams are spooled locally, then uploaded (docs/sync-api.md). */
export class ApiTarget implements SyncTarget {
  readonly kind = 'api' as const;
  readonly client: SyncApiClient;
  private readonly spoolRoot: string;
  private readonly apiUser: string;
  private readonly logger?: Logger;

  constructor(options: ApiTargetOptions) {
    this.client = new SyncApiClient(options);
    this.spoolRoot = options.spoolRoot ?? join(tmpdir(), 'aws-access-connector');
    this.apiUser = options.apiUser;
    this.logger = options.logger;
  }

  get description(): string {
    return `sync API ${this.client.apiUrl} (api-user ${this.apiUser})`;
  }

  check(): Promise<string> {
    return this.client.check();
  }

  async open(run: SyncRunInfo): Promise<SyncSession> {
    await ensureDir(this.spoolRoot);
    const prefix = `${run.target.replace(/[^A-Za-z0-9._-]/g, '_')}-${run.runId.replace(/[^A-Za-z0-9._-]/g, '_')}-`;
    const spoolDir = await mkdtemp(join(this.spoolRoot, prefix));
    trackSpool(spoolDir);
    try {
      const opened = await this.client.openSync({
        target: run.target,
        connector: run.connector,
        connectorVersion: run.connectorVersion,
        runId: run.runId,
        dataSourceId: run.dataSourceId,
        identityStoreId: run.identityStoreId,
      });
      return new ApiSession(this.client, run, opened.id, opened.lastUsed ?? undefined, spoolDir, this.logger);
    } catch (err) {
      removeSpoolNow(spoolDir);
      throw err;
    }
  }
}

class ApiSession implements SyncSession {
  /** `committing`: the server has the commit; from then on it decides, and abort must not interfere. */
  private state: 'open' | 'committing' | 'committed' | 'aborted' = 'open';

  constructor(
    private readonly client: SyncApiClient,
    private readonly run: SyncRunInfo,
    /** The server's id of this sync. */
    readonly syncId: string,
    readonly lastUsed: string | undefined,
    readonly spoolDir: string,
    private readonly logger?: Logger,
  ) {}

  accessProvidersToExport(): AsyncIterable<AccessProviderToExport> {
    return this.client.accessProviders(this.syncId);
  }

  async putStream(stream: SpooledStream): Promise<void> {
    await this.client.putStream(this.syncId, this.run.runId, stream);
    // Uploaded: the local copy is no longer needed, so a long run does not fill the disk.
    await rm(stream.path, { force: true });
  }

  putMetadata(metadata: DataSourceMetadata): Promise<void> {
    return this.client.putMetadata(this.syncId, this.run.runId, metadata);
  }

  async commit(manifest: Manifest): Promise<string> {
    try {
      const immediate = await this.client.requestCommit(this.syncId, this.run.runId, manifest);
      this.state = 'committing';
      const status = immediate ?? (await this.client.waitForCompletion(this.syncId));
      this.state = 'committed';
      return `sync ${this.syncId} ${status.status}`;
    } finally {
      await this.removeSpool();
    }
  }

  /** Removes the spool first (at once, so an exit right after leaves nothing), then tells the API, within 2 s. */
  async abort(reason: string): Promise<void> {
    await this.removeSpool();
    if (this.state !== 'open') return;
    this.state = 'aborted';
    try {
      await this.client.abort(this.syncId, this.run.runId, reason);
    } catch (err) {
      // Best effort: an uncommitted sync is never processed anyway.
      this.logger?.warn({ syncId: this.syncId, err: errorMessage(err) }, 'could not tell the sync API that the run was aborted');
    }
  }

  private async removeSpool(): Promise<void> {
    await rm(this.spoolDir, { recursive: true, force: true }).catch(() => undefined);
    liveSpools.delete(this.spoolDir);
  }
}
