import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { LoadedConfig, TargetConfig } from '../config/index.js';
import { validateTargetParameters } from '../config/index.js';
import { ConfigError, ConnectorError, errorMessage, type ConfigIssue } from '../errors.js';
import { streamSchemas, type Manifest, type StreamName } from '../model/index.js';
import { JsonlSpool } from '../streams/spool.js';
import type { SpooledStream, SyncSession, SyncTarget } from '../sync-target/types.js';
import { CallCounter } from '../plugin-api/call-counter.js';
import { syncOrder, syncStreams, type AccessExportReport, type AwsInterceptor, type ConnectorPlugin, type Parameters, type SyncContext, type SyncKind, type SyncOutputs } from '../plugin-api/contract.js';
import type { PluginRegistry } from './registry.js';
import { createSyncContext } from './sync-context.js';
import type { StreamSummary, SyncSummary, TargetSummary } from './summary.js';

/** The export plan's file name next to the streams (docs/export-plan.md). */
export const PLAN_FILE = 'plan.json';

/** Syncs switched off for the whole run (CLI flags); targets can switch off more in raito.yml. */
export type SkipFlags = Record<SyncKind, boolean>;

/** A target whose plugin is found and whose parameters are valid: ready to run. */
export interface PreparedTarget {
  config: TargetConfig;
  plugin: ConnectorPlugin;
  params: Parameters;
}

export interface RunOptions {
  config: LoadedConfig;
  targets: PreparedTarget[];
  syncTarget: SyncTarget;
  skip: SkipFlags;
  dryRun: boolean;
  logger: Logger;
  signal: AbortSignal;
  awsInterceptor?: AwsInterceptor;
}

/**
 * Resolves each target's plugin and validates its parameters before anything runs, so a config
 * mistake in the last target stops the run before the first one touches AWS.
 */
