import { spawn } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeSyncApi } from '../sync-target/fake-sync-api.js';
import { binPath, workdir } from './cli.js';

let api: FakeSyncApi | undefined;
afterEach(async () => api?.stop());

/** The demo against a sync API whose data-objects upload never gets an answer (a stuck endpoint). */
async function stuckRun(options: { abortHangs?: boolean } = {}) {
  api = await new FakeSyncApi({ clientId: 'connector-user', clientSecret: 'api-S3cr3t-value' }).start();
  api.fail({ method: 'PUT', path: /\/streams\/data-objects$/, times: 100, action: 'hang' });
  if (options.abortHangs) api.fail({ method: 'POST', path: /\/abort$/, times: 100, action: 'hang' });
  const dir = await workdir();
  const spoolRoot = join(dir, 'tmp');
  await mkdir(spoolRoot);
  await writeFile(join(dir, 'demo.yml'), `api-url: ${api.url}\napi-user: connector-user\napi-secret: api-S3cr3t-value\ntargets:\n  - name: demo\n    connector-name: aws-account\n    aws-regions: eu-central-1\n`);
  const child = spawn(process.execPath, [binPath, 'demo', '-c', 'demo.yml'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: dir, TMPDIR: spoolRoot, AWS_EC2_METADATA_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  // Wait until the upload hangs: the run is now waiting on the API.
  const server = api;
  for (let i = 0; i < 300 && server.requestsTo('PUT', /\/streams\/data-objects$/).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
  expect(server.requestsTo('PUT', /\/streams\/data-objects$/), stderr).toHaveLength(1);
  return { child, exited, spoolRoot, server, out: () => ({ stdout, stderr }) };
}

describe('stopping a run', () => {
  it('SIGTERM while an upload hangs: the upload is abandoned, the sync aborted, the spool removed, exit 1 within 10 s, "STOPPED"', async () => {
    const { child, exited, spoolRoot, server, out } = await stuckRun();
    const requestsBefore = server.requests.length;
    const started = Date.now();
    child.kill('SIGTERM');
    const code = await exited;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(code, out().stderr).toBe(1);
    expect(out().stdout).toContain('Target demo (aws-account): STOPPED');
    expect(out().stdout).not.toContain('succeeded');
    // After the signal: the abort and nothing else; no stream, no commit.
    expect(server.requests.slice(requestsBefore).map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1/syncs/sync-1/abort']);
    expect(server.syncs.get('sync-1')?.status).toBe('aborted');
    expect(await readdir(spoolRoot)).toEqual([]);
  }, 30_000);

  it('a second Ctrl-C exits 130 at once, after sending the abort and removing the spool', async () => {
    const { child, exited, spoolRoot, server, out } = await stuckRun({ abortHangs: true });
    child.kill('SIGINT');
    // The abort request hangs too: the first stop is still waiting on it when the second comes.
    for (let i = 0; i < 100 && server.requestsTo('POST', /\/abort$/).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    const started = Date.now();
    child.kill('SIGINT');
    const code = await exited;
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(code, out().stderr).toBe(130);
    expect(server.requestsTo('POST', /\/abort$/)).toHaveLength(1);
    expect(server.requestsTo('POST', /\/commit$/)).toHaveLength(0);
    expect(out().stdout).toContain('Run stopped (second SIGINT)');
    expect(await readdir(spoolRoot)).toEqual([]);
  }, 30_000);
});

describe('stopping a run that waits on AWS', () => {
  it('exits 1 within 10 s of SIGTERM even when the AWS endpoint accepts connections and never answers', async () => {
    const sockets = new Set<Socket>();
    const stuck = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => stuck.listen(0, '127.0.0.1', resolve));
    const { port } = stuck.address() as AddressInfo;
    try {
      const dir = await workdir(`targets:\n  - name: acct\n    connector-name: aws-account\n    aws-regions: eu-west-1\n    aws-endpoint-url: http://127.0.0.1:${port}\n`);
      const child = spawn(process.execPath, [binPath, 'run'], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', HOME: dir, AWS_EC2_METADATA_DISABLED: 'true', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret-example-key' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      for (let i = 0; i < 300 && sockets.size === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(sockets.size).toBeGreaterThan(0);
      const started = Date.now();
      child.kill('SIGTERM');
      const code = await exited;
      expect(Date.now() - started).toBeLessThan(10_500);
      expect(code).toBe(1);
      // Either the AWS call took the abort signal (a summary that says STOPPED) or the grace time ended it.
      expect(stdout).toMatch(/STOPPED|Run stopped \(SIGTERM, not finished within 8 s\)/);
      expect(stdout).not.toContain('succeeded');
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => stuck.close(() => resolve()));
    }
  }, 40_000);
});
