import { lazyCommonJs } from './load.js';

// The parts of @aws-sdk/client-s3-control the connector uses, loaded on first use through require (see load.ts).
const sdk = lazyCommonJs<typeof import('@aws-sdk/client-s3-control')>('@aws-sdk/client-s3-control');

export const CreateAccessPointCommand = sdk.CreateAccessPointCommand;
export type CreateAccessPointCommand = InstanceType<typeof sdk.CreateAccessPointCommand>;
export const DeleteAccessPointCommand = sdk.DeleteAccessPointCommand;
export type DeleteAccessPointCommand = InstanceType<typeof sdk.DeleteAccessPointCommand>;
export const DeleteAccessPointPolicyCommand = sdk.DeleteAccessPointPolicyCommand;
export type DeleteAccessPointPolicyCommand = InstanceType<typeof sdk.DeleteAccessPointPolicyCommand>;
export const GetAccessPointPolicyCommand = sdk.GetAccessPointPolicyCommand;
export type GetAccessPointPolicyCommand = InstanceType<typeof sdk.GetAccessPointPolicyCommand>;
export const ListAccessPointsCommand = sdk.ListAccessPointsCommand;
export type ListAccessPointsCommand = InstanceType<typeof sdk.ListAccessPointsCommand>;
export const ListTagsForResourceCommand = sdk.ListTagsForResourceCommand;
export type ListTagsForResourceCommand = InstanceType<typeof sdk.ListTagsForResourceCommand>;
export const PutAccessPointPolicyCommand = sdk.PutAccessPointPolicyCommand;
export type PutAccessPointPolicyCommand = InstanceType<typeof sdk.PutAccessPointPolicyCommand>;
export const S3ControlClient = sdk.S3ControlClient;
export type S3ControlClient = InstanceType<typeof sdk.S3ControlClient>;
