import { Writable } from 'node:stream';
import { ListUsersCommand } from '@aws-sdk/client-iam';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { ListAccessPointsCommand } from '@aws-sdk/client-s3-control';
import { AdaptiveRetryStrategy } from '@smithy/core/retry';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAwsContext, type AwsContextOptions, type ManagedAwsContext } from '../../src/aws/client-factory.js';
import { describeAwsError } from '../../src/aws/errors.js';
import { AwsReads } from '../../src/aws/reads.js';
import { awsConnectionParameters } from '../../src/aws/parameters.js';
import { testContext } from '../helpers/context.js';
import { callerIdentity, listUsers, queryError, queryResponse, startLocalAws, STS_NS, type LocalAwsServer, type Responder } from './local-aws-server.js';

// These tests run the SDK's own middleware stack (endpoint rules, signing, adaptive retry, XML
// parsing) against a local HTTP server; nothing is mocked inside the SDK.

const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const ENV_KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_S3', 'AWS_REGION'];

let savedEnv: Record<string, string | undefined>;
let server: LocalAwsServer | undefined;
const made: ManagedAwsContext[] = [];

beforeEach(() => {
  savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  for (const k of ENV_KEYS) delete process.env[k];
  process.env.AWS_ACCESS_KEY_ID = KEY_ID;
  process.env.AWS_SECRET_ACCESS_KEY = SECRET_KEY;
});

afterEach(async () => {
  for (const aws of made.splice(0)) aws.destroy();
  await server?.close();
  server = undefined;
  for (const k of ENV_KEYS) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
});

/**
 * The SDK's adaptive strategy with its waits taken out (1 ms backoff, a rate limiter that never
 * holds a request back), so throttling tests stay fast; the retry decisions are the SDK's own.
 */
function quickAdaptiveRetry(maxAttempts = 8): AwsContextOptions['retryStrategy'] {
  return new AdaptiveRetryStrategy(maxAttempts, {
    backoff: { computeNextBackoffDelay: () => 1, setDelayBase: () => undefined },
    rateLimiter: { getSendToken: async () => undefined, updateClientSendingRate: () => undefined },
  });
}

async function setup(respond: Responder, params: Record<string, unknown> = {}, options: AwsContextOptions = {}, logger?: pino.Logger) {
  server = await startLocalAws(respond);
  const ctx = testContext({ specs: awsConnectionParameters, params: { 'aws-endpoint-url': server.url, ...params } });
  if (logger) ctx.logger = logger;
  const aws = createAwsContext(ctx, options);
  made.push(aws);
  return { ctx, aws, server };
}

