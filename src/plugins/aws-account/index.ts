import { awsConnectionParameters, awsContextFor, releaseAwsContext, validateAwsParameters } from '../../aws/index.js';
import type { ConnectorPlugin } from '../../host/plugin.js';
import { importIamIdentities } from '../../importers/identity/iam.js';
import { identityParameters } from '../../importers/identity/parameters.js';
import { connectorVersion } from '../../version.js';

/** The AWS account plugin: S3 data objects, IAM identities and access of one AWS account. */
export const awsAccountPlugin: ConnectorPlugin = {
  name: 'aws-account',
  aliases: ['raito-io/cli-plugin-aws-account'],
  description: 'Syncs one AWS account: IAM users and groups.',
  version: connectorVersion,
  parameters: [...awsConnectionParameters, ...identityParameters],
  validate: (params) => [...validateAwsParameters(params)],
  metadata: () => ({ type: 'aws-account', dataObjectTypes: [], accessProviderTypes: [], usageLevels: [] }),
  close: releaseAwsContext,
  async checkCredentials(ctx) {
    const aws = awsContextFor(ctx);
    const account = await aws.accountId();
    return `AWS credentials work for account ${account} (regions ${aws.regions.join(', ')})`;
  },
  syncs: {
    identityStore: importIamIdentities,
  },
};
