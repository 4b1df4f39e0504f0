import type { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import type { InstanceMetadata, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { paginateListInstances } from '../aws/sdk/sso-admin.js';
import { createAwsContext, describeAwsError, listParameter, sdkDefaultRegion, stringParameter, type AwsContext, type ManagedAwsContext } from '../aws/index.js';
import { ConnectorError } from '../errors.js';
import type { SyncContext } from '../plugin-api/contract.js';
import { deleteState, getState, setState, stateKey } from '../plugin-api/shared-state.js';
import { identityStoreIdOf, rateLimitOf } from './parameters.js';
import { rateLimitClient, serviceBucket, type Clock } from './token-bucket.js';

/** Where the instance and identity store of Identity Center come from: a parameter each, else sso:ListInstances. */
export interface InstanceChoice {
  instanceArn?: string;
  identityStoreId?: string;
  /** Parameter names, for the messages that ask the user to set them. */
  instanceParameter?: string;
  identityStoreParameter: string;
}

export interface IdentityCenterInstance {
  /** Undefined when only the identity store was needed and given (no ListInstances call). */
  instanceArn?: string;
  identityStoreId: string;
}

/** The Identity Center of one target run: rate-limited clients in its region and its instance. */
export interface IdentityCenter {
  aws: AwsContext;
  region: string;
  ssoAdmin(): SSOAdminClient;
  identityStore(): IdentitystoreClient;
  /** The instance (ARN and identity store id), resolved once per run. */
  instance(needInstanceArn: boolean): Promise<IdentityCenterInstance>;
}

export interface IdentityCenterOptions {
  /** The limiter's clock (tests). */
  clock?: Clock;
}

function describeInstances(instances: InstanceMetadata[]): string {
  return instances.map((i) => `${i.InstanceArn ?? '?'} (identity store ${i.IdentityStoreId ?? '?'})`).join(', ');
}

/**
 * Picks the instance: a given ARN or identity store must be among those ListInstances answers;
 * without either, there must be exactly one. The errors name the parameter to set.
 */
export function chooseInstance(instances: InstanceMetadata[], choice: InstanceChoice, region: string): IdentityCenterInstance {
  const names = [choice.instanceParameter, choice.identityStoreParameter].filter(Boolean).join(' or ');
  let candidates = instances;
  if (choice.instanceArn) candidates = candidates.filter((i) => i.InstanceArn === choice.instanceArn);
  if (choice.identityStoreId) candidates = candidates.filter((i) => i.IdentityStoreId === choice.identityStoreId);
  const given = choice.instanceArn ?? choice.identityStoreId;
  if (candidates.length === 0) {
    if (given) {
      const parameter = choice.instanceArn ? choice.instanceParameter : choice.identityStoreParameter;
      throw new ConnectorError('config', `${parameter} is "${given}", but sso:ListInstances in ${region} does not list it${instances.length > 0 ? ` (it lists ${describeInstances(instances)})` : ''}`, {
        hint: `Correct ${parameter}, or the region and credentials of the management account.`,
      });
    }
    throw new ConnectorError('config', `No IAM Identity Center instance found in ${region} (sso:ListInstances answered none): set ${names}`, {
      hint: 'Check that the credentials belong to the management account (or the delegated administrator) and that the region is the one of Identity Center.',
    });
  }
  if (candidates.length > 1) {
    throw new ConnectorError('config', `Several IAM Identity Center instances found in ${region}: ${describeInstances(candidates)}; set ${names} to choose one`);
  }
  const [instance] = candidates;
  if (!instance?.IdentityStoreId) throw new ConnectorError('aws', `sso:ListInstances answered instance ${instance?.InstanceArn ?? '?'} without an identity store id`);
  return { instanceArn: instance.InstanceArn, identityStoreId: instance.IdentityStoreId };
}

/** Builds the handle over an AwsContext; the clients it hands out wait for the target's Identity Center limiters. */
export function identityCenterOver(ctx: SyncContext, aws: AwsContext, choice: InstanceChoice, options: IdentityCenterOptions = {}): IdentityCenter {
  const rate = rateLimitOf(ctx.params);
  const region = aws.defaultRegion;
  let resolved: Promise<IdentityCenterInstance> | undefined;
  const handle: IdentityCenter = {
    aws,
    region,
    ssoAdmin: () => rateLimitClient(aws.ssoAdmin(region), serviceBucket(ctx, 'SSOAdmin', rate, options.clock), ctx.signal),
    identityStore: () => rateLimitClient(aws.identityStore(region), serviceBucket(ctx, 'Identitystore', rate, options.clock), ctx.signal),
    instance(needInstanceArn) {
      if (choice.identityStoreId && (choice.instanceArn || !needInstanceArn)) {
        return Promise.resolve({ instanceArn: choice.instanceArn, identityStoreId: choice.identityStoreId });
      }
      resolved ??= (async () => {
        const instances: InstanceMetadata[] = [];
        try {
          for await (const page of paginateListInstances({ client: handle.ssoAdmin(), pageSize: 100 }, {}, { abortSignal: ctx.signal })) instances.push(...(page.Instances ?? []));
        } catch (err) {
          throw describeAwsError(err, { service: 'SSOAdmin', operation: 'ListInstances', region, defaultRegion: region });
        }
        return chooseInstance(instances, choice, region);
      })().catch((err: unknown) => {
        resolved = undefined;
        throw err;
      });
      return resolved;
    },
  };
  return handle;
}

const ORGANIZATION_KEY = stateKey<IdentityCenter>('identity-center:organization');

/**
 * The aws-account plugin's second connection, to the management account: its own credentials
 * (aws-organization-profile or this target's profile, optionally a role to assume), its region,
 * and the target's endpoint override and concurrency. Made on first use and kept for the run.
 */
export function organizationFor(ctx: SyncContext, options: IdentityCenterOptions = {}): IdentityCenter {
  const existing = getState(ctx, ORGANIZATION_KEY);
  if (existing) return existing;
  const p = ctx.params;
  const profile = stringParameter(p['aws-organization-profile']) ?? stringParameter(p['aws-profile']);
  const region = stringParameter(p['aws-organization-region']);
  // Without a region of its own: the profile's default region, else the target's first region.
  const regions = region ? [region] : sdkDefaultRegion(process.env, profile) ? [] : listParameter(p['aws-regions']).slice(0, 1);
  const connection: SyncContext = {
    ...ctx,
    logger: ctx.logger.child({ connection: 'organization' }),
    params: {
      'aws-profile': profile,
      'aws-regions': regions,
      'aws-assume-role-arn': p['aws-organization-assume-role-arn'],
      'aws-assume-role-external-id': p['aws-organization-assume-role-external-id'],
      'aws-endpoint-url': p['aws-endpoint-url'],
      'aws-concurrency': p['aws-concurrency'],
      'aws-identity-center-rate-limit': p['aws-identity-center-rate-limit'],
    },
  };
  const aws = createAwsContext(connection);
  const store = stringParameter(p['aws-organization-identity-store']);
  const handle = identityCenterOver(
    ctx,
    aws,
    {
      instanceArn: stringParameter(p['aws-organization-identity-center-instance-arn']),
      identityStoreId: store ? identityStoreIdOf(store) : undefined,
      instanceParameter: 'aws-organization-identity-center-instance-arn',
      identityStoreParameter: 'aws-organization-identity-store',
    },
    options,
  );
  setState(ctx, ORGANIZATION_KEY, handle);
  return handle;
}

/** Closes the sockets of the management-account connection, if one was made. */
export function releaseOrganization(ctx: SyncContext): void {
  const existing = getState(ctx, ORGANIZATION_KEY);
  if (!existing) return;
  (existing.aws as ManagedAwsContext).destroy();
  deleteState(ctx, ORGANIZATION_KEY);
}
