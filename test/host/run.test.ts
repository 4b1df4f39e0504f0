import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config/index.js';
import { ConfigError } from '../../src/errors.js';
import type { ConnectorPlugin } from '../../src/plugin-api/contract.js';
import type { SyncTarget } from '../../src/sync-target/types.js';
import { PluginRegistry } from '../../src/host/registry.js';
import { prepareTargets, runTargets, type SkipFlags } from '../../src/host/run.js';
import { readJsonlGz } from '../../src/streams/spool.js';
import { DirectoryTarget } from '../../src/sync-target/directory.js';
import { tempDir } from '../helpers/tmp.js';

const noSkip: SkipFlags = { 'data-source': false, 'identity-store': false, 'data-access': false, 'data-usage': false };
const fixtureDir = new URL('../fixtures/external-plugin/', import.meta.url).pathname;

/** A built-in plugin for host tests: identities always work, data objects fail halfway when asked to. */
const teamPlugin: ConnectorPlugin = {
  name: 'team',
  description: 'test plugin',
  version: '0.0.1',
  parameters: [{ name: 'team-fail-data-source', description: 'fail the data source sync', type: 'boolean', default: false }],
  metadata: () => ({ type: 'team', dataObjectTypes: [], accessProviderTypes: [], usageLevels: [] }),
  syncs: {
    async dataSource(ctx, out) {
      await out['data-objects'].write({ externalId: 'acct', name: 'acct', fullName: 'acct', type: 'datasource' });
      if (ctx.params['team-fail-data-source']) throw new Error('bucket listing broke');
    },
    async identityStore(_ctx, out) {
      await out.users.write({ externalId: 'u1', name: 'alice', userName: 'alice' });
      await out.groups.write({ externalId: 'g1', name: 'analysts', displayName: 'analysts' });
    },
  },
};

async function runYaml(yaml: string, skip: SkipFlags = noSkip) {
  const base = await tempDir('host-run-');
  const config = parseConfig(yaml, { file: join(base, 'raito.yml'), env: {} });
  const targets = await prepareTargets(config, new PluginRegistry([teamPlugin]), [fixtureDir]);
  const summaries = await runTargets({ config, targets, syncTarget: new DirectoryTarget({ baseDir: base }), skip, dryRun: false, logger: pino({ level: 'silent' }), signal: new AbortController().signal });
  return { base, summaries };
}

async function manifestOf(folder: string) {
  return JSON.parse(await readFile(join(folder, 'manifest.json'), 'utf8')) as { streams: { name: string; records: number; complete: boolean; warnings: string[] }[] };
}

