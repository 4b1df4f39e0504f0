import type { Command } from 'commander';
import { ConnectorError, ExitCode, errorMessage } from '../errors.js';
import { createSyncContext } from '../host/sync-context.js';
import { syncsToRun } from '../host/run.js';
import { createSyncTarget } from '../host/sync-target.js';
import { escapeLine } from '../text/terminal.js';
import { commaList, loadRun, reportError, type GlobalOptions } from './common.js';

export function addCheckCommand(program: Command): void {
  program
    .command('check')
    .description('check raito.yml, the AWS credentials of every target and the sync target, without syncing')
    .option('-t, --only-targets <names>', 'comma-separated target names to check (default: all)', commaList)
    .action(async (flags: { onlyTargets?: string[] }, command: Command) => {
      process.exitCode = await checkCommand({ ...command.optsWithGlobals<GlobalOptions>(), ...flags });
    });
}

/** One line per check; every failure says what is wrong and what to do. */
export async function checkCommand(options: GlobalOptions, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  let failed = false;
  const line = (ok: boolean, text: string) => {
    if (!ok) failed = true;
    out.write(`${ok ? 'ok  ' : 'FAIL'} ${escapeLine(text)}\n`);
  };
  try {
    const { config, targets, logger } = await loadRun(options);
    line(true, `config ${config.file}: ${targets.length} target(s) valid`);
    for (const target of targets) {
      const check = target.plugin.checkCredentials;
      if (!check) {
        line(true, `target ${target.config.name}: the ${target.plugin.name} connector has no credential check`);
        continue;
      }
      const ctx = createSyncContext({
        targetName: target.config.name,
        params: target.params,
        logger,
        signal: new AbortController().signal,
        syncs: new Set(syncsToRun(target, { 'data-source': false, 'identity-store': false, 'data-access': false, 'data-usage': false })),
        dryRun: true,
      });
      try {
        line(true, `target ${target.config.name}: ${await check(ctx)}`);
      } catch (err) {
        const hint = err instanceof ConnectorError && err.hint ? ` (${err.hint})` : '';
        line(false, `target ${target.config.name}: ${errorMessage(err)}${hint}`);
      } finally {
        // Releases what the check opened (AWS sockets), as a run does at the end of a target.
        await target.plugin.close?.(ctx);
      }
    }
    try {
      const syncTarget = createSyncTarget(config, { cwd: process.cwd(), logger });
      line(true, `sync target: ${await syncTarget.check()}`);
    } catch (err) {
      const hint = err instanceof ConnectorError && err.hint ? ` (${err.hint})` : '';
      line(false, `sync target: ${errorMessage(err)}${hint}`);
    }
    return failed ? ExitCode.syncFailed : ExitCode.ok;
  } catch (err) {
    return reportError(err);
  }
}
