import { Option, type Command } from 'commander';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../config/index.js';
import { ConfigError, ConnectorError, ExitCode } from '../errors.js';
import { prepareTargets } from '../host/run.js';
import type { ConnectorPlugin } from '../plugin-api/contract.js';
import { commaList, registry, reportError, type GlobalOptions } from './common.js';

export interface InitFlags {
  connector: string[];
  regions?: string[];
  glue?: boolean;
  apiUrl?: string;
  force?: boolean;
}

/** The editor schema of this installation (docs/schemas/ ships in the package next to dist/). */
const schemaFile = fileURLToPath(new URL('../../docs/schemas/raito.schema.json', import.meta.url));

/** The environment variables the written file reads its secrets from. */
const SECRET_VARIABLES = ['RAITO_API_USER', 'RAITO_API_SECRET'];

export function addInitCommand(program: Command): void {
  program
    .command('init')
    .description('write a starter raito.yml (or the file given with -c) for "connector check" and "connector run"')
    .addOption(new Option('--connector <names>', 'comma-separated built-in connectors, one target each').argParser(commaList).default(['aws-account'], 'aws-account'))
    .option('--regions <regions>', 'comma-separated AWS regions, the first is the default region', commaList)
    .option('--glue', 'read data objects from the Glue catalog instead of S3')
    .option('--api-url <url>', 'the cloud sync API (without it, runs are written to ./raito-sync/)')
    .option('--force', 'overwrite an existing file')
    .action(async (flags: InitFlags, command: Command) => {
      process.exitCode = await initCommand({ ...command.optsWithGlobals<GlobalOptions>(), ...flags });
    });
}

const quoted = (text: string) => JSON.stringify(text);

function has(plugin: ConnectorPlugin, parameter: string): boolean {
  return plugin.parameters.some((p) => p.name === parameter);
}

function targetLines(plugin: ConnectorPlugin, flags: InitFlags, withApi: boolean): string[] {
  const lines = [`  - name: ${plugin.name}`, `    connector-name: ${plugin.name}`];
  if (withApi) lines.push('    data-source-id: "<data source id in the cloud>"', '    identity-store-id: "<identity store id in the cloud>"');
  // Credentials come from the standard AWS chain; the profile is the usual thing to set.
  if (has(plugin, 'aws-profile')) lines.push('    # aws-profile: <profile in ~/.aws/config>');
  if (has(plugin, 'aws-regions')) {
    lines.push(flags.regions && flags.regions.length > 0 ? `    aws-regions: ${flags.regions.join(',')}` : '    # aws-regions: eu-central-1,us-east-1   (default: the AWS SDK\'s default region)');
  }
  if (has(plugin, 'aws-glue-enabled') && has(plugin, 'aws-s3-enabled')) {
    lines.push('    # Data objects: straight from S3, or from the Glue catalog (not both).');
    lines.push(`    aws-s3-enabled: ${!flags.glue}`, `    aws-glue-enabled: ${flags.glue === true}`);
  }
  // A parameter the connector cannot do without: a placeholder the user must fill in.
  for (const spec of plugin.parameters.filter((p) => p.mandatory && p.default === undefined)) {
    lines.push(`    # ${spec.description.split('\n')[0]}`, `    ${spec.name}: ${quoted(`{{${spec.name.toUpperCase().replace(/-/g, '_')}}}`)}`);
  }
  lines.push(`    # Every parameter: connector info ${plugin.name}`);
  return lines;
}

/** The starter file's text. */
export function starterConfig(plugins: ConnectorPlugin[], flags: InitFlags, file: string): string {
  const schema = relative(dirname(file), schemaFile).split(sep).join('/');
  const lines = [
    `# yaml-language-server: $schema=${schema.startsWith('.') ? schema : `./${schema}`}`,
    '# Written by `connector init`. {{VAR}} is replaced by the environment variable VAR.',
  ];
  if (flags.apiUrl) {
    lines.push(`api-url: ${quoted(flags.apiUrl)}`, `api-user: "{{${SECRET_VARIABLES[0]}}}"`, `api-secret: "{{${SECRET_VARIABLES[1]}}}"`);
  } else {
    lines.push('# No api-url: every run is written to ./raito-sync/<target>/<run-id>/.', '# api-url: https://<your domain>/api');
  }
  lines.push('', 'targets:');
  for (const plugin of plugins) lines.push(...targetLines(plugin, flags, flags.apiUrl !== undefined));
  return `${lines.join('\n')}\n`;
}

/** Variables the file reads, so it can be checked before anyone has set them. */
function placeholderEnv(text: string): Record<string, string> {
  const values = text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n');
  return Object.fromEntries([...values.matchAll(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g)].map((m) => [m[1]!, 'placeholder']));
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/** Writes the starter file, checked as `connector check` will read it; never overwrites without --force. */
export async function initCommand(options: GlobalOptions & InitFlags, cwd = process.cwd(), out: NodeJS.WritableStream = process.stdout): Promise<number> {
  try {
    const file = resolve(cwd, options.configFile ?? 'raito.yml');
    if (!options.force && (await exists(file))) {
      throw new ConnectorError('usage', `${file} already exists`, { hint: 'use --force to overwrite it, or -c <path> to write another file' });
    }
    const plugins = registry();
    const chosen: ConnectorPlugin[] = [];
    for (const name of options.connector) {
      const plugin = plugins.builtIns.find((p) => p.name === name || p.aliases?.includes(name));
      if (!plugin) throw new ConnectorError('usage', `--connector: "${name}" is not a built-in connector`, { hint: `built-in connectors: ${plugins.builtIns.map((p) => p.name).join(', ')}` });
      chosen.push(plugin);
    }
    const text = starterConfig(chosen, options, file);
    try {
      const config = parseConfig(text, { file, env: placeholderEnv(text) });
      await prepareTargets(config, plugins, [cwd]);
    } catch (err) {
      // The flags made a file the connector would not accept (a region that is no region, a bad URL).
      if (err instanceof ConfigError) throw new ConnectorError('usage', `the flags give an invalid raito.yml:\n${err.issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`, { cause: err });
      throw err;
    }
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text, { mode: 0o600 });
    const variables = Object.keys(placeholderEnv(text));
    out.write(`Wrote ${file} with ${chosen.length} target(s): ${chosen.map((p) => p.name).join(', ')}.\n`);
    if (variables.length > 0) out.write(`Set the environment variables ${variables.join(', ')} (the file reads them as {{VAR}}).\n`);
    const fill = text.includes('"<') ? 'fill in the values marked <...>, then ' : '';
    out.write(`Next: ${fill}run "connector check${options.configFile ? ` -c ${options.configFile}` : ''}".\n`);
    return ExitCode.ok;
  } catch (err) {
    return reportError(err);
  }
}
