import type { Command } from 'commander';
import type { SkipFlags } from '../host/run.js';
import { createSyncTarget } from '../host/sync-target.js';
import { commaList, loadRun, reportError, runAndReport, type GlobalOptions } from './common.js';

interface RunFlags {
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

export function addRunCommand(program: Command): void {
  program
    .command('run')
    .description('run the syncs of every target in raito.yml and print a summary')
    .option('-t, --only-targets <names>', 'comma-separated target names to run (default: all)', commaList)
    .option('--skip-data-source-sync', 'do not sync data objects')
    .option('--skip-identity-store-sync', 'do not sync users and groups')
    .option('--skip-data-access-sync', 'do not sync access (export and import)')
    .option('--skip-data-usage-sync', 'do not sync usage')
    .option('--dry-run', 'plan the access export without changing AWS (the access import still runs)')
    .action(async (flags: RunFlags, command: Command) => {
      process.exitCode = await runCommand({ ...command.optsWithGlobals<GlobalOptions>(), ...flags });
    });
}

export async function runCommand(options: GlobalOptions & RunFlags): Promise<number> {
  try {
    const run = await loadRun(options);
    const syncTarget = createSyncTarget(run.config, { cwd: process.cwd(), logger: run.logger, dryRun: options.dryRun ?? false });
    return await runAndReport(run, { syncTarget, skip: skipFlags(options), dryRun: options.dryRun ?? false });
  } catch (err) {
    return reportError(err);
  }
}
