import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import type { ConnectorPlugin } from '../../src/plugin-api/contract.js';
import { PluginRegistry } from '../../src/host/registry.js';
import { prepareTargets, runTargets, type SkipFlags } from '../../src/host/run.js';
import { DirectoryTarget, USAGE_CURSOR_FILE } from '../../src/sync-target/directory.js';

const noSkip: SkipFlags = { 'data-source': false, 'identity-store': false, 'data-access': false, 'data-usage': false };

/** A usage plugin that reports the cursor it was given plus one hour, and leaves its stream incomplete when asked. */
function usagePlugin(seen: (string | undefined)[]): ConnectorPlugin {
  return {
    name: 'usage-test',
    description: 'test plugin',
    version: '0.0.1',
    parameters: [{ name: 'usage-test-incomplete', description: 'mark the usage stream incomplete', type: 'boolean', default: false }],
    metadata: () => ({ type: 'usage-test', dataObjectTypes: [], accessProviderTypes: [], usageLevels: [] }),
    syncs: {
      async dataUsage(ctx, out, input) {
        seen.push(input.lastUsed);
        const from = input.lastUsed ? Date.parse(input.lastUsed) : Date.UTC(2026, 10, 30, 0, 0);
        await out['data-usage'].write({ externalId: `e${seen.length}`, accessedDataObjects: [], success: true, startTime: from });
        if (ctx.params['usage-test-incomplete']) out['data-usage'].markIncomplete('a log file could not be read');
        return { lastUsed: new Date(from + 3_600_000).toISOString() };
      },
    },
  };
}

async function run(base: string, plugin: ConnectorPlugin, incomplete = false) {
  const yaml = `targets:\n  - name: t1\n    connector-name: usage-test\n    usage-test-incomplete: "${incomplete}"\n`;
  const config = parseConfig(yaml, { file: join(base, 'raito.yml'), env: {} });
  const targets = await prepareTargets(config, new PluginRegistry([plugin]), []);
  const [summary] = await runTargets({ config, targets, syncTarget: new DirectoryTarget({ baseDir: base }), skip: noSkip, dryRun: false, logger: pino({ level: 'silent' }), signal: new AbortController().signal });
  return summary!;
}

const cursorOf = async (base: string) => JSON.parse(await readFile(join(base, 't1', USAGE_CURSOR_FILE), 'utf8')) as { lastUsed: string; runId: string };

describe('the usage cursor of the directory target', () => {
  it('is kept beside the runs after a complete usage stream, and handed back as lastUsed next time', async () => {
    const base = await mkdtemp(join(tmpdir(), 'usage-cursor-'));
    const seen: (string | undefined)[] = [];
    const plugin = usagePlugin(seen);
    const first = await run(base, plugin);
    expect(first.ok).toBe(true);
    expect(await cursorOf(base)).toEqual({ lastUsed: '2026-11-30T01:00:00.000Z', runId: first.location!.split('/').pop() });
    await run(base, plugin);
    expect(seen).toEqual([undefined, '2026-11-30T01:00:00.000Z']);
    expect((await cursorOf(base)).lastUsed).toBe('2026-11-30T02:00:00.000Z');
    expect((await readdir(join(base, 't1'))).filter((f) => !f.startsWith('2')).sort()).toEqual([USAGE_CURSOR_FILE]);
  });

  it('does not move when the usage stream is incomplete', async () => {
    const base = await mkdtemp(join(tmpdir(), 'usage-cursor-'));
    const seen: (string | undefined)[] = [];
    await run(base, usagePlugin(seen));
    await run(base, usagePlugin(seen), true);
    await run(base, usagePlugin(seen));
    expect(seen).toEqual([undefined, '2026-11-30T01:00:00.000Z', '2026-11-30T01:00:00.000Z']);
  });

  it('never moves backwards', async () => {
    const base = await mkdtemp(join(tmpdir(), 'usage-cursor-'));
    const seen: (string | undefined)[] = [];
    const backwards: ConnectorPlugin = { ...usagePlugin(seen), syncs: { dataUsage: async () => ({ lastUsed: '2020-01-01T00:00:00.000Z' }) } };
    await run(base, usagePlugin(seen));
    await run(base, backwards);
    expect((await cursorOf(base)).lastUsed).toBe('2026-11-30T01:00:00.000Z');
  });

  it('a cursor file without a timestamp stops the run with the file named and what to do', async () => {
    const base = await mkdtemp(join(tmpdir(), 'usage-cursor-'));
    const seen: (string | undefined)[] = [];
    await run(base, usagePlugin(seen));
    await writeFile(join(base, 't1', USAGE_CURSOR_FILE), '{"lastUsed": 12}');
    const broken = await run(base, usagePlugin(seen));
    expect(broken.ok).toBe(false);
    expect(broken.error).toBe(`the usage cursor ${join(base, 't1', USAGE_CURSOR_FILE)} does not hold a "lastUsed" timestamp`);
  });
});
