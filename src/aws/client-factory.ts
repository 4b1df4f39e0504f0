import { readFileSync } from 'node:fs';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { GlueClient } from '@aws-sdk/client-glue';
import { IAMClient, type IAMClientConfig } from '@aws-sdk/client-iam';
import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type {
  FinalizeRequestMiddleware,
  HandlerExecutionContext,
  InitializeMiddleware,
  MetadataBearer,
  MiddlewareStack,
} from '@smithy/types';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import { ConnectorError } from '../errors.js';
import type { AwsInterceptor, SyncContext } from '../plugin-api/contract.js';
import type { AwsContext } from './context.js';
import { describeAwsError } from './errors.js';
import { AWS_CONCURRENCY_DEFAULT, listParameter, stringParameter } from './parameters.js';

/** The session name of an assumed role, as it shows up in CloudTrail of the target account. */
export const ROLE_SESSION_NAME = 'aws-access-connector';
export const MAX_ATTEMPTS = 8;
/** Sockets beyond aws-concurrency per host: paginators and credential refreshes may overlap the limit a little. */
const EXTRA_SOCKETS = 4;
const STATE_KEY = 'aws:context';

/** Names of the middlewares the factory adds to every client. */
export const CALL_COUNTER_MIDDLEWARE = 'awsConnectorCallCounter';
export const RETRY_COUNTER_MIDDLEWARE = 'awsConnectorRetryCounter';
export const INTERCEPTOR_MIDDLEWARE = 'awsConnectorInterceptor';

type RetryStrategyOption = IAMClientConfig['retryStrategy'];

