import { loadCommonJs } from './load.js';

// The parts of @aws-sdk/client-s3 the connector uses, loaded through require (see load.ts).
const sdk = loadCommonJs<typeof import('@aws-sdk/client-s3')>('@aws-sdk/client-s3');

export const GetBucketLocationCommand = sdk.GetBucketLocationCommand;
export type GetBucketLocationCommand = InstanceType<typeof sdk.GetBucketLocationCommand>;
export const GetBucketPolicyCommand = sdk.GetBucketPolicyCommand;
export type GetBucketPolicyCommand = InstanceType<typeof sdk.GetBucketPolicyCommand>;
export const ListObjectsV2Command = sdk.ListObjectsV2Command;
export type ListObjectsV2Command = InstanceType<typeof sdk.ListObjectsV2Command>;
export const S3Client = sdk.S3Client;
export type S3Client = InstanceType<typeof sdk.S3Client>;
export const paginateListBuckets = sdk.paginateListBuckets;
export const paginateListObjectsV2 = sdk.paginateListObjectsV2;