describe('retries through the SDK retry middleware', () => {
  it('retries a throttled IAM call and counts the retries', async () => {
    const { ctx, aws, server } = await setup((_req, n) => (n <= 2 ? queryError('Throttling', 'Rate exceeded') : listUsers('alice', 'bob')), {}, { retryStrategy: quickAdaptiveRetry() });
    const out = await aws.iam().send(new ListUsersCommand({}));
    expect(out.Users?.map((u) => u.UserName)).toEqual(['alice', 'bob']);
    expect(out.$metadata.attempts).toBe(3);
    expect(server.requests.map((r) => r.action)).toEqual(['ListUsers', 'ListUsers', 'ListUsers']);
    expect(server.requests.map((r) => String(r.headers['amz-sdk-request']).split(';')[0])).toEqual(['attempt=1', 'attempt=2', 'attempt=3']);
    expect(ctx.calls.get('IAM.ListUsers')).toBe(1);
    expect(ctx.calls.get('IAM.ListUsers#retry')).toBe(2);
  });

  it('logs every retry at info with the call, the attempt, the delay and the error it follows', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>), done()) }));
    const { aws } = await setup((_req, n) => (n <= 2 ? queryError('Throttling', 'Rate exceeded') : listUsers('alice')), {}, { retryStrategy: quickAdaptiveRetry() }, logger);
    await aws.iam().send(new ListUsersCommand({}));
    const retries = lines.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('retrying'));
    expect(retries.map((l) => [l.level, l.call, l.attempt, l.after])).toEqual([
      [30, 'IAM.ListUsers', 2, 'Throttling'],
      [30, 'IAM.ListUsers', 3, 'Throttling'],
    ]);
    for (const l of retries) expect(l.delayMs).toEqual(expect.any(Number));
  });

  it('retries 503s with the factory defaults (adaptive, 8 attempts)', async () => {
    const { ctx, aws, server } = await setup((_req, n) => (n <= 2 ? queryError('ServiceUnavailable', 'try later', 503) : callerIdentity('123456789012')), {
      'aws-account-id': '123456789012',
    });
    expect(await aws.accountId()).toBe('123456789012');
    expect(server.requests).toHaveLength(3);
    expect(server.requests[2]?.headers['amz-sdk-request']).toBe('attempt=3; max=8');
    expect(ctx.calls.toJSON()).toEqual({ 'STS.GetCallerIdentity': 1, 'STS.GetCallerIdentity#retry': 2 });
  });

  it('gives up after the last attempt with a throttling error that says so', async () => {
    const { ctx, aws } = await setup(() => queryError('Throttling', 'Rate exceeded'), {}, { retryStrategy: quickAdaptiveRetry(3) });
    const err = await aws
      .iam()
      .send(new ListUsersCommand({}))
      .catch((e: unknown) => e);
    const described = describeAwsError(err, { service: 'IAM', operation: 'ListUsers' });
    expect(described.code).toBe('aws-throttled');
    expect(described.message).toContain('AWS kept throttling IAM.ListUsers after 3 attempts (Throttling: Rate exceeded)');
    expect(ctx.calls.get('IAM.ListUsers#retry')).toBe(2);
  });

  it('does not retry access denied', async () => {
    const { ctx, aws, server } = await setup(() => queryError('AccessDenied', 'not authorized', 403));
    const err = await aws
      .iam()
      .send(new ListUsersCommand({}))
      .catch((e: unknown) => e);
    expect(describeAwsError(err, { service: 'IAM', operation: 'ListUsers' }).code).toBe('aws-access-denied');
    expect(server.requests).toHaveLength(1);
    expect(ctx.calls.get('IAM.ListUsers#retry')).toBe(0);
  });
});

const LIST_OBJECTS = `<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>bucket-name</Name><Prefix></Prefix><KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated><Contents><Key>sales/2024.csv</Key><Size>42</Size><LastModified>2024-01-01T00:00:00.000Z</LastModified></Contents></ListBucketResult>`;

const LIST_ACCESS_POINTS = `<?xml version="1.0" encoding="UTF-8"?>
<ListAccessPointsResult><AccessPointList><AccessPoint><Name>analysts</Name><NetworkOrigin>Internet</NetworkOrigin><Bucket>bucket-name</Bucket></AccessPoint></AccessPointList></ListAccessPointsResult>`;

