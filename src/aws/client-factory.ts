import { CloudTrailClient } from './sdk/cloudtrail.js';
import { GlueClient } from './sdk/glue.js';
import type { IAMClientConfig } from '@aws-sdk/client-iam';
import { IAMClient } from './sdk/iam.js';
import { IdentitystoreClient } from './sdk/identitystore.js';
import { S3Client } from './sdk/s3.js';
import { S3ControlClient } from './sdk/s3-control.js';
import { SSOAdminClient } from './sdk/sso-admin.js';
import { GetCallerIdentityCommand, STSClient } from './sdk/sts.js';
import pLimit from 'p-limit';
import { ConnectorError } from '../errors.js';
import type { SyncContext } from '../plugin-api/contract.js';
import { getState, setState, deleteState, stateKey } from '../plugin-api/shared-state.js';
import type { AwsContext } from './context.js';
import { credentialsFor, resolveConnection } from './credentials.js';
import { describeAwsError } from './errors.js';
import { instrument, type AwsServiceName, type InstrumentedClient } from './instrumentation.js';
import { openParsePool } from './parse-pool.js';
import { createTransport } from './transport.js';
import { useXmlReader } from './xml-reader.js';

export { ROLE_SESSION_NAME, sdkDefaultRegion } from './credentials.js';
export { CALL_COUNTER_MIDDLEWARE, INTERCEPTOR_MIDDLEWARE, RETRY_COUNTER_MIDDLEWARE, type AwsServiceName } from './instrumentation.js';

export const MAX_ATTEMPTS = 8;
const STATE_KEY = 'aws:context';
const STATE = stateKey<ManagedAwsContext>(STATE_KEY);

type RetryStrategyOption = IAMClientConfig['retryStrategy'];

export interface AwsContextOptions {
  /**
   * Replaces the SDK's adaptive retry strategy (max 8 attempts). For tests that need short
   * backoffs; production runs leave it unset.
   */
  retryStrategy?: RetryStrategyOption;
  /** Milliseconds to establish a connection (default: aws-connect-timeout). */
  connectionTimeoutMs?: number;
  /** Milliseconds until the response headers arrive, then the attempt fails and is retried (default: aws-attempt-timeout). */
  requestTimeoutMs?: number;
  /** The environment to read AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL... from (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** An AwsContext made by the factory; `destroy()` closes its sockets at the end of a target run. */
export interface ManagedAwsContext extends AwsContext {
  destroy(): void;
}

/** Is an endpoint set through the SDK's own environment variables for this service? */
function envEndpointFor(env: NodeJS.ProcessEnv, envSuffix: string): boolean {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true') return false;
  return Boolean(env.AWS_ENDPOINT_URL?.trim() || env[`AWS_ENDPOINT_URL_${envSuffix}`]?.trim());
}

/**
 * Makes the AwsContext of one target run: one client per service and region, created on first use,
 * all sharing one credential provider, one socket pool and one concurrency limit.
 */
export function createAwsContext(ctx: SyncContext, options: AwsContextOptions = {}): ManagedAwsContext {
  const env = options.env ?? process.env;
  const log = ctx.logger.child({ component: 'aws' });
  const connection = resolveConnection(ctx, env);
  const { profile, roleArn, externalId, endpoint, expectedAccount, concurrency, regions, defaultRegion } = connection;
  const credentials = credentialsFor(connection, Boolean(ctx.awsInterceptor));
  const transport = createTransport(connection, log, options);
  const { requestHandler, maxSockets } = transport;
  // Answers from the interceptor (demo, benches in-process) never reach the SDK's deserialiser: no workers for them.
  const parsers = openParsePool(undefined, ctx.awsInterceptor ? 0 : undefined);

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
      connectTimeoutMs: options.connectionTimeoutMs ?? connection.connectTimeoutMs,
      attemptTimeoutMs: options.requestTimeoutMs ?? connection.attemptTimeoutMs,
      retry: options.retryStrategy ? 'custom' : `adaptive, ${MAX_ATTEMPTS} attempts`,
      intercepted: Boolean(ctx.awsInterceptor),
      parseWorkers: parsers.workers,
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
      // The SDK's logger middleware builds a redacted copy of every input and output for its logger,
      // even for the default one that drops it (about 2.7 s of CPU per million S3 objects listed).
      // The connector gives the SDK no logger (it logs calls itself), so the copy is never read.
      made.middlewareStack.remove('loggerMiddleware');
      instrument(made, service, where, ctx, log);
      useXmlReader(made as unknown as { config: unknown });
      parsers.attach(made as unknown as { config: unknown }, service);
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
      transport.destroy();
      if (parsers.workers > 0) log.debug({ workers: parsers.workers, ...parsers.parsed }, 'listing and IAM detail answers parsed on worker threads, or here (small ones, and those this thread took while the workers were busy)');
      void parsers.close();
    },
  };
}

/** The AwsContext of this target run: made on first use and kept in `ctx.state`, so all syncs share clients and limits. */
export function awsContextFor(ctx: SyncContext, options?: AwsContextOptions): ManagedAwsContext {
  const existing = getState(ctx, STATE);
  if (existing) return existing;
  const made = createAwsContext(ctx, options);
  setState(ctx, STATE, made);
  return made;
}

/** Closes the sockets of this target run's AwsContext, if one was made. The host may call it when the target is done. */
export function releaseAwsContext(ctx: SyncContext): void {
  const existing = getState(ctx, STATE);
  if (!existing) return;
  existing.destroy();
  deleteState(ctx, STATE);
}

export { STATE_KEY as AWS_CONTEXT_STATE_KEY };
