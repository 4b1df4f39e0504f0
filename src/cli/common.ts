import { homedir } from 'node:os';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import { loadConfig, type LoadedConfig } from '../config/index.js';
import { ConfigError, ConnectorError, ExitCode, errorMessage } from '../errors.js';
import { createLogger } from '../host/logger.js';
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
  return { config, targets, logger };
}

/** Reads raito.yml (from the usual places) and prepares its targets. */
export async function loadRun(options: GlobalOptions, cwd = process.cwd()): Promise<PreparedRun> {
  const config = await loadConfig({ file: options.configFile, cwd, home: homedir(), env: process.env });
  return prepareRun(config, options, [dirname(config.file), cwd]);
}

/** Runs the prepared targets until done or stopped by a signal, prints the summary and returns the exit code. */
export async function runAndReport(run: PreparedRun, options: Pick<RunOptions, 'syncTarget' | 'skip' | 'dryRun' | 'awsInterceptor'>, report: ReportFlags & { command: string } = { command: 'run' }): Promise<number> {
  const controller = abortOnSignals(run.logger);
  const startedAt = new Date();
  const progress = progressLine(report.progress ?? true);
  const summaries = await runTargets({ ...run, ...options, signal: controller.signal, observer: progress });
  progress?.stop();
  const exitCode = summaries.every((s) => s.ok) ? ExitCode.ok : ExitCode.syncFailed;
  return writeResults(summaries, { command: report.command, dryRun: options.dryRun, startedAt, finishedAt: new Date(), exitCode }, report);
}

/** Prints a failure the way a user needs it (what, where, what to do) and returns the exit code. */
export function reportError(err: unknown, stderr: NodeJS.WritableStream = process.stderr): number {
  if (err instanceof ConfigError) {
    stderr.write(`Configuration error:\n${err.message.split('\n').map((l) => `  ${l}`).join('\n')}\n`);
    if (err.hint) stderr.write(`Hint: ${err.hint}\n`);
    return ExitCode.usage;
  }
  if (err instanceof ConnectorError) {
    stderr.write(`Error: ${err.message}\n`);
    if (err.hint) stderr.write(`Hint: ${err.hint}\n`);
    return err.exitCode;
  }
  stderr.write(`Unexpected error: ${errorMessage(err)}\n${err instanceof Error && err.stack ? err.stack : ''}\n`);
  return ExitCode.syncFailed;
}

/** Kubernetes and cron stop jobs with SIGTERM: finish cleanly, marking unfinished streams incomplete. */
export function abortOnSignals(logger?: Logger): AbortController {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    logger?.warn({ signal }, 'stopping: unfinished streams will be marked incomplete');
    controller.abort(new Error(`stopped by ${signal}`));
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  return controller;
}

export function commaList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
