import { describe, expect, it } from 'vitest';
import { capabilityHelp } from '../../src/cli/run.js';
import type { ConnectorPlugin } from '../../src/plugin-api/contract.js';

const plugin = (name: string, extra: Partial<ConnectorPlugin>): ConnectorPlugin => ({ name, description: '', version: '0', parameters: [], metadata: () => ({ type: name, dataObjectTypes: [], accessProviderTypes: [], usageLevels: [] }), syncs: {}, ...extra });

describe('run --help derives what --dry-run and --skip-data-usage-sync promise from the plugins', () => {
  it('says the flags have no effect when no plugin exports access or has a usage sync', () => {
    const help = capabilityHelp([plugin('identities-only', {})]);
    expect(help).toEqual({
      dryRun: 'no effect in this version: no built-in connector exports access yet (nothing is written into AWS with or without it)',
      skipUsage: 'no effect in this version: no built-in connector has a usage sync yet',
    });
  });

  it('names the plugins that honour them', () => {
    const help = capabilityHelp([plugin('a', { exportsAccess: true }), plugin('b', { syncs: { dataUsage: async () => undefined } }), plugin('c', {})]);
    expect(help.dryRun).toBe('plan the access export without changing AWS or committing to the sync API: prints the plan and writes plan.json next to the streams (the imports still run); honoured by: a');
    expect(help.skipUsage).toBe('do not sync usage (connectors with a usage sync: b)');
  });
});
