import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { ConnectorError } from '../errors.js';
import type { ConnectorPlugin } from '../plugin-api/contract.js';

/** What an external plugin module must export (default export or `plugin`), checked before use. */
const PluginShape = z.object({
  name: z.string().min(1),
  aliases: z.array(z.string()).optional(),
  description: z.string(),
  version: z.string(),
  parameters: z.array(
    z.object({
      name: z.string().min(1),
      description: z.string(),
      type: z.enum(['string', 'boolean', 'integer', 'list', 'regex-list']),
      mandatory: z.boolean().optional(),
    }),
  ),
  metadata: z.function(),
  syncs: z.object({}).loose(),
});

/** Built-in plugins by name and alias, plus external plugins loaded from npm packages. */
export class PluginRegistry {
  private readonly byName = new Map<string, ConnectorPlugin>();

  constructor(readonly builtIns: ConnectorPlugin[]) {
    for (const plugin of builtIns) {
      for (const name of [plugin.name, ...(plugin.aliases ?? [])]) this.byName.set(name, plugin);
    }
  }

  /** A built-in by name or alias, else an npm package resolved from `searchDirs` (the config file's folder, then the working directory). */
  async resolve(connectorName: string, searchDirs: string[]): Promise<ConnectorPlugin> {
    const builtIn = this.byName.get(connectorName);
    if (builtIn) return builtIn;
    const path = resolvePackage(connectorName, searchDirs);
    if (!path) {
      throw new ConnectorError('plugin', `unknown connector "${connectorName}"`, {
        hint: `built-in connectors: ${this.builtIns.map((p) => p.name).join(', ')}; an external plugin must be an npm package installed next to raito.yml or in the working directory`,
      });
    }
    let module: Record<string, unknown>;
    try {
      module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    } catch (err) {
      throw new ConnectorError('plugin', `connector "${connectorName}" could not be loaded from ${path}: ${(err as Error).message}`, { cause: err });
    }
    const candidate = module.default ?? module.plugin;
    const parsed = PluginShape.safeParse(candidate);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(module)'}: ${i.message}`).join('; ');
      throw new ConnectorError('plugin', `connector "${connectorName}" does not export a valid plugin (${problems})`, {
        hint: 'export default { name, version, description, parameters, metadata, syncs } — see docs/plugins.md',
      });
    }
    return candidate as ConnectorPlugin;
  }
}

function resolvePackage(name: string, searchDirs: string[]): string | undefined {
  for (const dir of searchDirs) {
    try {
      return createRequire(join(dir, 'package.json')).resolve(name);
    } catch {
      // not installed there; try the next folder
    }
  }
  return undefined;
}