describe('endpoint override', () => {
  it('uses path-style S3 addressing on aws-endpoint-url', async () => {
    const { aws, server } = await setup(() => ({ status: 200, body: LIST_OBJECTS }));
    const out = await aws.s3().send(new ListObjectsV2Command({ Bucket: 'bucket-name' }));
    expect(out.Contents?.[0]?.Key).toBe('sales/2024.csv');
    const seen = server.requests[0]!;
    expect(seen.host).toBe(new URL(server.url).host);
    expect(seen.url).toMatch(/^\/bucket-name\/?\?list-type=2/);
  });

  it('keeps the account id out of the S3 Control host, sending it as a header', async () => {
    const { aws, server } = await setup(() => ({ status: 200, body: LIST_ACCESS_POINTS }));
    const out = await aws.s3Control().send(new ListAccessPointsCommand({ AccountId: '123456789012' }));
    expect(out.AccessPointList?.[0]?.Name).toBe('analysts');
    const seen = server.requests[0]!;
    expect(seen.host).toBe(new URL(server.url).host);
    expect(seen.url).toMatch(/^\/v20180820\/accesspoint/);
    expect(seen.headers['x-amz-account-id']).toBe('123456789012');
  });

  it("honours the SDK's own AWS_ENDPOINT_URL when the parameter is not set", async () => {
    server = await startLocalAws(() => ({ status: 200, body: LIST_OBJECTS }));
    process.env.AWS_ENDPOINT_URL = server.url;
    const aws = createAwsContext(testContext());
    made.push(aws);
    await aws.s3().send(new ListObjectsV2Command({ Bucket: 'bucket-name' }));
    expect(server.requests[0]?.url).toMatch(/^\/bucket-name\/?\?list-type=2/);
  });
});

describe('credentials', () => {
  const ROLE_ARN = 'arn:aws:iam::210987654321:role/raito-read';
  const EXTERNAL_ID = 'ext-id-5f3c9e1b-never-log-me';
  const TEMP_KEY = 'ASIATEMPORARYKEY0001';
  const TEMP_SECRET = 'temporary/secret/never-log-me';

  function capturingLogger() {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    return { lines, logger: pino({ level: 'trace' }, stream) };
  }

  it('assumes aws-assume-role-arn with the external id, then signs with the temporary keys, and never logs secrets', async () => {
    const { lines, logger } = capturingLogger();
    const respond: Responder = (req) => {
      if (req.action === 'AssumeRole') {
        return queryResponse(
          'AssumeRole',
          `<Credentials><AccessKeyId>${TEMP_KEY}</AccessKeyId><SecretAccessKey>${TEMP_SECRET}</SecretAccessKey><SessionToken>session-token</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::210987654321:assumed-role/raito-read/aws-access-connector</Arn><AssumedRoleId>AROAEXAMPLE:aws-access-connector</AssumedRoleId></AssumedRoleUser>`,
          STS_NS,
        );
      }
      if (req.action === 'GetCallerIdentity') return callerIdentity('210987654321');
      return listUsers('carol');
    };
    const { aws, server } = await setup(respond, { 'aws-assume-role-arn': ROLE_ARN, 'aws-assume-role-external-id': EXTERNAL_ID, 'aws-account-id': '210987654321' }, {}, logger);

    expect(await aws.accountId()).toBe('210987654321');
    await aws.iam().send(new ListUsersCommand({}));

    const assume = server.requests.find((r) => r.action === 'AssumeRole')!;
    expect(assume.form.get('RoleArn')).toBe(ROLE_ARN);
    expect(assume.form.get('ExternalId')).toBe(EXTERNAL_ID);
    expect(assume.form.get('RoleSessionName')).toBe('aws-access-connector');
    expect(assume.headers.authorization).toContain(`Credential=${KEY_ID}/`);
    // One AssumeRole for the run, shared by every client.
    expect(server.requests.filter((r) => r.action === 'AssumeRole')).toHaveLength(1);
    const listCall = server.requests.find((r) => r.action === 'ListUsers')!;
    expect(listCall.headers.authorization).toContain(`Credential=${TEMP_KEY}/`);
    expect(listCall.headers['x-amz-security-token']).toBe('session-token');

    const log = lines.join('');
    expect(log).toContain('AWS clients configured');
    expect(log).toContain(ROLE_ARN);
    expect(log).toContain(server.url);
    for (const secret of [EXTERNAL_ID, KEY_ID, SECRET_KEY, TEMP_KEY, TEMP_SECRET, 'session-token']) expect(log).not.toContain(secret);
  });
});

