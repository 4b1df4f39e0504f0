import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../src/errors.js';
import type { DataObject, DataSourceMetadata, Manifest, StreamName, User } from '../../src/model/index.js';
import { JsonlSpool } from '../../src/streams/spool.js';
import { ApiTarget, type ApiTargetOptions } from '../../src/sync-target/api.js';
import type { SpooledStream, SyncRunInfo, SyncSession } from '../../src/sync-target/types.js';
import { FakeSyncApi, type FakeSyncApiOptions } from './fake-sync-api.js';
import { collect } from '../helpers/collect.js';

const SECRET = 'S3cr3t-do-not-leak';
const run: SyncRunInfo = { target: 'aws-prod', connector: 'aws-account', connectorVersion: '0.1.0', runId: '20261123T101500Z-1a2b3c', dataSourceId: 'ds-1', identityStoreId: 'is-1' };
const metadata: DataSourceMetadata = { type: 'aws-account', dataObjectTypes: [], accessProviderTypes: [], usageLevels: ['read', 'write'] };
const alice: User = { externalId: 'AIDAALICE', name: 'alice', userName: 'alice', groupExternalIds: ['analysts'], tags: [], isMachine: false };
const bob: User = { ...alice, externalId: 'AIDABOB', name: 'bob', userName: 'bob' };
const exportAp = { id: 'ap-1', name: 'Sales readers', action: 'grant', who: { users: ['alice'] }, what: [{ dataObject: { fullName: '123456789012:eu-west-1:sales', type: 'bucket' }, permissions: ['s3:GetObject'] }] };

let server: FakeSyncApi;
let spoolRoot: string;
let logLines: string[];

async function startServer(options: FakeSyncApiOptions = {}): Promise<FakeSyncApi> {
  server = await new FakeSyncApi({ clientSecret: SECRET, ...options }).start();
  return server;
}

function target(overrides: Partial<ApiTargetOptions> = {}): ApiTarget {
  return new ApiTarget({
    apiUrl: server.url,
    apiUser: 'connector-ci',
    apiSecret: SECRET,
    domain: 'acme',
    userAgent: 'aws-access-connector/0.1.0',
    spoolRoot,
    pollIntervalMs: 10,
    retry: { baseDelayMs: 20, maxDelayMs: 100 },
    logger: pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) }),
    ...overrides,
  });
}

async function spool<T>(session: SyncSession, stream: StreamName, records: T[]): Promise<SpooledStream> {
  const s = await JsonlSpool.create<T>({ dir: session.spoolDir, stream });
  for (const r of records) await s.write(r);
  return s.finish();
}

function manifestFor(streams: SpooledStream[]): Manifest {
  return {
    target: run.target,
    connector: run.connector,
    connectorVersion: run.connectorVersion,
    runId: run.runId,
    startedAt: '2026-11-23T10:15:00.000Z',
    finishedAt: '2026-11-23T10:16:00.000Z',
    dataSourceId: run.dataSourceId,
    identityStoreId: run.identityStoreId,
    streams: streams.map(({ path: _path, ...entry }) => entry),
    metadataFile: 'metadata.json',
  };
}

/** Every byte the connector sent or said, apart from the token request itself. */
function everythingSaid(extra: string[] = []): string {
  const requests = server.requests
    .filter((r) => r.path !== '/oauth/token')
    .map((r) => JSON.stringify({ path: r.path, headers: { ...r.headers, authorization: undefined }, body: r.body.toString('latin1') }));
  return [...requests, ...logLines, ...extra].join('\n');
}

beforeEach(async () => {
  spoolRoot = await mkdtemp(join(tmpdir(), 'api-spool-'));
  logLines = [];
});
afterEach(async () => {
  await server?.stop();
  await rm(spoolRoot, { recursive: true, force: true });
});

