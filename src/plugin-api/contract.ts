import type { Logger } from 'pino';
import type {
  AccessProvider,
  AccessProviderFeedback,
  AccessProviderToExport,
  DataObject,
  DataSourceMetadata,
  Group,
  StreamName,
  UsageStatement,
  User,
} from '../model/index.js';
import type { CallCounter } from './call-counter.js';

/** How a parameter's string value in raito.yml is read. */
export type ParameterType =
  | 'string'
  | 'boolean'
  | 'integer'
  /** comma-separated list of strings */
  | 'list'
  /** comma-separated list of regular expressions, each matched against the whole name */
  | 'regex-list';

/** A parameter is declared once and drives validation, `connector info` and the docs. */
export interface ParameterSpec {
  name: string;
  description: string;
  type: ParameterType;
  default?: string | number | boolean;
  mandatory?: boolean;
  /** Marks values that must never be logged or printed. */
  secret?: boolean;
}

/** Parameters after validation: coerced to their type, defaults applied; lists are string[], regex-lists RegExp[]. */
export type Parameters = Readonly<Record<string, unknown>>;

/** A problem with the combination of parameters that a plugin found (the host adds file and line). */
export interface ParameterProblem {
  parameter: string;
  message: string;
}

/** Where records of one stream go. The host spools, counts and validates them. */
export interface StreamSink<T> {
  /**
   * Writes one record; throws when the record does not match its schema. Await the result: a
   * sink returns a promise when the caller must wait (backpressure) and nothing otherwise, so a
   * million records do not cost a million promises.
   */
  write(record: T): Promise<void> | void;
  /** A warning on this stream, listed in the manifest and the summary. */
  warn(message: string): void;
  /** The stream will not hold everything: it is marked incomplete and never taken for a full snapshot. */
  markIncomplete(reason: string): void;
  readonly records: number;
}

export interface SyncOutputs {
  'data-objects': StreamSink<DataObject>;
  users: StreamSink<User>;
  groups: StreamSink<Group>;
  'access-providers': StreamSink<AccessProvider>;
  'access-provider-feedback': StreamSink<AccessProviderFeedback>;
  'data-usage': StreamSink<UsageStatement>;
}

export type SyncKind = 'data-source' | 'identity-store' | 'data-access' | 'data-usage';

/** The streams each sync writes, in the order the host runs the syncs. */
export const syncStreams: Record<SyncKind, StreamName[]> = {
  'data-source': ['data-objects'],
  'identity-store': ['users', 'groups'],
  'data-access': ['access-provider-feedback', 'access-providers'],
  'data-usage': ['data-usage'],
};
export const syncOrder: SyncKind[] = ['data-source', 'identity-store', 'data-access', 'data-usage'];

/**
 * Test and demo hook: an SDK middleware placed on every AWS client, able to answer commands
 * in-process (the sample account) or delay them (the bench). Production runs have none.
 */
export type AwsInterceptor = (call: { service: string; operation: string; region: string; input: Record<string, unknown> }) => Promise<unknown>;

/** One context object per target run, handed to every sync of the plugin. */
export interface SyncContext {
  targetName: string;
  params: Parameters;
  logger: Logger;
  signal: AbortSignal;
  /** Calls to external services by operation, for the summary. */
  calls: CallCounter;
  /** Per target run, shared between its syncs (for example the IAM snapshot that identity and access both read). */
  state: Map<string, unknown>;
  /** The syncs that run for this target in this run (a sync can prepare for a later one). */
  syncs: ReadonlySet<SyncKind>;
  dryRun: boolean;
  awsInterceptor?: AwsInterceptor;
}

export interface DataAccessInput {
  /** Access providers decided in the cloud to write into AWS. */
  toExport: AsyncIterable<AccessProviderToExport>;
  /**
   * Optional: hands the host what the export planned and did. The host writes `plan` as plan.json
   * next to the streams, prints the plan table on a dry run and the counts in the summary, and
   * fails the run (exit 1) when `failed` is not 0. A plugin that exports calls it once per run.
   */
  reportExport?(report: AccessExportReport): void;
}

export type ExportOutcome = 'created' | 'updated' | 'deleted' | 'unchanged' | 'failed';

/** What an access export planned (dry run) or did, for the host (docs/plugins.md, docs/export-plan.md). */
export interface AccessExportReport {
  dryRun: boolean;
  /** JSON-serialisable plan, written as plan.json. */
  plan: unknown;
  /** The plan as a readable table (resource, action, what changes). */
  planTable: string;
  /** Access providers per type and outcome (on a dry run: the planned outcome). */
  counts: Record<string, Partial<Record<ExportOutcome, number>>>;
  /** Calls retried because AWS had not yet caught up with a create (eventual consistency). */
  consistencyRetries: number;
  /** Access providers that failed (exit 1 when not 0). */
  failed: number;
}

export interface DataUsageInput {
  /** ISO timestamp of the last usage already synced, when the sync target knows it. */
  lastUsed?: string;
}

/** The plugin contract: a plain object. A plugin never touches files, HTTP uploads or the exit code. */
export interface ConnectorPlugin {
  name: string;
  /** Other names accepted in `connector-name`, e.g. `raito-io/cli-plugin-aws-account`. */
  aliases?: string[];
  description: string;
  version: string;
  parameters: ParameterSpec[];
  /** Checks across parameters (e.g. two options that exclude each other). */
  validate?(params: Parameters): ParameterProblem[];
  metadata(params: Parameters): DataSourceMetadata | Promise<DataSourceMetadata>;
  /**
   * True when `syncs.dataAccess` writes the access providers to export into the data source (and
   * honours `dryRun`); absent or false when it can only answer them as not applied. The host derives
   * what `--dry-run` promises from it, as it derives `--skip-data-usage-sync` from `syncs.dataUsage`.
   */
  exportsAccess?: boolean;
  /** Called once at the end of each target run, to release what the syncs opened (sockets, pools). */
  close?(ctx: SyncContext): void | Promise<void>;
  /** `connector check`: verify credentials; returns a line describing who we are. */
  checkCredentials?(ctx: SyncContext): Promise<string>;
  syncs: {
    dataSource?(ctx: SyncContext, out: Pick<SyncOutputs, 'data-objects'>): Promise<void>;
    identityStore?(ctx: SyncContext, out: Pick<SyncOutputs, 'users' | 'groups'>): Promise<void>;
    dataAccess?(ctx: SyncContext, out: Pick<SyncOutputs, 'access-providers' | 'access-provider-feedback'>, input: DataAccessInput): Promise<void>;
    dataUsage?(ctx: SyncContext, out: Pick<SyncOutputs, 'data-usage'>, input: DataUsageInput): Promise<void>;
  };
}
