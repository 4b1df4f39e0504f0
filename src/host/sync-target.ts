import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import type { LoadedConfig } from '../config/index.js';
import { ConfigError } from '../errors.js';
import { ApiTarget } from '../sync-target/api.js';
import { DirectoryTarget } from '../sync-target/directory.js';
import { DryRunTarget } from '../sync-target/dry-run.js';
import type { SyncTarget } from '../sync-target/types.js';
import { userAgent } from '../version.js';

/**
 * The cloud sync API when `api-url` is set, else the local directory (`file-backup-location` or
 * ./raito-sync). A dry run never commits to the API: it reads from it and writes to the directory.
 */
export function createSyncTarget(
  config: Pick<LoadedConfig, 'file' | 'apiUrl' | 'apiUser' | 'apiSecret' | 'domain' | 'fileBackupLocation'>,
  options: { cwd: string; logger: Logger; dryRun?: boolean },
): SyncTarget {
  const local = () => new DirectoryTarget({ baseDir: resolve(options.cwd, config.fileBackupLocation ?? 'raito-sync') });
  if (config.apiUrl) {
    const missing = (['api-user', 'api-secret'] as const).filter((key) => !(key === 'api-user' ? config.apiUser : config.apiSecret));
    if (missing.length > 0) {
      throw new ConfigError(
        missing.map((key) => ({ path: key, message: `is needed when api-url is set (or set RAITO_${key.replace('-', '_').toUpperCase()})`, file: config.file })),
      );
    }
    const api = new ApiTarget({
      apiUrl: config.apiUrl,
      apiUser: config.apiUser!,
      apiSecret: config.apiSecret!,
      domain: config.domain,
      userAgent,
      spoolRoot: tmpdir(),
      logger: options.logger,
    });
    return options.dryRun ? new DryRunTarget(api, local()) : api;
  }
  return local();
}
