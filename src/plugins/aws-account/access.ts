import type { DataAccessInput, SyncContext, SyncOutputs } from '../../plugin-api/contract.js';
import { exportAccess } from '../../exporter/index.js';
import { importAccessProviders } from '../../importers/access/index.js';

/**
 * The access sync: export first (the access providers decided in the cloud are written into AWS,
 * one feedback record each), then import (what exists in AWS now, the export's work included).
 */
export async function syncAccess(ctx: SyncContext, out: Pick<SyncOutputs, 'access-providers' | 'access-provider-feedback'>, input: DataAccessInput): Promise<void> {
  const result = await exportAccess(ctx, input.toExport, out['access-provider-feedback']);
  if (result) input.reportExport?.(result.report);
  await importAccessProviders(ctx, out);
}
