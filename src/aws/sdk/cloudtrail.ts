import { lazyCommonJs } from './load.js';

// The parts of @aws-sdk/client-cloudtrail the connector uses, loaded on first use through require (see load.ts).
const sdk = lazyCommonJs<typeof import('@aws-sdk/client-cloudtrail')>('@aws-sdk/client-cloudtrail');

export const CloudTrailClient = sdk.CloudTrailClient;
export type CloudTrailClient = InstanceType<typeof sdk.CloudTrailClient>;
export const DescribeTrailsCommand = sdk.DescribeTrailsCommand;
export type DescribeTrailsCommand = InstanceType<typeof sdk.DescribeTrailsCommand>;
export const GetEventSelectorsCommand = sdk.GetEventSelectorsCommand;
export type GetEventSelectorsCommand = InstanceType<typeof sdk.GetEventSelectorsCommand>;
