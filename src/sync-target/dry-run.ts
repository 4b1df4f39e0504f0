import type { AccessProviderToExport, DataSourceMetadata, Manifest } from '../model/index.js';
import type { SpooledStream, SyncRunInfo, SyncSession, SyncTarget } from './types.js';

/**
 * A dry run against the sync API: the access providers to export (and the usage cursor) come from
 * the API, but nothing goes back to it. The streams, metadata and plan.json land in a local
 * directory target, and the API's sync is aborted instead of committed.
 */
export class DryRunTarget implements SyncTarget {
  readonly kind = 'api' as const;

  constructor(
    private readonly api: SyncTarget,
    private readonly local: SyncTarget,
  ) {}

  get description(): string {
    return `dry run: reads from ${this.api.description}, writes only to ${this.local.description}`;
  }

  check(): Promise<string> {
    return this.api.check();
  }

  async open(run: SyncRunInfo): Promise<SyncSession> {
    const api = await this.api.open(run);
    try {
      return new DryRunSession(api, await this.local.open(run));
    } catch (err) {
      await api.abort('dry run: the local directory could not be opened');
      throw err;
    }
  }
}

class DryRunSession implements SyncSession {
  constructor(
    private readonly api: SyncSession,
    private readonly local: SyncSession,
  ) {}

  get lastUsed(): string | undefined {
    return this.api.lastUsed;
  }

  get spoolDir(): string {
    return this.local.spoolDir;
  }

  accessProvidersToExport(): AsyncIterable<AccessProviderToExport> {
    return this.api.accessProvidersToExport();
  }

  putStream(stream: SpooledStream): Promise<void> {
    return this.local.putStream(stream);
  }

  putMetadata(metadata: DataSourceMetadata): Promise<void> {
    return this.local.putMetadata(metadata);
  }

  async putFile(name: string, content: string): Promise<void> {
    await this.local.putFile?.(name, content);
  }

  /** Commits the local folder only; the API's sync is aborted, so the cloud processes nothing. */
  async commit(manifest: Manifest): Promise<string> {
    const where = await this.local.commit(manifest);
    await this.api.abort('dry run: nothing is committed');
    return `${where} (dry run: nothing committed to the sync API)`;
  }

  async abort(reason: string): Promise<void> {
    await Promise.all([this.api.abort(reason), this.local.abort(reason)]);
  }
}
