import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseConfig } from '../config/index.js';
import { createSyncTarget } from '../host/sync-target.js';
import { sampleAccountInterceptor } from '../demo/sample-account.js';
import { prepareRun, reportError, runAndReport, type GlobalOptions } from './common.js';
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
  program
    .command('demo')
    .description('sync a built-in sample AWS account to ./raito-sync/demo/ (no AWS account or credentials needed)')
    .action(async (_flags: unknown, command: Command) => {
      process.exitCode = await demoCommand(command.optsWithGlobals<GlobalOptions>());
    });
}

/** Runs the demo config (or the one given with -c) against the sample account instead of AWS. */
export async function demoCommand(options: GlobalOptions, cwd = process.cwd()): Promise<number> {
  try {
    const file = options.configFile ? resolve(cwd, options.configFile) : '<built-in demo config>';
    const source = options.configFile ? await readFile(file, 'utf8') : demoConfig;
    const config = parseConfig(source, { file, env: process.env });
    const run = await prepareRun(config, options, [cwd]);
    const syncTarget = createSyncTarget(config, { cwd, logger: run.logger });
    return await runAndReport(run, { syncTarget, skip: skipFlags({}), dryRun: false, awsInterceptor: sampleAccountInterceptor() });
  } catch (err) {
    return reportError(err);
  }
}