describe('ApiTarget against a local sync API', () => {
  it('runs a whole session: token, open, streams, metadata, access providers, commit, poll', async () => {
    await startServer({ accessProviders: [exportAp, { ...exportAp, id: 'ap-2' }], lastUsed: '2026-11-22T00:00:00Z', pollsBeforeDone: 2 });
    const session = await target().open(run);
    expect(session.lastUsed).toBe('2026-11-22T00:00:00Z');
    expect(session.spoolDir.startsWith(spoolRoot)).toBe(true);

    const users = await spool(session, 'users', [alice, bob]);
    const objects = await spool<DataObject>(session, 'data-objects', []);
    await session.putStream(users);
    await session.putStream(objects);
    await session.putMetadata(metadata);
    const toExport = await collect(session.accessProvidersToExport());
    const where = await session.commit(manifestFor([users, objects]));

    expect(where).toBe('sync sync-1 completed');
    expect(toExport.map((a) => a.id)).toEqual(['ap-1', 'ap-2']);
    expect(toExport[0]).toMatchObject({ delete: false, who: { users: ['alice'], groups: [], inheritFrom: [] } });

    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /oauth/token',
      'POST /v1/syncs',
      'PUT /v1/syncs/sync-1/streams/users',
      'PUT /v1/syncs/sync-1/streams/data-objects',
      'PUT /v1/syncs/sync-1/metadata',
      'GET /v1/syncs/sync-1/access-providers',
      'POST /v1/syncs/sync-1/commit',
      'GET /v1/syncs/sync-1',
      'GET /v1/syncs/sync-1',
      'GET /v1/syncs/sync-1',
    ]);
    for (const r of server.requests) {
      expect(r.headers['user-agent']).toBe('aws-access-connector/0.1.0');
      expect(r.headers['raito-domain']).toBe('acme');
    }
    const token = server.issuedTokens[0];
    expect(server.requests.slice(1).every((r) => r.headers.authorization === `Bearer ${token}`)).toBe(true);

    const [open, putUsers] = [server.requests[1]!, server.requests[2]!];
    expect(open.headers['idempotency-key']).toBe(run.runId);
    expect(JSON.parse(open.body.toString())).toEqual({ target: 'aws-prod', connector: 'aws-account', connectorVersion: '0.1.0', runId: run.runId, dataSourceId: 'ds-1', identityStoreId: 'is-1' });
    expect(putUsers.headers).toMatchObject({
      'content-type': 'application/x-ndjson',
      'content-encoding': 'gzip',
      'content-digest': `sha-256=:${Buffer.from(users.sha256, 'hex').toString('base64')}:`,
      'idempotency-key': `${run.runId}/users`,
    });

    const sync = server.syncs.get('sync-1')!;
    expect(server.streamRecords('sync-1', 'users')).toEqual([alice, bob]);
    expect(server.streamRecords('sync-1', 'data-objects')).toEqual([]);
    expect(sync.metadata).toEqual(metadata);
    expect(sync.manifest).toEqual(manifestFor([users, objects]));
    expect(sync.status).toBe('completed');
    expect(server.digestMismatches).toBe(0);
    // The per-run spool is gone once the run is committed.
    expect(await readdir(spoolRoot)).toEqual([]);
  });

  it('the fake server really checks Content-Digest (so "no mismatch" above means something)', async () => {
    await startServer();
    const session = await target().open(run);
    const res = await fetch(`${server.url}/v1/syncs/sync-1/streams/users`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${server.issuedTokens[0]}`, 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip', 'content-digest': 'sha-256=:AAAA:' },
      body: 'not it',
    });
    expect(res.status).toBe(400);
    expect(server.digestMismatches).toBe(1);
    await session.abort('test over');
  });

  it('waits as long as Retry-After says after a 429', async () => {
    await startServer();
    server.fail({ method: 'POST', path: '/v1/syncs', action: { status: 429, headers: { 'Retry-After': '1' }, body: { error: 'slow down' } } });
    const session = await target().open(run);
    const [first, second] = server.requestsTo('POST', '/v1/syncs');
    const waited = second!.at - first!.at;
    expect(waited).toBeGreaterThanOrEqual(950);
    expect(waited).toBeLessThan(1900);
    // The retry carries the same idempotency key, and only one sync exists.
    expect(second!.headers['idempotency-key']).toBe(run.runId);
    expect(server.syncs.size).toBe(1);
    await session.abort('test over');
  });

  it('retries a 503 and uploads the whole stream again', async () => {
    await startServer();
    const session = await target().open(run);
    server.fail({ method: 'PUT', path: /\/streams\/users$/, action: { status: 503, body: { error: 'unavailable' } } });
    const users = await spool(session, 'users', [alice, bob]);
    await session.putStream(users);
    const puts = server.requestsTo('PUT', /\/streams\/users$/);
    expect(puts).toHaveLength(2);
    expect(puts.map((p) => p.body.length)).toEqual([users.bytes, users.bytes]);
    expect(server.streamRecords('sync-1', 'users')).toEqual([alice, bob]);
    expect(logLines.some((l) => l.includes('retrying') && l.includes('503'))).toBe(true);
    await session.abort('test over');
  });

  it('gives up after maxAttempts with an error that names the request and the last status', async () => {
    await startServer();
    server.fail({ method: 'POST', path: '/v1/syncs', times: 10, action: { status: 502, body: { message: 'bad gateway' } } });
    const err = await target({ retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 10 } })
      .open(run)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect((err as ConnectorError).code).toBe('sync-api');
    expect((err as Error).message).toBe('POST /v1/syncs failed after 3 attempts: 502: bad gateway');
    expect(server.requestsTo('POST', '/v1/syncs')).toHaveLength(3);
    expect(await readdir(spoolRoot)).toEqual([]);
  });

  it('fails at once on another 4xx, naming method, path, status and the server message', async () => {
    await startServer();
    const session = await target().open(run);
    server.fail({ method: 'PUT', path: '/v1/syncs/sync-1/metadata', action: { status: 422, body: { error: 'invalid', message: 'usageLevels must not be empty' } } });
    await expect(session.putMetadata(metadata)).rejects.toThrow('PUT /v1/syncs/sync-1/metadata failed with 422: usageLevels must not be empty');
    expect(server.requestsTo('PUT', '/v1/syncs/sync-1/metadata')).toHaveLength(1);
    await session.abort('test over');
  });

  it('renews an expired token once and carries on', async () => {
    await startServer();
    const session = await target().open(run);
    server.expireTokens();
    await session.putMetadata(metadata);
    expect(server.issuedTokens).toHaveLength(2);
    const puts = server.requestsTo('PUT', '/v1/syncs/sync-1/metadata');
    expect(puts.map((p) => p.headers.authorization)).toEqual([`Bearer ${server.issuedTokens[0]}`, `Bearer ${server.issuedTokens[1]}`]);
    expect(server.syncs.get('sync-1')!.metadata).toEqual(metadata);
    await session.abort('test over');
  });

  it('renews a token shortly before it expires, without waiting for a 401', async () => {
    await startServer({ expiresIn: 1 });
    const session = await target().open(run);
    await new Promise((r) => setTimeout(r, 950));
    await session.putMetadata(metadata);
    expect(server.issuedTokens).toHaveLength(2);
    expect(server.requests.filter((r) => r.path !== '/oauth/token').every((r) => r.headers.authorization !== undefined)).toBe(true);
    expect(server.requests.some((r) => r.method === 'PUT' && r.headers.authorization === `Bearer ${server.issuedTokens[0]}`)).toBe(false);
    await session.abort('test over');
  });

  it('a wrong secret fails with a clear message that holds neither secret nor token', async () => {
    await startServer();
    const err = await target({ apiSecret: 'wrong-secret-123' })
      .check()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect((err as Error).message).toMatch(/^the sync API rejected the credentials of api-user connector-ci/);
    expect((err as Error).message).not.toContain('wrong-secret-123');
    expect(logLines.join('\n')).not.toContain('wrong-secret-123');
  });

  it('a 401 that survives a new token is a credentials error, not a loop', async () => {
    await startServer();
    const session = await target().open(run);
    server.fail({ method: 'PUT', path: '/v1/syncs/sync-1/metadata', times: 5, action: { status: 401, body: { error: 'invalid_token' } } });
    await expect(session.putMetadata(metadata)).rejects.toThrow('the sync API rejected the credentials of api-user connector-ci');
    expect(server.requestsTo('PUT', '/v1/syncs/sync-1/metadata')).toHaveLength(2);
    await session.abort('test over');
  });

  it('a sync the server fails is an error with the server message; abort then leaves the server alone', async () => {
    await startServer({ commitOutcome: { status: 'failed', error: 'stream users: line 2 is not a user' } });
    const session = await target().open(run);
    const users = await spool(session, 'users', [alice]);
    await session.putStream(users);
    await expect(session.commit(manifestFor([users]))).rejects.toThrow('sync sync-1 failed on the server: stream users: line 2 is not a user');
    await session.abort('commit failed');
    expect(server.requestsTo('POST', '/v1/syncs/sync-1/abort')).toHaveLength(0);
    expect(await readdir(spoolRoot)).toEqual([]);
  });

  it('gives up polling after pollTimeoutMs', async () => {
    await startServer({ pollsBeforeDone: 1000 });
    const session = await target({ pollTimeoutMs: 100 }).open(run);
    await expect(session.commit(manifestFor([]))).rejects.toThrow(/sync sync-1 was not processed within 0 s \(last status: committing\)/);
  });

  it('re-sends the whole stream after the connection is reset mid-upload', async () => {
    await startServer();
    const session = await target().open(run);
    // Incompressible records so the upload spans many packets.
    const many = Array.from({ length: 3000 }, (_, i) => ({ ...alice, externalId: `u${i}`, name: randomBytes(40).toString('hex') }));
    const users = await spool(session, 'users', many);
    expect(users.bytes).toBeGreaterThan(100_000);
    server.fail({ method: 'PUT', path: /\/streams\/users$/, action: 'reset' });
    await session.putStream(users);

    const puts = server.requestsTo('PUT', /\/streams\/users$/);
    expect(puts).toHaveLength(2);
    expect(puts[0]!.reset).toBe(true);
    expect(puts[1]!.body.length).toBe(users.bytes);
    expect(puts[1]!.headers['idempotency-key']).toBe(`${run.runId}/users`);
    expect(server.streamRecords('sync-1', 'users')).toEqual(many);
    expect(server.digestMismatches).toBe(0);
    expect(logLines.some((l) => l.includes('retrying'))).toBe(true);
    await session.abort('test over');
  });

  it('no request, error or log line reveals the api-secret or the token', async () => {
    await startServer({ accessProviders: [exportAp] });
    const t = target();
    const errors: string[] = [];
    const session = await t.open(run);
    server.fail({ method: 'PUT', path: /\/streams\//, action: { status: 503, body: { error: `echoing ${SECRET}` } } });
    const users = await spool(session, 'users', [alice]);
    await session.putStream(users);
    server.expireTokens();
    await session.putMetadata(metadata);
    await collect(session.accessProvidersToExport());
    server.fail({ method: 'POST', path: /\/commit$/, action: { status: 400, body: { message: `bad manifest, token ${server.issuedTokens[1]} secret ${SECRET}` } } });
    await session.commit(manifestFor([users])).catch((e: unknown) => errors.push(String(e), JSON.stringify(e)));
    await session.abort('commit failed');

    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toContain('[redacted]');
    const said = everythingSaid(errors);
    expect(logLines.length).toBeGreaterThan(5);
    expect(said).not.toContain(SECRET);
    for (const token of server.issuedTokens) expect(said).not.toContain(token);
    // The secret goes to the token endpoint only, the token only in Authorization headers.
    const tokenRequests = server.requestsTo('POST', '/oauth/token');
    expect(tokenRequests.every((r) => r.body.toString().includes(`client_secret=${SECRET}`))).toBe(true);
  });

  it('reads no access providers on 204, and names the line of a bad one', async () => {
    await startServer();
    const session = await target().open(run);
    expect(await collect(session.accessProvidersToExport())).toEqual([]);
    await session.abort('test over');

    await server.stop();
    await startServer({ accessProviders: [exportAp, { ...exportAp, action: 'maybe' }] });
    const second = await target().open(run);
    await expect(collect(second.accessProvidersToExport())).rejects.toThrow(/^GET \/v1\/syncs\/sync-1\/access-providers:2: not a valid access provider to export: action:/);
    await second.abort('test over');
    expect(server.syncs.get('sync-1')!.status).toBe('aborted');
    expect(server.syncs.get('sync-1')!.abortReason).toBe('test over');
  });

  it('decodes a gzip access provider body that the fetch implementation left encoded', async () => {
    await startServer();
    const rawGzipFetch: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/access-providers')) {
        return new Response(gzipSync(`${JSON.stringify(exportAp)}\n`), { status: 200, headers: { 'content-type': 'application/x-ndjson' } });
      }
      return fetch(input, init);
    };
    const session = await target({ fetch: rawGzipFetch }).open(run);
    expect((await collect(session.accessProvidersToExport())).map((a) => a.id)).toEqual(['ap-1']);
    await session.abort('test over');
  });

  it('check obtains a token and pings the API', async () => {
    await startServer();
    const t = target();
    expect(await t.check()).toBe(`sync API ${server.url} accepts api-user connector-ci`);
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /oauth/token', 'GET /v1/ping']);
    expect(t.description).toBe(`sync API ${server.url} (api-user connector-ci)`);
  });

  it('keeps a path prefix of api-url', async () => {
    await startServer();
    const err = await target({ apiUrl: `${server.url}/prefix/` })
      .check()
      .catch((e: unknown) => e);
    // The fake serves no prefix, so the token request is a 404 that names the prefixed path.
    expect((err as Error).message).toMatch(/^POST \/oauth\/token failed with 404/);
    expect(server.requests[0]!.path).toBe('/prefix/oauth/token');
  });

  it('retries when the server is unreachable, then says where it tried', async () => {
    await startServer();
    const url = server.url;
    await server.stop();
    const err = await new ApiTarget({ apiUrl: url, apiUser: 'u', apiSecret: SECRET, userAgent: 'x', spoolRoot, retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 5 } })
      .check()
      .catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/^POST \/oauth\/token failed after 2 attempts: fetch failed: ECONNREFUSED/);
    await startServer(); // for afterEach
  });
});
