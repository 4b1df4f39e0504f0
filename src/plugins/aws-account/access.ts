import type { DataAccessInput, SyncContext, SyncOutputs } from '../../plugin-api/contract.js';
import { importAccessProviders } from '../../importers/access/index.js';

export const exportNotSupported = 'this version of the connector does not write access into AWS yet: the access provider was not applied';

/**
 * The access sync: export first, then import. Until the exporter exists, every access provider
 * the cloud asks for gets a feedback record that says it was not applied, instead of silence.
 */
export async function syncAccess(ctx: SyncContext, out: Pick<SyncOutputs, 'access-providers' | 'access-provider-feedback'>, input: DataAccessInput): Promise<void> {
  let notApplied = 0;
  for await (const ap of input.toExport) {
    notApplied++;
    await out['access-provider-feedback'].write({ accessProvider: ap.id, actualName: ap.actualName ?? ap.name, externalId: ap.externalId, type: ap.type, errors: [exportNotSupported], warnings: [] });
  }
  if (notApplied > 0) out['access-provider-feedback'].warn(`${notApplied} access provider(s) to export were not applied: ${exportNotSupported}`);
  await importAccessProviders(ctx, out);
}
