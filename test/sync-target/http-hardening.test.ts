import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiTarget, type ApiTargetOptions } from '../../src/sync-target/api.js';
import { SyncApiClient } from '../../src/sync-target/http-client.js';
import { JsonlSpool } from '../../src/streams/spool.js';
import type { SyncRunInfo } from '../../src/sync-target/types.js';
import { FakeSyncApi } from './fake-sync-api.js';

const SECRET = 'S3cr3t-do-not-leak';
const run: SyncRunInfo = { target: 'aws-prod', connector: 'aws-account', connectorVersion: '0.1.0', runId: '20261123T101500Z-1a2b3c' };

let server: FakeSyncApi;
let spoolRoot: string;
let logLines: Record<string, unknown>[];

function options(overrides: Partial<ApiTargetOptions> = {}): ApiTargetOptions {
  return {
    apiUrl: server.url,
    apiUser: 'connector-ci',
    apiSecret: SECRET,
    userAgent: 'aws-access-connector/0.1.0',
    spoolRoot,
    retry: { baseDelayMs: 20, maxDelayMs: 40 },
    logger: pino({ level: 'debug' }, { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) }),
    ...overrides,
  };
}

beforeEach(async () => {
  server = await new FakeSyncApi({ clientSecret: SECRET }).start();
  spoolRoot = await mkdtemp(join(tmpdir(), 'api-hardening-'));
  logLines = [];
});
afterEach(async () => {
  await server.stop();
  await rm(spoolRoot, { recursive: true, force: true });
});

describe('sync API client: what is retried', () => {
  it('a 400 is not retried: one request, and the error names the call and the server message', async () => {
    server.fail({ method: 'POST', path: '/v1/syncs', times: 5, action: { status: 400, body: { message: 'dataSourceId ds-9 is unknown' } } });
    const target = new ApiTarget(options());
    await expect(target.open(run)).rejects.toThrow('POST /v1/syncs failed with 400: dataSourceId ds-9 is unknown');
    expect(server.requestsTo('POST', '/v1/syncs')).toHaveLength(1);
  });

  it.each([408, 409])('a %i is retried, and every retry is logged at info with the call, the attempt and the delay', async (status) => {
    server.fail({ method: 'POST', path: '/v1/syncs', times: 2, action: { status, body: { message: 'try again' } } });
    const session = await new ApiTarget(options()).open(run);
    expect(session.spoolDir).toContain(spoolRoot);
    expect(server.requestsTo('POST', '/v1/syncs')).toHaveLength(3);
    const retries = logLines.filter((l) => l.call === 'POST /v1/syncs');
    expect(retries.map((l) => [l.level, l.attempt])).toEqual([
      [30, 1],
      [30, 2],
    ]);
    for (const line of retries) expect(line.delayMs).toEqual(expect.any(Number));
    await session.abort('test over');
  });

  it('a host name that does not resolve is not retried (ENOTFOUND)', async () => {
    let calls = 0;
    const fetchStub = (() => {
      calls++;
      return Promise.reject(new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND api.nowhere.invalid'), { code: 'ENOTFOUND' }) }));
    }) as typeof fetch;
    const client = new SyncApiClient({ ...options(), apiUrl: 'https://api.nowhere.invalid', fetch: fetchStub });
    await expect(client.check()).rejects.toThrow('POST /oauth/token failed: fetch failed: ENOTFOUND getaddrinfo ENOTFOUND api.nowhere.invalid');
    expect(calls).toBe(1);
  });

  it('a TLS certificate error is not retried', async () => {
    let calls = 0;
    const fetchStub = (() => {
      calls++;
      return Promise.reject(new TypeError('fetch failed', { cause: Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' }) }));
    }) as typeof fetch;
    const client = new SyncApiClient({ ...options(), fetch: fetchStub });
    await expect(client.check()).rejects.toThrow(/CERT_HAS_EXPIRED certificate has expired/);
    expect(calls).toBe(1);
  });
});

describe('sync API client: timeouts and stops', () => {
  it('an endpoint that never answers fails after the connect timeout of each attempt, naming the setting', async () => {
    server.fail({ method: 'POST', path: '/oauth/token', times: 10, action: 'hang' });
    const client = new SyncApiClient({ ...options(), connectTimeoutMs: 150, retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 10 } });
    const started = Date.now();
    await expect(client.check()).rejects.toThrow('POST /oauth/token failed after 2 attempts: no answer within 0 s (api-connect-timeout)');
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(server.requestsTo('POST', '/oauth/token')).toHaveLength(2);
  });

  it('the per-attempt timeout bounds an upload whose answer never comes', async () => {
    const session = await new ApiTarget(options({ requestTimeoutMs: 300, retry: { maxAttempts: 1 } })).open(run);
    server.fail({ method: 'PUT', path: /\/streams\/users$/, action: 'hang' });
    const spool = await JsonlSpool.create({ dir: session.spoolDir, stream: 'users' });
    const started = Date.now();
    await expect(session.putStream(await spool.finish())).rejects.toThrow(/PUT \/v1\/syncs\/sync-1\/streams\/users failed after 1 attempts: not finished within 0 s \(api-request-timeout\)/);
    expect(Date.now() - started).toBeLessThan(3_000);
    await session.abort('test over');
  });

  it('a stop ends an upload in flight at once, and the abort still reaches the API within its deadline', async () => {
    const stop = new AbortController();
    const session = await new ApiTarget(options({ signal: stop.signal })).open(run);
    server.fail({ method: 'PUT', path: /\/streams\/users$/, action: 'hang' });
    const spool = await JsonlSpool.create({ dir: session.spoolDir, stream: 'users' });
    const upload = session.putStream(await spool.finish());
    setTimeout(() => stop.abort(new Error('stopped by SIGTERM')), 200);
    const started = Date.now();
    await expect(upload).rejects.toThrow('PUT /v1/syncs/sync-1/streams/users not completed: stopped by SIGTERM');
    expect(Date.now() - started).toBeLessThan(1_500);
    await session.abort('stopped by SIGTERM');
    expect(server.syncs.get('sync-1')).toMatchObject({ status: 'aborted', abortReason: 'stopped by SIGTERM' });
    expect(await readdir(spoolRoot)).toEqual([]);
  });

  it('the abort gives up after its 2 s deadline when the API does not answer', async () => {
    const session = await new ApiTarget(options()).open(run);
    server.fail({ method: 'POST', path: /\/abort$/, action: 'hang' });
    const started = Date.now();
    await session.abort('stopped by SIGTERM');
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(1_900);
    expect(took).toBeLessThan(3_500);
    expect(logLines.find((l) => l.msg === 'could not tell the sync API that the run was aborted')).toMatchObject({ err: expect.stringContaining('not finished within 2 s (deadline)') });
    expect(await readdir(spoolRoot)).toEqual([]);
  });
});
