import type { Command } from 'commander';
import { locateConfigFile, parseConfig, readConfigText } from '../config/index.js';
import { assertLogLevel } from '../host/logger.js';
import { createSyncTarget } from '../host/sync-target.js';
import { sampleAccountInterceptor } from '../demo/sample-account.js';
import { withSampleExport } from '../demo/sample-export-target.js';
import { sampleAccessProvidersToExport } from '../demo/sample/export.js';
import { prepareRun, reportError, runAndReport, stopOnSignals, type GlobalOptions } from './common.js';
import { addReportOptions, writeStoppedRun, type ReportFlags } from './results.js';
import { skipFlags } from './run.js';

/** The built-in demo: the sample company's account, synced to ./raito-sync/demo/. */
export const demoConfig = `# The built-in demo: syncs the sample account of a small company (no AWS credentials needed).
targets:
  - name: demo
    connector-name: aws-account
    aws-regions: eu-central-1,us-east-1,eu-west-1
    # Permission sets of the sample organization's IAM Identity Center (the sample answers as its management account too).
    aws-organization-region: eu-central-1
    aws-organization-identity-center-instance-arn: arn:aws:sso:::instance/ssoins-72230a1b2c3d4e5f
  # The Identity Center users and groups that the permission sets are assigned to.
  - name: demo-organization
    connector-name: aws-organization
    aws-region: eu-central-1
`;

export function addDemoCommand(program: Command): void {
  const command = program.command('demo').description('sync a built-in sample AWS account to ./raito-sync/demo/ (no AWS account or credentials needed)');
  addReportOptions(command).action(async (_flags: unknown, command: Command) => {
    process.exitCode = await demoCommand(command.optsWithGlobals<GlobalOptions & ReportFlags>());
  });
}

/** Runs the demo config (or the one given with -c) against the sample account instead of AWS. */
export async function demoCommand(options: GlobalOptions & ReportFlags, cwd = process.cwd()): Promise<number> {
  const startedAt = new Date();
  const stop = stopOnSignals();
  try {
    assertLogLevel(options.logLevel ?? 'info');
    // The same checks as any config file: a folder, a missing file or a device is a clear error.
    const file = options.configFile ? await locateConfigFile({ file: options.configFile, cwd, home: cwd }) : '<built-in demo config>';
    const source = options.configFile ? await readConfigText(file) : demoConfig;
    const config = parseConfig(source, { file, env: process.env });
    const run = await prepareRun(config, options, [cwd]);
    stop.useLogger(run.logger);
    const local = createSyncTarget(config, { cwd, logger: run.logger, signal: stop.signal });
    // The built-in demo also exports a few sample access providers into the sample account.
    const syncTarget = options.configFile ? local : withSampleExport(local, sampleAccessProvidersToExport);
    return await runAndReport(run, { syncTarget, skip: skipFlags({}), dryRun: false, awsInterceptor: sampleAccountInterceptor() }, stop, { ...options, command: 'demo' });
  } catch (err) {
    stop.dispose();
    return writeStoppedRun(reportError(err), err, { ...options, command: 'demo' }, startedAt);
  }
}
