import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetAccountAuthorizationDetailsCommand, paginateListUsers } from '@aws-sdk/client-iam';
import { ListBucketsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { awsContextFor, createAwsContext, sdkDefaultRegion, type ManagedAwsContext } from '../../src/aws/client-factory.js';
import { awsConnectionParameters } from '../../src/aws/parameters.js';
import { accessDenied } from '../../src/demo/fake-aws/errors.js';
import { ConnectorError } from '../../src/errors.js';
import type { AwsInterceptor } from '../../src/plugin-api/contract.js';
import { testContext } from '../helpers/context.js';
import { tempDirSync } from '../helpers/tmp.js';

const made: ManagedAwsContext[] = [];
function track(aws: ManagedAwsContext): ManagedAwsContext {
  made.push(aws);
  return aws;
}
afterEach(() => {
  for (const aws of made.splice(0)) aws.destroy();
});

/** An environment without any region, profile or config file, as on a bare CI machine. */
function bareEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { HOME: tempDirSync('aws-home-'), ...extra };
}

describe('createAwsContext with aws-sdk-client-mock', () => {
  // On the prototype, so it answers the clients the factory makes; restored for the tests below.
  let sts: AwsClientStub<STSClient>;
  beforeAll(() => {
    sts = mockClient(STSClient);
  });
  beforeEach(() => sts.reset());
  afterAll(() => sts.restore());

  it('fetches the account id once per run', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/x' });
    const aws = track(createAwsContext(testContext({ specs: awsConnectionParameters, params: { 'aws-account-id': '123456789012' } })));
    const ids = await Promise.all([aws.accountId(), aws.accountId(), aws.accountId()]);
    expect(ids).toEqual(['123456789012', '123456789012', '123456789012']);
    expect(await aws.accountId()).toBe('123456789012');
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(1);
  });

  it('stops with a clear error when the credentials belong to another account', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '999999999999' });
    const aws = track(createAwsContext(testContext({ params: { 'aws-account-id': '123456789012' } })));
    const err = await aws.accountId().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect((err as ConnectorError).code).toBe('config');
    expect((err as ConnectorError).message).toContain('belong to account 999999999999, but aws-account-id is 123456789012');
    expect((err as ConnectorError).hint).toContain('aws-profile');
  });

  it('explains a failing GetCallerIdentity and tries again on the next call', async () => {
    sts.on(GetCallerIdentityCommand).rejectsOnce(accessDenied('sts:GetCallerIdentity')).resolves({ Account: '123456789012' });
    const aws = track(createAwsContext(testContext()));
    const err = await aws.accountId().catch((e: unknown) => e);
    expect((err as ConnectorError).code).toBe('aws-access-denied');
    expect((err as ConnectorError).message).toContain('AWS denied STS.GetCallerIdentity: the credentials need sts:GetCallerIdentity');
    expect(await aws.accountId()).toBe('123456789012');
  });

});

/** The handler's settings as the SDK resolves them before the first request (an internal of NodeHttpHandler). */
function resolvedConfig(handler: NodeHttpHandler) {
  return (handler as unknown as { configProvider: Promise<{ connectionTimeout?: number; requestTimeout?: number; httpAgentProvider: () => Promise<{ maxSockets: number }> }> }).configProvider;
}

