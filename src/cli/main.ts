import { Command, CommanderError } from 'commander';
import { ExitCode } from '../errors.js';
import { connectorVersion } from '../version.js';
import { addCheckCommand } from './check.js';
import { addDemoCommand } from './demo.js';
import { addExplainCommand } from './explain.js';
import { addInfoCommand } from './info.js';
import { addInitCommand } from './init.js';
import { addRunCommand } from './run.js';
import { reportError } from './common.js';

// We support Node 20; the SDK's notice about its future Node 22 requirement is noise in a cron log.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export function buildProgram(): Command {
  const program = new Command('connector')
    .description('Syncs an AWS account\'s access picture with an access-governance cloud.')
    .version(connectorVersion)
    .option('-c, --config-file <path>', 'raito.yml to use (default: ./raito.yml, ./raito.yaml, ~/.raito/raito.yml)')
    .option('--log-level <level>', 'trace, debug, info, warn or error', 'info')
    .option('--log-file <path>', 'also write JSON log lines to this file')
    .showHelpAfterError()
    .exitOverride();
  addRunCommand(program);
  addInfoCommand(program);
  addCheckCommand(program);
  addDemoCommand(program);
  addInitCommand(program);
  addExplainCommand(program);
  return program;
}

try {
  await buildProgram().parseAsync(process.argv);
} catch (err) {
  // Commander's own usage errors (unknown option, missing argument) are usage errors: exit 2.
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  } else {
    // Anything else is a bug: one clear line and exit 1, not an unhandled rejection.
    process.exitCode = reportError(err);
  }
}