export async function prepareTargets(config: LoadedConfig, registry: PluginRegistry, searchDirs: string[], onlyTargets?: string[]): Promise<PreparedTarget[]> {
  let targets = config.targets;
  if (onlyTargets && onlyTargets.length > 0) {
    const unknown = onlyTargets.filter((name) => !targets.some((t) => t.name === name));
    if (unknown.length > 0) {
      throw new ConnectorError('usage', `--only-targets names ${unknown.map((n) => `"${n}"`).join(', ')}, not in ${config.file}`, {
        hint: `targets in the file: ${targets.map((t) => t.name).join(', ')}`,
      });
    }
    targets = targets.filter((t) => onlyTargets.includes(t.name));
  }
  const issues: ConfigIssue[] = [];
  const prepared: PreparedTarget[] = [];
  for (const target of targets) {
    try {
      const plugin = await registry.resolve(target.connectorName, searchDirs);
      const params = validateTargetParameters(target, plugin, config.file);
      prepared.push({ config: target, plugin, params });
    } catch (err) {
      if (err instanceof ConfigError) issues.push(...err.issues);
      else if (err instanceof ConnectorError && err.code === 'plugin') {
        issues.push({ path: `targets[${target.index}].connector-name`, message: `${err.message}${err.hint ? ` (${err.hint})` : ''}`, file: config.file, line: target.lines['connector-name'] ?? target.line });
      } else throw err;
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return prepared;
}

function stopReason(signal: AbortSignal): string {
  return signal.reason instanceof Error ? signal.reason.message : 'the run was stopped';
}

/** Sortable by time and unique enough to never collide between two runs of one target. */
export function newRunId(now = new Date()): string {
  return `${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}

/** The syncs that run for a target: those the plugin has, less those switched off. */
export function syncsToRun(target: PreparedTarget, skip: SkipFlags): SyncKind[] {
  const has: Record<SyncKind, unknown> = {
    'data-source': target.plugin.syncs.dataSource,
    'identity-store': target.plugin.syncs.identityStore,
    'data-access': target.plugin.syncs.dataAccess,
    'data-usage': target.plugin.syncs.dataUsage,
  };
  const targetSkip: Record<SyncKind, boolean> = {
    'data-source': target.config.skip.dataSource,
    'identity-store': target.config.skip.identityStore,
    'data-access': target.config.skip.dataAccess,
    'data-usage': target.config.skip.dataUsage,
  };
  return syncOrder.filter((kind) => has[kind] && !skip[kind] && !targetSkip[kind]);
}

/** Runs every prepared target in order; one failing target does not stop the next. */
export async function runTargets(options: RunOptions): Promise<TargetSummary[]> {
  const summaries: TargetSummary[] = [];
  for (const target of options.targets) {
    if (options.signal.aborted) {
      // A stopped run must not look like a successful one: every target left out is a failure.
      summaries.push({ target: target.config.name, connector: target.plugin.name, ok: false, error: `not run: ${stopReason(options.signal)}`, durationMs: 0, syncs: [], streams: [], calls: new CallCounter() });
      continue;
    }
    summaries.push(await runTarget(options, target));
  }
  return summaries;
}

async function runTarget(options: RunOptions, target: PreparedTarget): Promise<TargetSummary> {
  const started = Date.now();
  const logger = options.logger.child({ target: target.config.name });
  const calls = new CallCounter();
  const summary: TargetSummary = { target: target.config.name, connector: target.plugin.name, ok: false, durationMs: 0, syncs: [], streams: [], calls };
  const kinds = syncsToRun(target, options.skip);
  const runId = newRunId();
  let session: SyncSession | undefined;
  let ctx: SyncContext | undefined;
  try {
    session = await options.syncTarget.open({
      target: target.config.name,
      connector: target.plugin.name,
      connectorVersion: target.plugin.version,
      runId,
      dataSourceId: target.config.dataSourceId,
      identityStoreId: target.config.identityStoreId,
      exportFile: target.config.exportFile,
    });
    ctx = createSyncContext({
      targetName: target.config.name,
      params: target.params,
      logger,
      signal: options.signal,
      calls,
      syncs: new Set(kinds),
      dryRun: options.dryRun,
      awsInterceptor: options.awsInterceptor,
    });
    logger.info({ runId, syncs: kinds, destination: options.syncTarget.description }, 'target run started');
    const streams: SpooledStream[] = [];
    const exported: { report?: AccessExportReport } = {};
    for (const kind of kinds) {
      const result = await runSync(ctx, target.plugin, kind, session, exported);
      summary.syncs.push(result.summary);
      streams.push(...result.streams);
    }
    if (exported.report) {
      summary.export = exported.report;
      // The plan sits next to the streams (docs/export-plan.md); a sync target without files keeps none.
      await session.putFile?.(PLAN_FILE, `${JSON.stringify(exported.report.plan, null, 2)}\n`);
    }
    await session.putMetadata(await target.plugin.metadata(target.params));
    const manifest: Manifest = {
      target: target.config.name,
      connector: target.plugin.name,
      connectorVersion: target.plugin.version,
      runId,
      startedAt: new Date(started).toISOString(),
      finishedAt: new Date().toISOString(),
      dataSourceId: target.config.dataSourceId,
      identityStoreId: target.config.identityStoreId,
      streams: streams.map(({ path: _path, ...entry }) => entry),
      metadataFile: 'metadata.json',
    };
    summary.streams = streams.map((s): StreamSummary => ({ name: s.name, records: s.records, warnings: s.warnings, complete: s.complete }));
    summary.location = await session.commit(manifest);
    // Every feedback record is delivered, but a provider that could not be exported fails the run.
    summary.ok = summary.syncs.every((s) => s.ok) && (summary.export?.failed ?? 0) === 0;
  } catch (err) {
    summary.error = errorMessage(err);
    logger.error({ err: summary.error }, 'target run failed');
    await session?.abort(summary.error).catch((abortErr: unknown) => logger.warn({ err: errorMessage(abortErr) }, 'could not abort the sync'));
  }
  if (ctx) await Promise.resolve(target.plugin.close?.(ctx)).catch((err: unknown) => logger.warn({ err: errorMessage(err) }, 'could not close the plugin'));
  summary.durationMs = Date.now() - started;
  logger.info({ ok: summary.ok, durationMs: summary.durationMs, calls: calls.total }, 'target run finished');
  return summary;
}

/** One sync: spools its streams, runs the plugin, and hands the finished streams to the session. */
async function runSync(
  ctx: SyncContext,
  plugin: ConnectorPlugin,
  kind: SyncKind,
  session: SyncSession,
  exported: { report?: AccessExportReport },
): Promise<{ summary: SyncSummary; streams: SpooledStream[] }> {
  const started = Date.now();
  const names = syncStreams[kind];
  const spools = new Map<StreamName, JsonlSpool<unknown>>();
  for (const name of names) spools.set(name, new JsonlSpool<unknown>({ dir: session.spoolDir, stream: name, schema: streamSchemas[name] as never }));
  const out = Object.fromEntries(spools) as unknown as SyncOutputs;
  ctx.logger.info({ sync: kind }, 'sync started');
  let error: string | undefined;
  try {
    if (ctx.signal.aborted) throw new ConnectorError('internal', `not run: ${stopReason(ctx.signal)}`);
    await callSync(ctx, plugin, kind, out, session, exported);
  } catch (err) {
    // The hint says what to do (grant a permission, log in): the summary is where a user reads it.
    error = err instanceof ConnectorError && err.hint ? `${errorMessage(err)} (${err.hint})` : errorMessage(err);
    ctx.logger.error({ sync: kind, err: error }, 'sync failed');
    for (const spool of spools.values()) spool.markIncomplete(`the ${kind} sync failed: ${error}`);
  }
  const streams: SpooledStream[] = [];
  for (const spool of spools.values()) {
    const stream = await spool.finish();
    await session.putStream(stream);
    streams.push(stream);
  }
  const durationMs = Date.now() - started;
  ctx.logger.info({ sync: kind, ok: !error, durationMs, records: Object.fromEntries(streams.map((s) => [s.name, s.records])) }, 'sync finished');
  return { summary: { sync: kind, ok: !error, durationMs, error }, streams };
}

function callSync(ctx: SyncContext, plugin: ConnectorPlugin, kind: SyncKind, out: SyncOutputs, session: SyncSession, exported: { report?: AccessExportReport }): Promise<void> {
  const syncs = plugin.syncs;
  switch (kind) {
    case 'data-source':
      return syncs.dataSource!(ctx, out);
    case 'identity-store':
      return syncs.identityStore!(ctx, out);
    case 'data-access':
      return syncs.dataAccess!(ctx, out, { toExport: session.accessProvidersToExport(), reportExport: (report) => (exported.report = report) });
    case 'data-usage':
      return syncs.dataUsage!(ctx, out, { lastUsed: session.lastUsed });
  }
}
