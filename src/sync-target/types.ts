import type { AccessProviderToExport, DataSourceMetadata, Manifest, StreamEntry } from '../model/index.js';

/** What the host tells a sync target about one target run. */
export interface SyncRunInfo {
  target: string;
  connector: string;
  connectorVersion: string;
  /** Unique per run, sortable by time, safe as a folder name (e.g. `20261123T101500Z-1a2b3c`). */
  runId: string;
  dataSourceId?: string;
  identityStoreId?: string;
  /** Directory target only: JSONL file with the access providers to export (the `access-providers-to-export` parameter). */
  exportFile?: string;
}

/** A finished stream in the spool: a gzip JSONL file plus what the manifest says of it. */
export interface SpooledStream extends StreamEntry {
  /** Absolute path of the gzip file in the spool. */
  path: string;
}

/** Where the records of a run go: a local directory or the cloud sync API. */
export interface SyncTarget {
  readonly kind: 'directory' | 'api';
  /** A short description for logs and the summary (never includes secrets). */
  readonly description: string;
  /** For `connector check`: reachable and authorised? Resolves to a line of what was verified; throws ConnectorError otherwise. */
  check(): Promise<string>;
  open(run: SyncRunInfo): Promise<SyncSession>;
}

export interface SyncSession {
  /** ISO timestamp of the last usage record the cloud already has for this data source. */
  readonly lastUsed?: string;
  /** Where the host spools streams for this run before handing them over. */
  readonly spoolDir: string;
  accessProvidersToExport(): AsyncIterable<AccessProviderToExport>;
  putStream(stream: SpooledStream): Promise<void>;
  putMetadata(metadata: DataSourceMetadata): Promise<void>;
  /** Optional: a further file of the run next to the streams (the export's plan.json); targets without local files omit it. */
  putFile?(name: string, content: string): Promise<void>;
  /** Makes the run visible downstream. Resolves to where it went (a folder, or the sync id and its final state). */
  commit(manifest: Manifest): Promise<string>;
  /** Leaves nothing that looks like a finished run; called when the run cannot be committed. */
  abort(reason: string): Promise<void>;
}
