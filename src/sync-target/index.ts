export type { SpooledStream, SyncRunInfo, SyncSession, SyncTarget } from './types.js';
export { DirectoryTarget, type DirectoryTargetOptions } from './directory.js';
export { ApiTarget, type ApiTargetOptions } from './api.js';
export { SyncApiClient, type SyncApiClientOptions, type OpenSyncRequest } from './http-client.js';
export type { RetryOptions } from './retry.js';
