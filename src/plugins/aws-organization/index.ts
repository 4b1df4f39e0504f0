import { awsConnectionParameters, awsContextFor, releaseAwsContext, stringParameter, validateAwsParameters } from '../../aws/index.js';
import { identityCenterOver, type IdentityCenter, type IdentityCenterOptions } from '../../identity-center/connection.js';
import { identityStoreIdOf, rateLimitParameter, validateIdentityStore, validateRateLimit, validateRegion } from '../../identity-center/parameters.js';
import { importIdentityCenterIdentities } from '../../importers/identity/identity-center.js';
import type { DataSourceMetadata } from '../../model/index.js';
import type { ConnectorPlugin, ParameterSpec, SyncContext } from '../../plugin-api/contract.js';
import { connectorVersion } from '../../version.js';

/** The connection parameters of aws-account, with one region (Identity Center's) instead of a list. */
const connectionParameters: ParameterSpec[] = [
  ...awsConnectionParameters.filter((p) => p.name !== 'aws-regions'),
  {
    name: 'aws-region',
    description:
      'The AWS region of the IAM Identity Center instance. When not set, the default region of the AWS SDK is used (AWS_REGION, AWS_DEFAULT_REGION or the region of the profile).',
    type: 'string',
  },
];

const organizationPluginParameters: ParameterSpec[] = [
  ...connectionParameters,
  {
    name: 'aws-identity-store-id',
    description:
      'The id of the Identity Center identity store to read (d-xxxxxxxxxx); its ARN is accepted too. When not set, it is discovered with sso:ListInstances; a configuration error names this parameter when the account has several instances or none.',
    type: 'string',
  },
  rateLimitParameter,
];

/** The target's parameters as the shared AWS client factory reads them: `aws-region` becomes the one region. */
function connectionContext(ctx: SyncContext): SyncContext {
  const region = stringParameter(ctx.params['aws-region']);
  return { ...ctx, params: { ...ctx.params, 'aws-regions': region ? [region] : [] } };
}

/** The Identity Center of this target: its AWS connection, limiters and identity store. */
export function identityCenterOf(ctx: SyncContext, options: IdentityCenterOptions = {}): IdentityCenter {
  const store = stringParameter(ctx.params['aws-identity-store-id']);
  return identityCenterOver(
    ctx,
    awsContextFor(connectionContext(ctx)),
    { identityStoreId: store ? identityStoreIdOf(store) : undefined, identityStoreParameter: 'aws-identity-store-id' },
    options,
  );
}

/** An identity store only: no data objects or access of its own; data sources link to it. */
export function organizationMetadata(): DataSourceMetadata {
  return { type: 'aws-organization', dataObjectTypes: [], accessProviderTypes: [], usageLevels: [], identityStore: { canBeLinked: true, canBeMasterIdentityStore: true } };
}

/** The AWS organization plugin: the users, groups and memberships of IAM Identity Center, as an identity store. */
export const awsOrganizationPlugin: ConnectorPlugin = {
  name: 'aws-organization',
  aliases: ['raito-io/cli-plugin-aws-organization'],
  description:
    'Syncs the users, groups and group memberships of AWS IAM Identity Center (the identity store of an AWS organization), to link to aws-account data sources that import permission sets.',
  version: connectorVersion,
  parameters: organizationPluginParameters,
  validate: (params) => [
    ...validateAwsParameters(params),
    ...validateRegion(params, 'aws-region'),
    ...validateIdentityStore(params, 'aws-identity-store-id'),
    ...validateRateLimit(params),
  ],
  metadata: () => organizationMetadata(),
  close: releaseAwsContext,
  async checkCredentials(ctx) {
    const ic = identityCenterOf(ctx);
    const account = await ic.aws.accountId();
    const { identityStoreId } = await ic.instance(false);
    return `AWS credentials work for account ${account}; Identity Center identity store ${identityStoreId} in ${ic.region}`;
  },
  syncs: {
    identityStore: (ctx, out) => importIdentityCenterIdentities(ctx, identityCenterOf(ctx), out),
  },
};
