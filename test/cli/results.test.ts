import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunSummary } from '../../src/model/run-summary.js';
import { runSummaryDocument } from '../../src/cli/results.js';
import { CallCounter } from '../../src/plugin-api/call-counter.js';
import { cli, workdir } from './cli.js';

describe('the run summary as JSON (--output json, --summary-file)', () => {
  it('demo: stdout and the summary file hold the same document, per sync and stream, with the calls by operation', async () => {
    const dir = await workdir();
    const result = await cli(['demo', '--output', 'json', '--summary-file', 'reports/summary.json'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const fromStdout = RunSummary.parse(JSON.parse(result.stdout));
    const fromFile = RunSummary.parse(JSON.parse(await readFile(join(dir, 'reports', 'summary.json'), 'utf8')));
    expect(fromFile).toEqual(fromStdout);

    expect(fromStdout).toMatchObject({ command: 'demo', status: 'succeeded', exitCode: 0, dryRun: false });
    const [target] = fromStdout.targets;
    const [runId] = await readdir(join(dir, 'raito-sync', 'demo'));
    expect(target).toMatchObject({ target: 'demo', connector: 'aws-account', status: 'succeeded', runId, location: join(dir, 'raito-sync', 'demo', runId!) });
    expect(target!.syncs.map((s) => [s.sync, s.status, s.streams.map((st) => st.name)])).toEqual([
      ['data-source', 'succeeded', ['data-objects']],
      ['identity-store', 'succeeded', ['users', 'groups']],
      ['data-access', 'succeeded', ['access-provider-feedback', 'access-providers']],
      ['data-usage', 'succeeded', ['data-usage']],
    ]);
    const identity = target!.syncs[1]!.streams;
    expect(identity).toEqual([
      // 13 IAM users and the root user from the credential report
      { name: 'users', records: 14, warnings: [], complete: true },
      { name: 'groups', records: 4, warnings: [], complete: true },
    ]);
    // Read once for the export's plan and again by the import, to see what the demo's export wrote:
    // each time one page of each of the 5 entity types.
    expect(target!.awsCalls.byOperation['IAM.GetAccountAuthorizationDetails']).toBe(10);
    expect(target!.awsCalls.total).toBe(Object.values(target!.awsCalls.byOperation).reduce((a, b) => a + b, 0));
    expect(target!.awsCalls.retries).toBe(0);
  });

  it('a failed sync: status failed, exit code 1, the error and the incomplete stream in the document', async () => {
    const dir = await workdir('targets:\n  - name: acct\n    connector-name: aws-account\n    aws-regions: eu-central-1\n');
    const result = await cli(['run', '-o', 'json', '--skip-identity-store-sync', '--skip-data-access-sync'], { cwd: dir });
    expect(result.code).toBe(1);
    const summary = RunSummary.parse(JSON.parse(result.stdout));
    expect(summary).toMatchObject({ command: 'run', status: 'failed', exitCode: 1 });
    const [sync] = summary.targets[0]!.syncs;
    expect(sync).toMatchObject({ sync: 'data-source', status: 'failed', error: expect.stringMatching(/^No usable AWS credentials for STS\.GetCallerIdentity/) });
    expect(sync!.streams).toEqual([{ name: 'data-objects', records: 0, warnings: [expect.stringMatching(/^the data-source sync failed: No usable AWS credentials/)], complete: false }]);
  });

  it('text stays the default on stdout while --summary-file gets the JSON', async () => {
    const dir = await workdir();
    const result = await cli(['demo', '--summary-file', 'summary.json'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Target demo \(aws-account\): succeeded/);
    // stderr is a pipe here, as under cron and CI: no progress line in the log.
    expect(result.stderr).not.toContain('\u001b[2K');
    expect(RunSummary.parse(JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8'))).status).toBe('succeeded');
  });

  it('a summary file that cannot be written fails the run with exit 1 and says which file', async () => {
    const dir = await workdir();
    await writeFile(join(dir, 'not-a-folder'), 'x');
    const result = await cli(['demo', '--summary-file', 'not-a-folder/summary.json'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Error: cannot write the summary file ${join(dir, 'not-a-folder', 'summary.json')}`);
  });

  it('a configuration error still leaves the summary file: failed, exit code 2, the reason, no targets', async () => {
    const dir = await workdir('targets:\n  - name: acct\n    connector-name: aws-account\n    aws-regoins: eu-central-1\n');
    const result = await cli(['run', '--summary-file', 'summary.json'], { cwd: dir });
    expect(result.code).toBe(2);
    const summary = RunSummary.parse(JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8')));
    expect(summary).toMatchObject({ command: 'run', status: 'failed', exitCode: 2, targets: [] });
    expect(summary.error).toContain('targets[0].aws-regoins: unknown parameter for connector aws-account');
  });

  it('--output takes only text or json', async () => {
    const dir = await workdir();
    const result = await cli(['demo', '--output', 'yaml'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("argument 'yaml' is invalid. Allowed choices are text, json.");
  });

  it('keeps the export counts (as the access export reports them), the sync id, and splits retries from calls', () => {
    const calls = new CallCounter();
    calls.add('IAM.CreateRole', 3);
    calls.add('IAM.CreateRole#retry', 2);
    const report = { dryRun: true, plan: [], planTable: '', counts: { aws_role: { created: 3, updated: 1, failed: undefined } }, failed: 0, consistencyRetries: 1 };
    const target = { target: 't', connector: 'aws-account', ok: true, runId: 'r1', syncId: 'sync-42', export: report, durationMs: 5, syncs: [], streams: [], calls };
    const doc = runSummaryDocument([target], { command: 'run', dryRun: true, startedAt: new Date(0), finishedAt: new Date(1500), exitCode: 0 });
    expect(doc.targets[0]).toMatchObject({
      status: 'succeeded',
      syncId: 'sync-42',
      export: { dryRun: true, counts: { aws_role: { created: 3, updated: 1 } }, failed: 0, consistencyRetries: 1 },
      awsCalls: { total: 3, retries: 2, byOperation: { 'IAM.CreateRole': 3, 'IAM.CreateRole#retry': 2 } },
    });
    expect(doc).toMatchObject({ durationMs: 1500, dryRun: true, startedAt: '1970-01-01T00:00:00.000Z' });
  });

  it('a target stopped by a signal is "stopped", not merely failed', () => {
    const doc = runSummaryDocument([{ target: 't', connector: 'aws-account', ok: false, stopped: true, error: 'not run: stopped by SIGTERM', durationMs: 0, syncs: [], streams: [], calls: new CallCounter() }], {
      command: 'run',
      dryRun: false,
      startedAt: new Date(0),
      finishedAt: new Date(10),
      exitCode: 1,
    });
    expect(doc.targets[0]).toMatchObject({ status: 'stopped', error: 'not run: stopped by SIGTERM' });
    expect(doc.status).toBe('failed');
  });
});
