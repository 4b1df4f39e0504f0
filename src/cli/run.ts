import type { Command } from 'commander';
import type { ConnectorPlugin } from '../plugin-api/contract.js';
import { builtInPlugins } from '../plugins/index.js';
import type { SkipFlags } from '../host/run.js';
import { createSyncTarget } from '../host/sync-target.js';
import { commaList, loadRun, reportError, runAndReport, stopOnSignals, type GlobalOptions } from './common.js';
import { addReportOptions, writeStoppedRun, type ReportFlags } from './results.js';

interface RunFlags extends ReportFlags {
  onlyTargets?: string[];
  skipDataSourceSync?: boolean;
  skipIdentityStoreSync?: boolean;
  skipDataAccessSync?: boolean;
  skipDataUsageSync?: boolean;
  dryRun?: boolean;
}

export function skipFlags(flags: RunFlags): SkipFlags {
  return {
    'data-source': flags.skipDataSourceSync ?? false,
    'identity-store': flags.skipIdentityStoreSync ?? false,
    'data-access': flags.skipDataAccessSync ?? false,
    'data-usage': flags.skipDataUsageSync ?? false,
  };
}

/**
 * The help of --dry-run and --skip-data-usage-sync says what the plugins of this build offer:
 * a flag that nothing honours says so, instead of promising an export or a usage sync.
 */
export function capabilityHelp(plugins: readonly ConnectorPlugin[]): { dryRun: string; skipUsage: string } {
  const exporters = plugins.filter((p) => p.exportsAccess === true).map((p) => p.name);
  const usage = plugins.filter((p) => p.syncs.dataUsage !== undefined).map((p) => p.name);
  return {
    dryRun:
      exporters.length > 0
        ? `plan the access export without changing AWS or committing to the sync API: prints the plan and writes plan.json next to the streams (the imports still run); honoured by: ${exporters.join(', ')}`
        : 'no effect in this version: no built-in connector exports access yet (nothing is written into AWS with or without it)',
    skipUsage:
      usage.length > 0
        ? `do not sync usage (connectors with a usage sync: ${usage.join(', ')})`
        : 'no effect in this version: no built-in connector has a usage sync yet',
  };
}

export function addRunCommand(program: Command): void {
  const help = capabilityHelp(builtInPlugins);
  const command = program
    .command('run')
    .description('run the syncs of every target in raito.yml and print a summary')
    .option('-t, --only-targets <names>', 'comma-separated target names to run (default: all)', commaList)
    .option('--skip-data-source-sync', 'do not sync data objects')
    .option('--skip-identity-store-sync', 'do not sync users and groups')
    .option('--skip-data-access-sync', 'do not sync access (export and import)')
    .option('--skip-data-usage-sync', help.skipUsage)
    .option('--dry-run', help.dryRun);
  addReportOptions(command).action(async (flags: RunFlags, command: Command) => {
    process.exitCode = await runCommand({ ...command.optsWithGlobals<GlobalOptions>(), ...flags });
  });
}

export async function runCommand(options: GlobalOptions & RunFlags): Promise<number> {
  const startedAt = new Date();
  const stop = stopOnSignals();
  try {
    const run = await loadRun(options);
    stop.useLogger(run.logger);
    const syncTarget = createSyncTarget(run.config, { cwd: process.cwd(), logger: run.logger, signal: stop.signal, dryRun: options.dryRun ?? false });
    return await runAndReport(run, { syncTarget, skip: skipFlags(options), dryRun: options.dryRun ?? false }, stop, { ...options, command: 'run' });
  } catch (err) {
    stop.dispose();
    return writeStoppedRun(reportError(err), err, { ...options, command: 'run' }, startedAt);
  }
}