describe('clients', () => {
  it('makes one client per service and region, the default region first', async () => {
    const aws = track(createAwsContext(testContext({ params: { 'aws-regions': 'eu-west-1, us-east-1' } })));
    expect(aws.regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(aws.defaultRegion).toBe('eu-west-1');
    expect(aws.s3()).toBe(aws.s3('eu-west-1'));
    expect(aws.s3('us-east-1')).toBe(aws.s3('us-east-1'));
    expect(aws.s3('us-east-1')).not.toBe(aws.s3());
    expect(aws.iam()).toBe(aws.iam());
    expect(aws.glue('us-east-1')).toBe(aws.glue('us-east-1'));
    expect(await aws.s3('us-east-1').config.region()).toBe('us-east-1');
    expect(await aws.iam().config.region()).toBe('eu-west-1');
    expect(await aws.cloudTrail().config.region()).toBe('eu-west-1');
    expect(aws.ssoAdmin()).toBe(aws.ssoAdmin('eu-west-1'));
    expect(aws.identityStore('us-east-1')).not.toBe(aws.identityStore());
    expect(aws.s3Control()).toBe(aws.s3Control());
  });

  it('gives every client one socket pool sized to aws-concurrency, and the timeouts of aws-connect-timeout and aws-attempt-timeout', async () => {
    const params = { 'aws-concurrency': '7', 'aws-connect-timeout': '3', 'aws-attempt-timeout': '20', 'aws-regions': 'eu-west-1,us-east-1' };
    const aws = track(createAwsContext(testContext({ specs: awsConnectionParameters, params })));
    const handler = aws.s3().config.requestHandler as NodeHttpHandler;
    expect(aws.iam().config.requestHandler).toBe(handler);
    expect(aws.glue('us-east-1').config.requestHandler).toBe(handler);
    const config = await resolvedConfig(handler);
    expect([config.connectionTimeout, config.requestTimeout, (await config.httpAgentProvider()).maxSockets]).toEqual([3000, 20000, 11]);
    const byDefault = track(createAwsContext(testContext({ specs: awsConnectionParameters })));
    const defaults = await resolvedConfig(byDefault.s3().config.requestHandler as NodeHttpHandler);
    expect([defaults.connectionTimeout, defaults.requestTimeout]).toEqual([10_000, 60_000]);
  });

  it('configures adaptive retries with 8 attempts', async () => {
    const aws = track(createAwsContext(testContext()));
    const s3 = aws.s3();
    const strategy = (await s3.config.retryStrategy()) as { mode?: string };
    expect(strategy.mode).toBe('adaptive');
    expect(await s3.config.maxAttempts()).toBe(8);
  });

  it('sizes the limit to aws-concurrency', () => {
    const aws = track(createAwsContext(testContext({ specs: awsConnectionParameters, params: { 'aws-concurrency': '7' } })));
    expect(aws.concurrency).toBe(7);
    expect(aws.limit.concurrency).toBe(7);
    const byDefault = track(createAwsContext(testContext({ specs: awsConnectionParameters })));
    expect(byDefault.concurrency).toBe(5);
  });

  it('keeps one context per target run in the SyncContext state', () => {
    const ctx = testContext();
    const first = track(awsContextFor(ctx));
    expect(awsContextFor(ctx)).toBe(first);
    expect(track(awsContextFor(testContext()))).not.toBe(first);
  });
});

describe('regions', () => {
  it('without aws-regions and without an SDK default region, asks to set aws-regions', () => {
    const ctx = testContext({ params: { 'aws-regions': '' } });
    expect(() => createAwsContext(ctx, { env: bareEnv() })).toThrow(/set aws-regions/);
    try {
      createAwsContext(ctx, { env: bareEnv() });
    } catch (err) {
      expect((err as ConnectorError).code).toBe('config');
    }
  });

  it('falls back to AWS_REGION, then AWS_DEFAULT_REGION', () => {
    const ctx = testContext({ params: { 'aws-regions': [] } });
    expect(track(createAwsContext(ctx, { env: bareEnv({ AWS_REGION: 'ca-central-1', AWS_DEFAULT_REGION: 'sa-east-1' }) })).regions).toEqual(['ca-central-1']);
    expect(track(createAwsContext(ctx, { env: bareEnv({ AWS_DEFAULT_REGION: 'sa-east-1' }) })).defaultRegion).toBe('sa-east-1');
  });

  it('falls back to the region of the profile in the shared config file', () => {
    const dir = tempDirSync('aws-config-');
    const file = join(dir, 'config');
    writeFileSync(file, ['[default]', 'region = eu-north-1', '', '[profile dev]', 'output = json', 'region=ap-southeast-2 # Sydney', '[sso-session x]', 'region = us-east-2'].join('\n'));
    expect(sdkDefaultRegion({ AWS_CONFIG_FILE: file }, undefined)).toBe('eu-north-1');
    expect(sdkDefaultRegion({ AWS_CONFIG_FILE: file, AWS_PROFILE: 'dev' }, undefined)).toBe('ap-southeast-2');
    expect(sdkDefaultRegion({ AWS_CONFIG_FILE: file }, 'dev')).toBe('ap-southeast-2');
    expect(sdkDefaultRegion({ AWS_CONFIG_FILE: file }, 'missing')).toBeUndefined();
    const ctx = testContext({ params: { 'aws-regions': '', 'aws-profile': 'dev' } });
    expect(track(createAwsContext(ctx, { env: { AWS_CONFIG_FILE: file } })).regions).toEqual(['ap-southeast-2']);
  });
});

describe('middlewares', () => {
  // Nothing listens on port 9: if a call reached the network it would fail.
  const unreachable = { 'aws-endpoint-url': 'http://127.0.0.1:9' };

  function recordingInterceptor(answers: Record<string, (input: Record<string, unknown>, n: number) => unknown>) {
    const seen: Parameters<AwsInterceptor>[0][] = [];
    const counts = new Map<string, number>();
    const interceptor: AwsInterceptor = async (call) => {
      seen.push(call);
      const key = `${call.service}.${call.operation}`;
      const n = (counts.get(key) ?? 0) + 1;
      counts.set(key, n);
      const answer = answers[key];
      if (!answer) throw new Error(`unexpected ${key}`);
      return answer(call.input, n);
    };
    return { seen, interceptor };
  }

  it('answers through the interceptor without network or credentials, and counts each call', async () => {
    const { seen, interceptor } = recordingInterceptor({
      'IAM.ListUsers': (_input, n) => (n === 1 ? { Users: [{ UserName: 'alice' }], IsTruncated: true, Marker: 'm1' } : { Users: [{ UserName: 'bob' }], IsTruncated: false }),
      'S3.ListBuckets': () => ({ Buckets: [{ Name: 'sales' }] }),
      'S3.ListObjectsV2': () => ({ KeyCount: 0 }),
      'STS.GetCallerIdentity': () => ({ Account: '123456789012' }),
    });
    const ctx = testContext({ params: { ...unreachable, 'aws-regions': 'eu-central-1,us-east-1' }, awsInterceptor: interceptor });
    const aws = track(createAwsContext(ctx));

    const names: string[] = [];
    for await (const page of paginateListUsers({ client: aws.iam() }, {})) names.push(...(page.Users ?? []).map((u) => u.UserName ?? ''));
    expect(names).toEqual(['alice', 'bob']);

    const buckets = await aws.s3('us-east-1').send(new ListBucketsCommand({}));
    expect(buckets.Buckets?.[0]?.Name).toBe('sales');
    expect(buckets.$metadata).toBeDefined();
    await aws.s3('us-east-1').send(new ListObjectsV2Command({ Bucket: 'sales', Prefix: 'a/' }));
    expect(await aws.accountId()).toBe('123456789012');

    expect(seen[1]).toEqual({ service: 'IAM', operation: 'ListUsers', region: 'eu-central-1', input: { Marker: 'm1' } });
    expect(seen[3]).toEqual({ service: 'S3', operation: 'ListObjectsV2', region: 'us-east-1', input: { Bucket: 'sales', Prefix: 'a/' } });
    expect(ctx.calls.toJSON()).toEqual({ 'IAM.ListUsers': 2, 'S3.ListBuckets': 1, 'S3.ListObjectsV2': 1, 'STS.GetCallerIdentity': 1 });
  });

  it('passes errors of the interceptor to the caller, counted, for classification', async () => {
    const { interceptor } = recordingInterceptor({
      'IAM.GetAccountAuthorizationDetails': () => {
        throw accessDenied('iam:GetAccountAuthorizationDetails');
      },
    });
    const ctx = testContext({ params: unreachable, awsInterceptor: interceptor });
    const aws = track(createAwsContext(ctx));
    const err = await aws
      .iam()
      .send(new GetAccountAuthorizationDetailsCommand({}))
      .catch((e: unknown) => e);
    expect((err as Error).name).toBe('AccessDenied');
    expect(ctx.calls.get('IAM.GetAccountAuthorizationDetails')).toBe(1);
  });

  it('uses the service names of the contract for every client', async () => {
    const { seen, interceptor } = recordingInterceptor({});
    const aws = track(createAwsContext(testContext({ params: unreachable, awsInterceptor: interceptor })));
    const { ListAccessPointsCommand } = await import('@aws-sdk/client-s3-control');
    const { GetDatabasesCommand } = await import('@aws-sdk/client-glue');
    const { ListInstancesCommand } = await import('@aws-sdk/client-sso-admin');
    const { ListGroupsCommand } = await import('@aws-sdk/client-identitystore');
    const { LookupEventsCommand } = await import('@aws-sdk/client-cloudtrail');
    await Promise.allSettled([
      aws.s3Control().send(new ListAccessPointsCommand({ AccountId: '123456789012' })),
      aws.glue().send(new GetDatabasesCommand({})),
      aws.ssoAdmin().send(new ListInstancesCommand({})),
      aws.identityStore().send(new ListGroupsCommand({ IdentityStoreId: 'd-1' })),
      aws.cloudTrail().send(new LookupEventsCommand({})),
      aws.sts().send(new GetCallerIdentityCommand({})),
    ]);
    expect(seen.map((c) => `${c.service}.${c.operation}`).sort()).toEqual([
      'CloudTrail.LookupEvents',
      'Glue.GetDatabases',
      'Identitystore.ListGroups',
      'S3Control.ListAccessPoints',
      'SSOAdmin.ListInstances',
      'STS.GetCallerIdentity',
    ]);
  });

  it("leaves out the SDK's logger middleware, which copies every response for a logger that drops it", () => {
    const aws = track(createAwsContext(testContext()));
    for (const client of [aws.s3(), aws.iam(), aws.sts(), aws.s3Control(), aws.glue(), aws.identityStore(), aws.ssoAdmin(), aws.cloudTrail()]) {
      const names = client.middlewareStack.identify().map((m) => m.split(' - ')[0]);
      expect(names).not.toContain('loggerMiddleware');
      expect(names).toContain('awsConnectorCallCounter');
    }
  });

  it('places the counters on every client, the retry counter inside the retry loop', () => {
    const aws = track(createAwsContext(testContext()));
    const names = aws
      .s3()
      .middlewareStack.identify()
      .map((m) => m.split(' - ')[0]);
    expect(names).toContain('awsConnectorCallCounter');
    expect(names).not.toContain('awsConnectorInterceptor');
    // After the retry middleware = runs once per attempt, which is what makes retries countable.
    expect(names.indexOf('awsConnectorRetryCounter')).toBeGreaterThan(names.indexOf('retryMiddleware'));
    expect(names.indexOf('retryMiddleware')).toBeGreaterThan(-1);
  });
});
