import { homedir } from 'node:os';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import { loadConfig, type LoadedConfig } from '../config/index.js';
import { ConfigError, ConnectorError, ExitCode, errorMessage } from '../errors.js';
import { createLogger } from '../host/logger.js';
import type { Parameters } from '../host/plugin.js';
import { PluginRegistry } from '../host/registry.js';
import { prepareTargets, type PreparedTarget } from '../host/run.js';
import { builtInPlugins } from '../plugins/index.js';

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

/** Reads raito.yml and prepares its targets, then makes the logger that knows the secrets to hide. */
export async function loadRun(options: GlobalOptions, cwd = process.cwd()): Promise<{ config: LoadedConfig; targets: PreparedTarget[]; logger: Logger }> {
  const config = await loadConfig({ file: options.configFile, cwd, home: homedir(), env: process.env });
  const targets = await prepareTargets(config, registry(), [dirname(config.file), cwd], options.onlyTargets);
  const logger = createLogger({ level: options.logLevel, file: options.logFile, secrets: secretsOf(config, targets) });
  return { config, targets, logger };
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