describe('timeouts and the abort signal', () => {
  /** A server whose first `hangs` requests never get an answer; later ones get `answer`. */
  async function hangingServer(hangs: number, answer: () => { status: number; body: string }) {
    const { createServer } = await import('node:http');
    let seen = 0;
    const srv = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        seen++;
        if (seen <= hangs) return;
        const a = answer();
        res.writeHead(a.status, { 'content-type': 'text/xml' });
        res.end(a.body);
      });
    });
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
    const port = (srv.address() as { port: number }).port;
    return {
      url: `http://127.0.0.1:${port}`,
      requests: () => seen,
      close: () => new Promise<void>((resolve) => (srv.closeAllConnections(), srv.close(() => resolve()))),
    };
  }

  it('aws-attempt-timeout fails a silent attempt, which the SDK retries', async () => {
    const srv = await hangingServer(1, () => listUsers('alice'));
    try {
      const ctx = testContext({ specs: awsConnectionParameters, params: { 'aws-endpoint-url': srv.url, 'aws-attempt-timeout': 1 } });
      const aws = createAwsContext(ctx, { retryStrategy: quickAdaptiveRetry() });
      made.push(aws);
      const started = Date.now();
      const out = await aws.iam().send(new ListUsersCommand({}));
      expect(out.Users?.map((u) => u.UserName)).toEqual(['alice']);
      expect(srv.requests()).toBe(2);
      expect(ctx.calls.get('IAM.ListUsers#retry')).toBe(1);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await srv.close();
    }
  });

  it("a call through the sync's read layer stops when the run is stopped, without waiting for AWS", async () => {
    const srv = await hangingServer(Number.POSITIVE_INFINITY, () => listUsers());
    try {
      const controller = new AbortController();
      const ctx = { ...testContext({ specs: awsConnectionParameters, params: { 'aws-endpoint-url': srv.url } }), signal: controller.signal };
      const aws = createAwsContext(ctx);
      made.push(aws);
      const reads = new AwsReads(ctx, aws, {});
      setTimeout(() => controller.abort(new Error('stopped by SIGTERM')), 100);
      const started = Date.now();
      const failure = await reads.call((signal) => aws.iam().send(new ListUsersCommand({}), { abortSignal: signal })).catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(2000);
      expect((failure as Error).name).toBe('AbortError');
      // The guard turns it into the run's own reason, never into a partial stream.
      const sink = { warn: () => undefined, markIncomplete: () => undefined };
      await expect(reads.guard({ service: 'IAM', operation: 'ListUsers' }, sink, 'users', () => Promise.reject(failure))).rejects.toThrow('stopped by SIGTERM');
    } finally {
      await srv.close();
    }
  });
});

describe('many calls in flight on one sync', () => {
  /** The MaxListenersExceededWarning lines Node prints while `work` runs. */
  async function leakWarnings(work: () => Promise<unknown>): Promise<string[]> {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    try {
      await work();
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    return warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'));
  }

  // Each call in flight listens for abort on the signal it was given: 16 at once on one signal.
  it('sixteen concurrent calls on the sync signal print no MaxListenersExceededWarning', async () => {
    const { ctx, aws, server } = await setup(() => listUsers('alice'), { 'aws-concurrency': 16 });
    const warnings = await leakWarnings(() => Promise.all(Array.from({ length: 16 }, () => aws.limit(() => aws.iam().send(new ListUsersCommand({}), { abortSignal: ctx.signal })))));
    expect(server.requests.length).toBe(16);
    expect(warnings).toEqual([]);
  });

  it('sixteen concurrent calls on the call layer signal print no MaxListenersExceededWarning', async () => {
    const { ctx, aws, server } = await setup(() => listUsers('alice'), { 'aws-concurrency': 16 });
    const reads = new AwsReads(ctx, aws, {});
    const warnings = await leakWarnings(() => Promise.all(Array.from({ length: 16 }, () => reads.call((signal) => aws.iam().send(new ListUsersCommand({}), { abortSignal: signal })))));
    expect(server.requests.length).toBe(16);
    expect(warnings).toEqual([]);
  });
});
