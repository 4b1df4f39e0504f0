import { lazyCommonJs } from './load.js';

// The parts of @aws-sdk/client-s3 the connector uses, loaded on first use through require (see load.ts).
const sdk = lazyCommonJs<typeof import('@aws-sdk/client-s3')>('@aws-sdk/client-s3');

export const GetBucketLocationCommand = sdk.GetBucketLocationCommand;
export type GetBucketLocationCommand = InstanceType<typeof sdk.GetBucketLocationCommand>;
export const GetBucketPolicyCommand = sdk.GetBucketPolicyCommand;
export type GetBucketPolicyCommand = InstanceType<typeof sdk.GetBucketPolicyCommand>;
export const GetObjectCommand = sdk.GetObjectCommand;
export type GetObjectCommand = InstanceType<typeof sdk.GetObjectCommand>;
export const HeadBucketCommand = sdk.HeadBucketCommand;
export type HeadBucketCommand = InstanceType<typeof sdk.HeadBucketCommand>;
export const ListObjectsV2Command = sdk.ListObjectsV2Command;
export type ListObjectsV2Command = InstanceType<typeof sdk.ListObjectsV2Command>;
export const S3Client = sdk.S3Client;
export type S3Client = InstanceType<typeof sdk.S3Client>;
export const paginateListBuckets = sdk.paginateListBuckets;
export const paginateListObjectsV2 = sdk.paginateListObjectsV2;
