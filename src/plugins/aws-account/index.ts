import { awsConnectionParameters, awsContextFor, releaseAwsContext, validateAwsParameters } from '../../aws/index.js';
import type { ConnectorPlugin } from '../../plugin-api/contract.js';
import { releaseOrganization } from '../../identity-center/connection.js';
import { organizationParameters, rateLimitParameter, validateOrganizationParameters } from '../../identity-center/parameters.js';
import { accessParameters } from '../../importers/access/index.js';
import { exportParameters } from '../../exporter/index.js';
import { dataObjectParameters, syncDataObjects, validateDataObjectParameters } from '../../importers/data-objects/index.js';
import { importIamIdentities } from '../../importers/identity/iam.js';
import { identityParameters } from '../../importers/identity/parameters.js';
import { connectorVersion } from '../../version.js';
import { syncAccess } from './access.js';
import { buildMetadata } from './metadata.js';

/** The AWS account plugin: S3 data objects, IAM identities and access of one AWS account. */
export const awsAccountPlugin: ConnectorPlugin = {
  name: 'aws-account',
  aliases: ['raito-io/cli-plugin-aws-account'],
  description: 'Syncs one AWS account: S3 buckets, folders and files (or Glue tables), IAM users and groups, and access from IAM roles, policies, access points and bucket policies; exports access providers as IAM roles, managed policies and S3 access points.',
  version: connectorVersion,
  parameters: [...awsConnectionParameters, ...dataObjectParameters, ...identityParameters, ...accessParameters, ...exportParameters, ...organizationParameters, rateLimitParameter],
  validate: (params) => [...validateAwsParameters(params), ...validateDataObjectParameters(params), ...validateOrganizationParameters(params)],
  metadata: (params) => buildMetadata(params),
  exportsAccess: true,
  close(ctx) {
    releaseAwsContext(ctx);
    releaseOrganization(ctx);
  },
  async checkCredentials(ctx) {
    const aws = awsContextFor(ctx);
    const account = await aws.accountId();
    return `AWS credentials work for account ${account} (regions ${aws.regions.join(', ')})`;
  },
  syncs: {
    dataSource: syncDataObjects,
    identityStore: importIamIdentities,
    dataAccess: syncAccess,
  },
};
