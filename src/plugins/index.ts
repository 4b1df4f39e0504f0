import type { ConnectorPlugin } from '../plugin-api/contract.js';
import { awsAccountPlugin } from './aws-account/index.js';
import { awsOrganizationPlugin } from './aws-organization/index.js';

/** The plugins that ship with the connector. */
export const builtInPlugins: ConnectorPlugin[] = [awsAccountPlugin, awsOrganizationPlugin];
