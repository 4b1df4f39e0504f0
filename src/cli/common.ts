import { homedir } from 'node:os';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import type { SyncTarget } from '../sync-target/types.js';
import { loadConfig, type LoadedConfig } from '../config/index.js';
import { ConfigError, ConnectorError, ExitCode, errorMessage } from '../errors.js';
import { assertLogLevel, createLogger } from '../host/logger.js';
import { StopHandler } from '../host/stop.js';
import { escapeBlock, escapeLine } from '../text/terminal.js';
import type { Parameters } from '../plugin-api/contract.js';
import { PluginRegistry } from '../host/registry.js';
import { prepareTargets, runTargets, type PreparedTarget, type RunOptions } from '../host/run.js';
import { builtInPlugins } from '../plugins/index.js';
import { progressLine } from './progress.js';
import { writeResults, type ReportFlags } from './results.js';

/** Options every command that reads raito.yml shares. */
export interface GlobalOptions {
  configFile?: string;
  logLevel?: string;
  logFile?: string;
  onlyTargets?: string[];
}

export function registry(): PluginRegistry {
  return new PluginRegistry(builtInPlugins);
}

/** Every value that must never be printed: the api-secret, secret plugin parameters and AWS keys from the environment. */
export function secretsOf(config: LoadedConfig | undefined, targets: PreparedTarget[] = [], env: NodeJS.ProcessEnv = process.env): string[] {
  const secrets = [config?.apiSecret, env.RAITO_API_SECRET, env.AWS_SECRET_ACCESS_KEY, env.AWS_SESSION_TOKEN, env.AWS_ACCESS_KEY_ID];
  for (const t of targets) secrets.push(...secretParameterValues(t.plugin.parameters, t.params));
  return secrets.filter((s): s is string => typeof s === 'string' && s.length > 0);
}

function secretParameterValues(specs: PreparedTarget['plugin']['parameters'], params: Parameters): string[] {
  return specs.filter((s) => s.secret && typeof params[s.name] === 'string').map((s) => params[s.name] as string);
}

export interface PreparedRun {
  config: LoadedConfig;
  targets: PreparedTarget[];
  logger: Logger;
}

/** Prepares the targets of a config (plugins found, parameters valid), then makes the logger that knows the secrets to hide. */
export async function prepareRun(config: LoadedConfig, options: GlobalOptions, searchDirs: string[]): Promise<PreparedRun> {
  const targets = await prepareTargets(config, registry(), searchDirs, options.onlyTargets);
  const logger = createLogger({ level: options.logLevel, file: options.logFile, secrets: secretsOf(config, targets) });
  for (const warning of config.warnings ?? []) logger.warn({ file: config.file }, warning);
  return { config, targets, logger };
}

/** Reads raito.yml (from the usual places) and prepares its targets. */
export async function loadRun(options: GlobalOptions, cwd = process.cwd()): Promise<PreparedRun> {
  // Before anything else: a bad flag is a usage error, whatever the config says.
  assertLogLevel(options.logLevel ?? 'info');
  const config = await loadConfig({ file: options.configFile, cwd, home: homedir(), env: process.env });
  return prepareRun(config, options, [dirname(config.file), cwd]);
}

/**
 * Runs the prepared targets until done or stopped by a signal, prints the summary (text, or JSON with
 * --output json / --summary-file) and returns the exit code: 0 when every target succeeded, 1 when
 * one failed or the run was stopped.
 */
export async function runAndReport(
  run: PreparedRun,
  options: Pick<RunOptions, 'syncTarget' | 'skip' | 'dryRun' | 'awsInterceptor'>,
  stop: StopHandler,
  report: ReportFlags & { command: string } = { command: 'run' },
): Promise<number> {
  const startedAt = new Date();
  const progress = progressLine(report.progress ?? true);
  try {
    await prepareSyncTarget(run.config, options.syncTarget);
    const summaries = await runTargets({ ...run, ...options, signal: stop.signal, onEmergency: (cleanup) => stop.onEmergency(cleanup), observer: progress });
    progress?.stop();
    const exitCode = !stop.stoppedBy && summaries.every((s) => s.ok) ? ExitCode.ok : ExitCode.syncFailed;
    return await writeResults(summaries, { command: report.command, dryRun: options.dryRun, startedAt, finishedAt: new Date(), exitCode }, report);
  } finally {
    progress?.stop();
    stop.dispose();
  }
}

/** Creates the output location before any sync runs; a location that cannot exist is a config error naming the setting. */
export async function prepareSyncTarget(config: LoadedConfig, syncTarget: Pick<SyncTarget, 'prepare'>): Promise<void> {
  try {
    await syncTarget.prepare?.();
  } catch (err) {
    const fromEnv = config.settingsFromEnv?.includes('file-backup-location');
    const line = config.settingLines?.['file-backup-location'];
    const setting = config.fileBackupLocation === undefined ? 'file-backup-location (not set; the default is ./raito-sync)' : 'file-backup-location';
    throw new ConfigError([{ path: setting, message: `${errorMessage(err)}${fromEnv ? ' (value from environment variable RAITO_FILE_BACKUP_LOCATION)' : ''}`, file: config.file, ...(line === undefined ? {} : { line }) }], {
      hint: 'Set file-backup-location to a folder the connector may create and write to.',
      cause: err,
    });
  }
}

/** Prints a failure the way a user needs it (what, where, what to do) and returns the exit code. */
export function reportError(err: unknown, stderr: NodeJS.WritableStream = process.stderr): number {
  // Messages carry values from files and servers: escaped, one issue per line.
  if (err instanceof ConfigError) {
    stderr.write(`Configuration error:\n${err.issues.map((i) => `  ${escapeLine(ConfigError.format([i]))}`).join('\n')}\n`);
    if (err.hint) stderr.write(`Hint: ${escapeLine(err.hint)}\n`);
    return ExitCode.usage;
  }
  if (err instanceof ConnectorError) {
    stderr.write(`Error: ${escapeLine(err.message)}\n`);
    if (err.hint) stderr.write(`Hint: ${escapeLine(err.hint)}\n`);
    return err.exitCode;
  }
  stderr.write(`Unexpected error: ${escapeLine(errorMessage(err))}\n${err instanceof Error && err.stack ? escapeBlock(err.stack) : ''}\n`);
  return ExitCode.syncFailed;
}

/**
 * Kubernetes and cron stop jobs with SIGTERM: installed before the config is read, so a stop at
 * any moment stops (see StopHandler). The logger is attached once it exists.
 */
export function stopOnSignals(): StopHandler {
  return new StopHandler().install();
}

export function commaList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
