import { lazyCommonJs } from './load.js';

// The parts of @aws-sdk/client-sts the connector uses, loaded on first use through require (see load.ts).
const sdk = lazyCommonJs<typeof import('@aws-sdk/client-sts')>('@aws-sdk/client-sts');

export const GetCallerIdentityCommand = sdk.GetCallerIdentityCommand;
export type GetCallerIdentityCommand = InstanceType<typeof sdk.GetCallerIdentityCommand>;
export const STSClient = sdk.STSClient;
export type STSClient = InstanceType<typeof sdk.STSClient>;
