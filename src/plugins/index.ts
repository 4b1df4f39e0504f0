import type { ConnectorPlugin } from '../plugin-api/contract.js';
import { awsAccountPlugin } from './aws-account/index.js';

/** The plugins that ship with the connector. */
export const builtInPlugins: ConnectorPlugin[] = [awsAccountPlugin];
