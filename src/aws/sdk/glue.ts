import { lazyCommonJs } from './load.js';

// The parts of @aws-sdk/client-glue the connector uses, loaded on first use through require (see load.ts).
const sdk = lazyCommonJs<typeof import('@aws-sdk/client-glue')>('@aws-sdk/client-glue');

export const GetTagsCommand = sdk.GetTagsCommand;
export type GetTagsCommand = InstanceType<typeof sdk.GetTagsCommand>;
export const GlueClient = sdk.GlueClient;
export type GlueClient = InstanceType<typeof sdk.GlueClient>;
export const paginateGetDatabases = sdk.paginateGetDatabases;
export const paginateGetTables = sdk.paginateGetTables;
