import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { PluginRegistry } from '../../src/host/registry.js';
import { prepareTargets, runTargets, type SkipFlags } from '../../src/host/run.js';
import { createSyncTarget } from '../../src/host/sync-target.js';
import { formatSummary } from '../../src/host/summary.js';
import type { ConnectorPlugin } from '../../src/plugin-api/contract.js';
import { FakeSyncApi } from '../sync-target/fake-sync-api.js';

const noSkip: SkipFlags = { 'data-source': false, 'identity-store': false, 'data-access': false, 'data-usage': false };
const SECRET = 'S3cr3t-do-not-leak';
const toExport = { id: 'ap-1', name: 'Sales readers', action: 'grant', who: { users: ['alice'] }, what: [] };

/** A plugin that "exports": one feedback per provider, and a report saying what it planned. */
function exportingPlugin(failed: number): ConnectorPlugin {
  return {
    name: 'exporter',
    description: 'test plugin',
    version: '0.0.1',
    parameters: [],
    exportsAccess: true,
    metadata: () => ({ type: 'exporter', dataObjectTypes: [], accessProviderTypes: [], usageLevels: [] }),
    syncs: {
      async dataAccess(ctx, out, input) {
        const ids: string[] = [];
        for await (const ap of input.toExport) {
          ids.push(ap.id);
          await out['access-provider-feedback'].write({ accessProvider: ap.id, actualName: ap.name, errors: failed ? ['broken'] : [], warnings: [] });
        }
        input.reportExport?.({
          dryRun: ctx.dryRun,
          plan: { version: 1, dryRun: ctx.dryRun, providers: ids },
          planTable: 'Access export plan (dry run: nothing is applied): 1 line\n  aws_role  R  create  trust: alice (2 calls)\n',
          counts: { aws_role: failed ? { failed } : { created: ids.length } },
          consistencyRetries: 3,
          failed,
        });
      },
    },
  };
}

let api: FakeSyncApi | undefined;
afterEach(async () => {
  await api?.stop();
  api = undefined;
});

async function run(yaml: string, options: { failed?: number; dryRun?: boolean; exportFile?: unknown[] }) {
  const base = await mkdtemp(join(tmpdir(), 'export-report-'));
  if (options.exportFile) await writeFile(join(base, 'to-export.jsonl'), options.exportFile.map((p) => JSON.stringify(p)).join('\n'));
  const config = parseConfig(yaml.replace('API_URL', api?.url ?? ''), { file: join(base, 'raito.yml'), env: {} });
  const targets = await prepareTargets(config, new PluginRegistry([exportingPlugin(options.failed ?? 0)]), [base]);
  const logger = pino({ level: 'silent' });
  const syncTarget = createSyncTarget(config, { cwd: base, logger, dryRun: options.dryRun });
  const summaries = await runTargets({ config, targets, syncTarget, skip: noSkip, dryRun: options.dryRun ?? false, logger, signal: new AbortController().signal });
  return { base, summaries };
}

describe('the export report', () => {
  it('is written as plan.json next to the streams (directory target, file named by the target key) and shown per type in the summary', async () => {
    const { summaries } = await run('targets:\n  - name: t\n    connector-name: exporter\n    access-providers-to-export: to-export.jsonl\n', { exportFile: [toExport] });
    const [summary] = summaries;
    expect(summary?.ok, summary?.error).toBe(true);
    expect(JSON.parse(await readFile(join(summary!.location!, 'plan.json'), 'utf8'))).toEqual({ version: 1, dryRun: false, providers: ['ap-1'] });
    const text = formatSummary(summaries);
    expect(text).toMatch(/access export\s+created\s+updated\s+deleted\s+unchanged\s+failed\n\s+aws_role\s+1\s+0\s+0\s+0\s+0\n/);
    // Only a dry run prints the plan table.
    expect(text).not.toContain('Access export plan');
  });

  it('fails the run when a provider failed, after delivering every feedback record', async () => {
    api = await new FakeSyncApi({ clientSecret: SECRET, accessProviders: [toExport] }).start();
    const { summaries } = await run(`api-url: API_URL\napi-user: connector-ci\napi-secret: ${SECRET}\ntargets:\n  - name: t\n    connector-name: exporter\n`, { failed: 1 });
    const [summary] = summaries;
    expect(summary?.syncs.map((s) => [s.sync, s.ok])).toEqual([['data-access', true]]);
    expect(summary?.ok).toBe(false);
    expect(summary?.location).toMatch(/^sync .* completed$/);
    expect(formatSummary(summaries)).toMatch(/aws_role\s+0\s+0\s+0\s+0\s+1\n\s+eventual-consistency retries: 3/);
  });
});

describe('a dry run against the sync API', () => {
  it('reads the access providers from the API, commits nothing there, and writes streams and plan.json locally', async () => {
    api = await new FakeSyncApi({ clientSecret: SECRET, accessProviders: [toExport] }).start();
    const { base, summaries } = await run(`api-url: API_URL\napi-user: connector-ci\napi-secret: ${SECRET}\ntargets:\n  - name: t\n    connector-name: exporter\n`, { dryRun: true });
    const [summary] = summaries;
    expect(summary?.ok, summary?.error).toBe(true);
    const calls = api.requests.map((r) => `${r.method} ${r.path.replace(/\/v1\/syncs\/[^/]+/, '/v1/syncs/{id}')}`);
    expect(calls.filter((c) => !c.startsWith('POST /oauth/token'))).toEqual(['POST /v1/syncs', 'GET /v1/syncs/{id}/access-providers', 'POST /v1/syncs/{id}/abort']);
    expect([...api.syncs.values()].map((s) => s.status)).toEqual(['aborted']);

    const [runId] = await readdir(join(base, 'raito-sync', 't'));
    const folder = join(base, 'raito-sync', 't', runId!);
    expect(summary?.location).toBe(`${folder} (dry run: nothing committed to the sync API)`);
    expect((await readdir(folder)).sort()).toEqual(['access-provider-feedback.jsonl.gz', 'access-providers.jsonl.gz', 'manifest.json', 'metadata.json', 'plan.json']);
    expect(JSON.parse(await readFile(join(folder, 'plan.json'), 'utf8'))).toEqual({ version: 1, dryRun: true, providers: ['ap-1'] });
    expect(formatSummary(summaries)).toContain('  Access export plan (dry run: nothing is applied): 1 line\n    aws_role  R  create  trust: alice (2 calls)\n  access export (dry run, planned)');
  });
});
