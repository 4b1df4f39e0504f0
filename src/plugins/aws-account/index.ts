import { awsConnectionParameters, awsContextFor, releaseAwsContext, validateAwsParameters } from '../../aws/index.js';
import type { ConnectorPlugin } from '../../plugin-api/contract.js';
import { releaseOrganization } from '../../identity-center/connection.js';
import { organizationEnabled, organizationParameters, rateLimitParameter, validateOrganizationParameters } from '../../identity-center/parameters.js';
import { accessParameters, syncDataObjectsKnown } from '../../importers/access/index.js';
import { exportParameters, validateExportParameters } from '../../exporter/index.js';
import { dataObjectParameters, syncDataObjects, validateDataObjectParameters } from '../../importers/data-objects/index.js';
import { importIamIdentities } from '../../importers/identity/iam.js';
import { identityParameters } from '../../importers/identity/parameters.js';
import { checkCredentialReportAccess } from '../../importers/identity/credential-facts.js';
import { validateMachineTag } from '../../importers/identity/machine-tag.js';
import { usageParameters, validateUsageParameters } from '../../importers/usage/parameters.js';
import { connectorVersion } from '../../version.js';
import { syncAccess } from './access.js';
import { buildMetadata } from './metadata.js';

/** The AWS account plugin: S3 data objects, IAM identities and access of one AWS account. */
export const awsAccountPlugin: ConnectorPlugin = {
  name: 'aws-account',
  aliases: ['raito-io/cli-plugin-aws-account'],
  description: 'Syncs one AWS account: S3 buckets, folders and files (or Glue tables), IAM users and groups, and access from IAM roles, policies, access points and bucket policies; exports access providers as IAM roles, managed policies and S3 access points; reads data usage from CloudTrail S3 data events.',
  version: connectorVersion,
  parameters: [...awsConnectionParameters, ...dataObjectParameters, ...identityParameters, ...accessParameters, ...exportParameters, ...usageParameters, ...organizationParameters, rateLimitParameter],
  validate: (params) => [
    ...validateAwsParameters(params),
    ...validateDataObjectParameters(params),
    ...validateMachineTag(params),
    ...validateExportParameters(params),
    ...validateUsageParameters(params),
    ...validateOrganizationParameters(params),
  ],
  // Derived from what exists: the export and usage syncs, and the parameters, switch their parts of the metadata on.
  metadata: (params) =>
    buildMetadata({
      exportsAccess: awsAccountPlugin.exportsAccess === true,
      dataUsage: awsAccountPlugin.syncs.dataUsage !== undefined,
      organization: organizationEnabled(params),
      glue: params['aws-glue-enabled'] === true,
    }),
  exportsAccess: true,
  close(ctx) {
    releaseAwsContext(ctx);
    releaseOrganization(ctx);
  },
  async checkCredentials(ctx) {
    const aws = awsContextFor(ctx);
    const account = await aws.accountId();
    const works = `AWS credentials work for account ${account} (regions ${aws.regions.join(', ')})`;
    await checkCredentialReportAccess(ctx, works);
    return works;
  },
  syncs: {
    // The access import of the same run resolves policies against the data objects written here.
    dataSource: (ctx, out) => syncDataObjectsKnown(ctx, (sink) => syncDataObjects(ctx, { 'data-objects': sink }), out['data-objects']),
    identityStore: importIamIdentities,
    dataAccess: syncAccess,
    // Loaded when a usage sync runs: the other syncs, info and check do not pay for its modules.
    dataUsage: async (ctx, out, input) => (await import('../../importers/usage/index.js')).syncDataUsage(ctx, out, input),
  },
};