export interface AwsContextOptions {
  /**
   * Replaces the SDK's adaptive retry strategy (max 8 attempts). For tests that need short
   * backoffs; production runs leave it unset.
   */
  retryStrategy?: RetryStrategyOption;
  /** Milliseconds to establish a connection (default 5 s). */
  connectionTimeoutMs?: number;
  /** Milliseconds until the response headers arrive, then the attempt fails and is retried (default 60 s). */
  requestTimeoutMs?: number;
  /** The environment to read AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL... from (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** An AwsContext made by the factory; `destroy()` closes its sockets at the end of a target run. */
export interface ManagedAwsContext extends AwsContext {
  destroy(): void;
}

/** The service names used in call counts, messages and the interceptor: the client name without "Client". */
export type AwsServiceName = 'IAM' | 'STS' | 'S3' | 'S3Control' | 'Glue' | 'SSOAdmin' | 'Identitystore' | 'CloudTrail';

interface InstrumentedClient {
  middlewareStack: MiddlewareStack<object, MetadataBearer>;
  destroy(): void;
}

function numberParameter(value: unknown, fallback: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = typeof value === 'number' ? value : Number.parseInt(String(value), 10);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/**
 * The SDK's default region when aws-regions is empty: AWS_REGION, AWS_DEFAULT_REGION, then the
 * `region` of the profile in the shared config file. Read synchronously because the context's
 * regions are plain properties.
 */
export function sdkDefaultRegion(env: NodeJS.ProcessEnv, profile: string | undefined): string | undefined {
  const fromEnv = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim();
  if (fromEnv) return fromEnv;
  const file = env.AWS_CONFIG_FILE?.trim() || join(env.HOME?.trim() || homedir(), '.aws', 'config');
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const name = profile ?? (env.AWS_PROFILE?.trim() || 'default');
  const wanted = new Set(name === 'default' ? ['default', 'profile default'] : [`profile ${name}`]);
  let inProfile = false;
  for (const raw of content.split(/\r?\n/)) {
    const line = raw.replace(/\s[#;].*$/, '').trim();
    const section = /^\[\s*(.+?)\s*\]$/.exec(line);
    if (section) {
      inProfile = wanted.has(section[1]!.replace(/\s+/g, ' '));
      continue;
    }
    if (!inProfile) continue;
    const setting = /^region\s*=\s*(\S+)$/.exec(line);
    if (setting) return setting[1];
  }
  return undefined;
}

/** Is an endpoint set through the SDK's own environment variables for this service? */
function envEndpointFor(env: NodeJS.ProcessEnv, envSuffix: string): boolean {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true') return false;
  return Boolean(env.AWS_ENDPOINT_URL?.trim() || env[`AWS_ENDPOINT_URL_${envSuffix}`]?.trim());
}

type CredentialProvider = ReturnType<typeof fromTemporaryCredentials>;
/** Refresh shared credentials this long before they expire. */
const CREDENTIAL_REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * Shares one set of credentials between all clients of a run. Each SDK client memoises its
 * provider on its own, and fromTemporaryCredentials calls sts:AssumeRole on every invocation, so
 * without this every service and region would assume the role again.
 */
function shareCredentials(provider: CredentialProvider): CredentialProvider {
  let current: ReturnType<CredentialProvider> | undefined;
  return async (options) => {
    if (current) {
      const held = await current.catch(() => undefined);
      const fresh = held && (!held.expiration || held.expiration.getTime() - Date.now() > CREDENTIAL_REFRESH_MARGIN_MS);
      if (held && fresh) return held;
    }
    const next = provider(options);
    current = next;
    return next;
  };
}

/** The SDK's Logger shape, answered by pino, so socket warnings of the HTTP handler land in the structured log. */
function sdkLogger(log: Logger) {
  const line = (content: unknown[]) => content.map((c) => (typeof c === 'string' ? c : JSON.stringify(c))).join(' ');
  return {
    trace: (...content: unknown[]) => log.trace(line(content)),
    debug: (...content: unknown[]) => log.debug(line(content)),
    info: (...content: unknown[]) => log.info(line(content)),
    warn: (...content: unknown[]) => log.warn(line(content)),
    error: (...content: unknown[]) => log.error(line(content)),
  };
}

/**
 * Adds the connector's middlewares to a client: a call counter (one count per `send`), a retry
 * counter inside the retry loop (`Service.Operation#retry` per retried attempt), and, in demos and
 * benches, the interceptor that answers in-process without touching the network.
 */
function instrument(client: InstrumentedClient, service: AwsServiceName, region: string, ctx: SyncContext): void {
  const stack = client.middlewareStack;
  const operationOf = (context: HandlerExecutionContext) => (context.commandName ?? 'Unknown').replace(/Command$/, '');
  const serviceOf = (context: HandlerExecutionContext) => context.clientName?.replace(/Client$/, '') || service;

  const counter: InitializeMiddleware<object, MetadataBearer> = (next, context) => (args) => {
    ctx.calls.add(`${serviceOf(context)}.${operationOf(context)}`);
    return next(args);
  };
  stack.add(counter, { step: 'initialize', priority: 'high', name: CALL_COUNTER_MIDDLEWARE });

  // One HandlerExecutionContext per send, shared by its attempts: the second sight of it is a retry.
  const attemptsSeen = new WeakMap<HandlerExecutionContext, number>();
  const retries: FinalizeRequestMiddleware<object, MetadataBearer> = (next, context) => (args) => {
    const seen = attemptsSeen.get(context) ?? 0;
    attemptsSeen.set(context, seen + 1);
    if (seen > 0) ctx.calls.add(`${serviceOf(context)}.${operationOf(context)}#retry`);
    return next(args);
  };
  stack.addRelativeTo(retries, { relation: 'after', toMiddleware: 'retryMiddleware', name: RETRY_COUNTER_MIDDLEWARE });

  const interceptor: AwsInterceptor | undefined = ctx.awsInterceptor;
  if (interceptor) {
    const answer: InitializeMiddleware<object, MetadataBearer> = (_next, context) => async (args) => {
      const input = (args.input ?? {}) as Record<string, unknown>;
      const result = (await interceptor({ service: serviceOf(context), operation: operationOf(context), region, input })) as Partial<MetadataBearer> | undefined;
      const output = { ...result, $metadata: result?.$metadata ?? { httpStatusCode: 200 } } as MetadataBearer;
      return { output, response: {} };
    };
    stack.addRelativeTo(answer, { relation: 'after', toMiddleware: CALL_COUNTER_MIDDLEWARE, name: INTERCEPTOR_MIDDLEWARE });
  }
}

/**
 * Makes the AwsContext of one target run: one client per service and region, created on first use,
 * all sharing one credential provider, one socket pool and one concurrency limit.
 */
export function createAwsContext(ctx: SyncContext, options: AwsContextOptions = {}): ManagedAwsContext {
  const env = options.env ?? process.env;
  const params = ctx.params;
  const profile = stringParameter(params['aws-profile']);
  const roleArn = stringParameter(params['aws-assume-role-arn']);
  const externalId = stringParameter(params['aws-assume-role-external-id']);
  const endpoint = stringParameter(params['aws-endpoint-url']);
  const expectedAccount = stringParameter(params['aws-account-id']);
  const concurrency = numberParameter(params['aws-concurrency'], AWS_CONCURRENCY_DEFAULT);
  const log = ctx.logger.child({ component: 'aws' });

  let regions = listParameter(params['aws-regions']);
  if (regions.length === 0) {
    const fallback = sdkDefaultRegion(env, profile);
    if (!fallback) {
      throw new ConnectorError('config', 'No AWS region: set aws-regions (the first one is the default region)', {
        hint: 'Set aws-regions in the target, or AWS_REGION in the environment, or a region in the AWS profile.',
      });
    }
    regions = [fallback];
  }
  const defaultRegion = regions[0]!;

  // With an interceptor nothing reaches AWS: dummy keys let demos run on machines without credentials.
  const credentials = ctx.awsInterceptor
    ? { accessKeyId: 'AKIDEMOINTERCEPTED', secretAccessKey: 'intercepted' }
    : (() => {
        const base = fromNodeProviderChain(profile ? { profile } : {});
        if (!roleArn) return base;
        return shareCredentials(
          fromTemporaryCredentials({
            params: { RoleArn: roleArn, ExternalId: externalId, RoleSessionName: ROLE_SESSION_NAME },
            masterCredentials: base,
            clientConfig: { region: defaultRegion, ...(endpoint ? { endpoint } : {}) },
          }),
        );
      })();

  const maxSockets = concurrency + EXTRA_SOCKETS;
  const httpAgent = new HttpAgent({ keepAlive: true, maxSockets });
  const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets });
  const requestHandler = new NodeHttpHandler({
    connectionTimeout: options.connectionTimeoutMs ?? 5_000,
    requestTimeout: options.requestTimeoutMs ?? 60_000,
    // A slow answer fails the attempt, so the SDK retries it instead of hanging the sync.
    throwOnRequestTimeout: true,
    httpAgent,
    httpsAgent,
    logger: sdkLogger(log),
  });

  const retry = options.retryStrategy ? { retryStrategy: options.retryStrategy } : { retryMode: 'adaptive' as const, maxAttempts: MAX_ATTEMPTS };
  const common = (region: string) => ({ region, credentials, requestHandler, ...retry, ...(endpoint ? { endpoint } : {}) });
  // Path-style S3 and no account-id host prefix for S3 Control whenever the endpoint is overridden,
  // by the parameter or by the SDK's own AWS_ENDPOINT_URL(_S3/_S3_CONTROL): emulators serve one host.
  const s3PathStyle = Boolean(endpoint) || envEndpointFor(env, 'S3');
  const s3ControlNoPrefix = Boolean(endpoint) || envEndpointFor(env, 'S3_CONTROL');

  log.debug(
    {
      profile: profile ?? env.AWS_PROFILE ?? '(default chain)',
      regions,
      endpoint: endpoint ?? '(AWS)',
      assumeRoleArn: roleArn,
      externalId: externalId ? '(set)' : undefined,
      concurrency,
      maxSockets,
      retry: options.retryStrategy ? 'custom' : `adaptive, ${MAX_ATTEMPTS} attempts`,
      intercepted: Boolean(ctx.awsInterceptor),
    },
    'AWS clients configured',
  );

  const clients = new Map<string, InstrumentedClient>();
  function client<C extends object>(service: AwsServiceName, region: string | undefined, make: (region: string) => C): C {
    const where = region ?? defaultRegion;
    const key = `${service}:${where}`;
    let made = clients.get(key);
    if (!made) {
      made = make(where) as unknown as InstrumentedClient;
      instrument(made, service, where, ctx);
      clients.set(key, made);
    }
    return made as unknown as C;
  }

  let account: Promise<string> | undefined;
  async function fetchAccountId(): Promise<string> {
    let id: string | undefined;
    try {
      const who = await sts().send(new GetCallerIdentityCommand({}));
      id = who.Account;
      log.debug({ account: id, arn: who.Arn }, 'AWS caller identity');
    } catch (err) {
      throw describeAwsError(err, { service: 'STS', operation: 'GetCallerIdentity', region: defaultRegion, defaultRegion });
    }
    if (!id) throw new ConnectorError('aws', 'sts:GetCallerIdentity returned no account id');
    if (expectedAccount && id !== expectedAccount) {
      throw new ConnectorError('config', `The AWS credentials belong to account ${id}, but aws-account-id is ${expectedAccount}; stopping so the wrong account is not synced`, {
        hint: `Use the profile or role of account ${expectedAccount} (aws-profile, aws-assume-role-arn), or correct aws-account-id.`,
      });
    }
    return id;
  }

  function s3ControlClient(region: string): S3ControlClient {
    const made = new S3ControlClient({ ...common(region), disableHostPrefix: s3ControlNoPrefix });
    if (s3ControlNoPrefix) {
      // S3 Control's endpoint rules put `<account-id>.` before the host even for a custom endpoint
      // (disableHostPrefix does not reach the rules); an emulator serves one host, so the rules are
      // asked without the account id requirement. The account id still travels in x-amz-account-id.
      const config = made.config as { endpointProvider: typeof made.config.endpointProvider };
      const rules = config.endpointProvider;
      config.endpointProvider = (params, context) => rules({ ...params, RequiresAccountId: false }, context);
    }
    return made;
  }

  const sts = () => client('STS', defaultRegion, (region) => new STSClient(common(region)));

  return {
    regions,
    defaultRegion,
    concurrency,
    limit: pLimit(concurrency),
    accountId() {
      // Memoised on success only: a failed lookup (network) may be tried again by a later sync.
      account ??= fetchAccountId().catch((err: unknown) => {
        account = undefined;
        throw err;
      });
      return account;
    },
    // IAM is global: its client lives in the default region (the SDK picks the partition's endpoint).
    iam: () => client('IAM', defaultRegion, (region) => new IAMClient(common(region))),
    sts,
    s3: (region) => client('S3', region, (r) => new S3Client({ ...common(r), forcePathStyle: s3PathStyle })),
    s3Control: (region) => client('S3Control', region, (r) => s3ControlClient(r)),
    glue: (region) => client('Glue', region, (r) => new GlueClient(common(r))),
    ssoAdmin: (region) => client('SSOAdmin', region, (r) => new SSOAdminClient(common(r))),
    identityStore: (region) => client('Identitystore', region, (r) => new IdentitystoreClient(common(r))),
    cloudTrail: (region) => client('CloudTrail', region, (r) => new CloudTrailClient(common(r))),
    destroy() {
      for (const c of clients.values()) c.destroy();
      clients.clear();
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

/** The AwsContext of this target run: made on first use and kept in `ctx.state`, so all syncs share clients and limits. */
export function awsContextFor(ctx: SyncContext, options?: AwsContextOptions): ManagedAwsContext {
  const existing = ctx.state.get(STATE_KEY) as ManagedAwsContext | undefined;
  if (existing) return existing;
  const made = createAwsContext(ctx, options);
  ctx.state.set(STATE_KEY, made);
  return made;
}

/** Closes the sockets of this target run's AwsContext, if one was made. The host may call it when the target is done. */
export function releaseAwsContext(ctx: SyncContext): void {
  const existing = ctx.state.get(STATE_KEY) as ManagedAwsContext | undefined;
  if (!existing) return;
  existing.destroy();
  ctx.state.delete(STATE_KEY);
}

export { STATE_KEY as AWS_CONTEXT_STATE_KEY };
