import { lazyCommonJs } from './load.js';

// The parts of @aws-sdk/client-identitystore the connector uses, loaded on first use through require (see load.ts).
const sdk = lazyCommonJs<typeof import('@aws-sdk/client-identitystore')>('@aws-sdk/client-identitystore');

export const DescribeGroupCommand = sdk.DescribeGroupCommand;
export type DescribeGroupCommand = InstanceType<typeof sdk.DescribeGroupCommand>;
export const DescribeUserCommand = sdk.DescribeUserCommand;
export type DescribeUserCommand = InstanceType<typeof sdk.DescribeUserCommand>;
export const GetGroupIdCommand = sdk.GetGroupIdCommand;
export type GetGroupIdCommand = InstanceType<typeof sdk.GetGroupIdCommand>;
export const GetUserIdCommand = sdk.GetUserIdCommand;
export type GetUserIdCommand = InstanceType<typeof sdk.GetUserIdCommand>;
export const IdentitystoreClient = sdk.IdentitystoreClient;
export type IdentitystoreClient = InstanceType<typeof sdk.IdentitystoreClient>;
export const paginateListGroupMemberships = sdk.paginateListGroupMemberships;
export const paginateListGroups = sdk.paginateListGroups;
export const paginateListUsers = sdk.paginateListUsers;
