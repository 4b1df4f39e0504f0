import type { Command } from 'commander';
import { ConnectorError, ExitCode, errorMessage } from '../errors.js';
import type { ConnectorPlugin, ParameterSpec } from '../plugin-api/contract.js';
import { escapeBlock } from '../text/terminal.js';
import { registry, reportError } from './common.js';

/** The part of a plugin that `info --json` prints: its parameters and syncs, as declared. */
export function describePlugin(plugin: ConnectorPlugin) {
  return {
    name: plugin.name,
    aliases: plugin.aliases ?? [],
    version: plugin.version,
    description: plugin.description,
    syncs: Object.keys(plugin.syncs),
    parameters: plugin.parameters.map((p: ParameterSpec) => ({
      name: p.name,
      type: p.type,
      mandatory: p.mandatory ?? false,
      default: p.default,
      description: p.description,
    })),
  };
}

function formatPlugin(plugin: ConnectorPlugin): string {
  const lines = [`${plugin.name} ${plugin.version}`, `  ${plugin.description}`];
  if (plugin.aliases?.length) lines.push(`  also known as: ${plugin.aliases.join(', ')}`);
  lines.push(`  syncs: ${Object.keys(plugin.syncs).join(', ')}`, '', 'Parameters:');
  for (const p of plugin.parameters) {
    const facts = [p.type, p.mandatory ? 'mandatory' : 'optional', p.default === undefined ? undefined : `default ${String(p.default)}`].filter(Boolean).join(', ');
    lines.push(`  ${p.name} (${facts})`, `      ${p.description}`);
  }
  return `${lines.join('\n')}\n`;
}

export function addInfoCommand(program: Command): void {
  program
    .command('info [connector]')
    .description('list the connectors, or the parameters of one connector')
    .option('--json', 'print JSON instead of text')
    .action(async (connector: string | undefined, flags: { json?: boolean }) => {
      process.exitCode = await infoCommand(connector, flags.json ?? false);
    });
}

export async function infoCommand(connector: string | undefined, json: boolean): Promise<number> {
  try {
    const plugins = registry();
    if (!connector) {
      const list = plugins.builtIns.map((p) => ({ name: p.name, aliases: p.aliases ?? [], description: p.description }));
      process.stdout.write(json ? `${JSON.stringify(list, null, 2)}\n` : escapeBlock(`${list.map((p) => `${p.name}\n  ${p.description}`).join('\n')}\n\nRun "connector info <name>" for its parameters.\n`));
      return ExitCode.ok;
    }
    const plugin = await plugins.resolve(connector, [process.cwd()]);
    // An external plugin's texts are printed too: escaped like everything else.
    process.stdout.write(json ? `${JSON.stringify(describePlugin(plugin), null, 2)}\n` : escapeBlock(formatPlugin(plugin)));
    return ExitCode.ok;
  } catch (err) {
    // --json promises JSON on stdout, also for a failure (the exit code still says it failed).
    if (json) process.stdout.write(`${JSON.stringify({ error: errorMessage(err), ...(err instanceof ConnectorError && err.hint ? { hint: err.hint } : {}) }, null, 2)}\n`);
    return reportError(err);
  }
}
