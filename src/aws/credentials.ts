import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { ConnectorError } from '../errors.js';
import type { SyncContext } from '../plugin-api/contract.js';
import { AWS_CONCURRENCY_DEFAULT, listParameter, secondsParameter, stringParameter, AWS_ATTEMPT_TIMEOUT_DEFAULT_S, AWS_CONNECT_TIMEOUT_DEFAULT_S } from './parameters.js';

/** The session name of an assumed role, as it shows up in CloudTrail of the target account. */
export const ROLE_SESSION_NAME = 'aws-access-connector';

/** Where and as whom a target run calls AWS, read once from its parameters and the environment. */
export interface AwsConnection {
  profile?: string;
  roleArn?: string;
  externalId?: string;
  endpoint?: string;
  expectedAccount?: string;
  concurrency: number;
  /** From aws-regions, else the SDK's default region; never empty, the first is the default. */
  regions: string[];
  defaultRegion: string;
  connectTimeoutMs: number;
  attemptTimeoutMs: number;
}

function numberParameter(value: unknown, fallback: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = typeof value === 'number' ? value : Number.parseInt(String(value), 10);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** Reads the connection parameters; without aws-regions, the SDK's default region (env or profile). */
export function resolveConnection(ctx: Pick<SyncContext, 'params'>, env: NodeJS.ProcessEnv): AwsConnection {
  const params = ctx.params;
  const profile = stringParameter(params['aws-profile']);
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
  return {
    profile,
    roleArn: stringParameter(params['aws-assume-role-arn']),
    externalId: stringParameter(params['aws-assume-role-external-id']),
    endpoint: stringParameter(params['aws-endpoint-url']),
    expectedAccount: stringParameter(params['aws-account-id']),
    concurrency: numberParameter(params['aws-concurrency'], AWS_CONCURRENCY_DEFAULT),
    regions,
    defaultRegion: regions[0]!,
    connectTimeoutMs: secondsParameter(params['aws-connect-timeout'], AWS_CONNECT_TIMEOUT_DEFAULT_S) * 1000,
    attemptTimeoutMs: secondsParameter(params['aws-attempt-timeout'], AWS_ATTEMPT_TIMEOUT_DEFAULT_S) * 1000,
  };
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

/** The credentials of every client of the run: the standard chain, optionally through an assumed role. */
export function credentialsFor(connection: AwsConnection, intercepted: boolean) {
  // With an interceptor nothing reaches AWS: dummy keys let demos run on machines without credentials.
  if (intercepted) return { accessKeyId: 'AKIDEMOINTERCEPTED', secretAccessKey: 'intercepted' };
  const { profile, roleArn, externalId, endpoint, defaultRegion } = connection;
  const base = fromNodeProviderChain(profile ? { profile } : {});
  if (!roleArn) return base;
  return shareCredentials(
    fromTemporaryCredentials({
      params: { RoleArn: roleArn, ExternalId: externalId, RoleSessionName: ROLE_SESSION_NAME },
      masterCredentials: base,
      clientConfig: { region: defaultRegion, ...(endpoint ? { endpoint } : {}) },
    }),
  );
}