describe('running targets', () => {
  it('writes every stream of every sync with a manifest, and reports success', async () => {
    const { summaries } = await runYaml('targets:\n  - name: t1\n    connector-name: team\n');
    const [summary] = summaries;
    expect(summary?.ok).toBe(true);
    const manifest = await manifestOf(summary!.location!);
    expect(manifest.streams.map((s) => [s.name, s.records, s.complete])).toEqual([
      ['data-objects', 1, true],
      ['users', 1, true],
      ['groups', 1, true],
    ]);
    expect((await readdir(summary!.location!)).sort()).toEqual(['data-objects.jsonl.gz', 'groups.jsonl.gz', 'manifest.json', 'metadata.json', 'users.jsonl.gz']);
  });

  it('marks the streams of a failed sync incomplete, keeps the other syncs, and fails the target', async () => {
    const { summaries } = await runYaml('targets:\n  - name: t1\n    connector-name: team\n    team-fail-data-source: "true"\n');
    const [summary] = summaries;
    expect(summary?.ok).toBe(false);
    expect(summary?.syncs.map((s) => [s.sync, s.ok])).toEqual([
      ['data-source', false],
      ['identity-store', true],
    ]);
    const manifest = await manifestOf(summary!.location!);
    const dataObjects = manifest.streams.find((s) => s.name === 'data-objects');
    expect(dataObjects).toMatchObject({ records: 1, complete: false, warnings: [expect.stringContaining('bucket listing broke')] });
    expect(manifest.streams.find((s) => s.name === 'users')?.complete).toBe(true);
  });

  it('after SIGTERM (an aborted signal), marks what did not run incomplete and fails the target', async () => {
    const base = await tempDir('host-abort-');
    const config = parseConfig('targets:\n  - name: t1\n    connector-name: team\n', { file: join(base, 'raito.yml'), env: {} });
    const targets = await prepareTargets(config, new PluginRegistry([teamPlugin]), [fixtureDir]);
    const controller = new AbortController();
    controller.abort(new Error('stopped by SIGTERM'));
    const [summary] = await runTargets({ config, targets, syncTarget: new DirectoryTarget({ baseDir: base }), skip: noSkip, dryRun: false, logger: pino({ level: 'silent' }), signal: controller.signal });
    expect(summary).toMatchObject({ target: 't1', ok: false, error: 'not run: stopped by SIGTERM' });
  });

  it('after SIGTERM in the middle of a sync, runs no later sync and commits nothing', async () => {
    const base = await tempDir('host-abort-');
    const controller = new AbortController();
    // A data source that is stopped after its first record, while it waits on AWS.
    const slow: ConnectorPlugin = {
      ...teamPlugin,
      name: 'slow',
      syncs: {
        ...teamPlugin.syncs,
        async dataSource(ctx, out) {
          await out['data-objects'].write({ externalId: 'acct', name: 'acct', fullName: 'acct', type: 'datasource' });
          controller.abort(new Error('stopped by SIGTERM'));
          ctx.signal.throwIfAborted();
          await out['data-objects'].write({ externalId: 'acct:b', name: 'b', fullName: 'acct:b', type: 'bucket', parentExternalId: 'acct' });
        },
      },
    };
    const config = parseConfig('targets:\n  - name: t1\n    connector-name: slow\n', { file: join(base, 'raito.yml'), env: {} });
    const targets = await prepareTargets(config, new PluginRegistry([slow]), [fixtureDir]);
    const [summary] = await runTargets({ config, targets, syncTarget: new DirectoryTarget({ baseDir: base }), skip: noSkip, dryRun: false, logger: pino({ level: 'silent' }), signal: controller.signal });
    // A stopped run is aborted, not committed: nothing it read is presented, complete or not.
    expect(summary).toMatchObject({ ok: false, stopped: true });
    expect(summary?.location).toBeUndefined();
    expect(summary?.syncs.map((s) => [s.sync, s.ok, s.error])).toEqual([['data-source', false, 'stopped: stopped by SIGTERM']]);
  });

  it('when one stream of a sync cannot be handed over, closes the sync\'s other spools (no temporary file stays open)', async () => {
    const base = await tempDir('host-put-');
    const directory = new DirectoryTarget({ baseDir: base });
    let spoolDir = '';
    const failing: SyncTarget = {
      kind: 'directory',
      description: 'a target that refuses the users stream',
      check: () => directory.check(),
      async open(run) {
        const session = await directory.open(run);
        spoolDir = session.spoolDir;
        return Object.assign(Object.create(session) as typeof session, {
          async putStream(stream: Parameters<typeof session.putStream>[0]) {
            if (stream.name === 'users') throw new Error('upload of users failed');
            return session.putStream(stream);
          },
        });
      },
    };
    const config = parseConfig('targets:\n  - name: t1\n    connector-name: team\n    skip-data-source-sync: true\n', { file: join(base, 'raito.yml'), env: {} });
    const targets = await prepareTargets(config, new PluginRegistry([teamPlugin]), [fixtureDir]);
    const [summary] = await runTargets({ config, targets, syncTarget: failing, skip: noSkip, dryRun: false, logger: pino({ level: 'silent' }), signal: new AbortController().signal });
    expect(summary).toMatchObject({ ok: false, error: 'upload of users failed' });
    const left = await readdir(spoolDir).catch(() => [] as string[]);
    expect(left.filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('skips syncs switched off on the command line or in the target', async () => {
    const { summaries } = await runYaml('targets:\n  - name: t1\n    connector-name: team\n    skip-identity-store-sync: true\n', { ...noSkip, 'data-source': true });
    expect(summaries[0]?.syncs).toEqual([]);
  });

  it('loads an external plugin package named in connector-name and runs it through the same interface', async () => {
    const config = await loadConfig({ file: join(fixtureDir, 'raito.yml'), cwd: fixtureDir, home: fixtureDir, env: {} });
    const targets = await prepareTargets(config, new PluginRegistry([teamPlugin]), [fixtureDir]);
    expect(targets[0]?.plugin.name).toBe('hello');
    const base = await tempDir('host-ext-');
    const [summary] = await runTargets({ config, targets, syncTarget: new DirectoryTarget({ baseDir: base }), skip: noSkip, dryRun: false, logger: pino({ level: 'silent' }), signal: new AbortController().signal });
    const users = [];
    for await (const u of readJsonlGz(join(summary!.location!, 'users.jsonl.gz'))) users.push(u);
    expect(users).toEqual([
      { externalId: 'hello-ann', name: 'ann', userName: 'ann' },
      { externalId: 'hello-ben', name: 'ben', userName: 'ben' },
    ]);
  });

  it('rejects an unknown connector with the line of connector-name, before any target runs', async () => {
    const config = parseConfig('targets:\n  - name: ok\n    connector-name: team\n  - name: bad\n    connector-name: team-typo\n', { file: '/x/raito.yml', env: {} });
    const error = await prepareTargets(config, new PluginRegistry([teamPlugin]), [fixtureDir]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([expect.objectContaining({ line: 5, path: 'targets[1].connector-name', message: expect.stringContaining('unknown connector "team-typo"') })]);
  });

  it('names unknown targets given to --only-targets', async () => {
    const config = parseConfig('targets:\n  - name: ok\n    connector-name: team\n', { file: '/x/raito.yml', env: {} });
    await expect(prepareTargets(config, new PluginRegistry([teamPlugin]), [fixtureDir], ['nope'])).rejects.toThrow(/--only-targets names "nope"/);
  });
});
