import type { AccessProviderToExport } from '../model/index.js';
import type { SyncSession, SyncTarget } from '../sync-target/types.js';

/**
 * The demo's sync target: a real target (the local directory), except that the access providers
 * to export are the sample ones, so the demo shows an export without an export file.
 */
export function withSampleExport(target: SyncTarget, providers: readonly AccessProviderToExport[]): SyncTarget {
  return {
    kind: target.kind,
    description: `${target.description} (sample access providers to export)`,
    check: () => target.check(),
    prepare: target.prepare ? () => target.prepare!() : undefined,
    async open(run) {
      const session = await target.open(run);
      const sample: SyncSession = {
        lastUsed: session.lastUsed,
        spoolDir: session.spoolDir,
        async *accessProvidersToExport() {
          yield* structuredClone(providers);
        },
        putStream: (stream) => session.putStream(stream),
        putMetadata: (metadata) => session.putMetadata(metadata),
        putFile: session.putFile ? (name, content) => session.putFile!(name, content) : undefined,
        keepUsageCursor: session.keepUsageCursor ? (lastUsed) => session.keepUsageCursor!(lastUsed) : undefined,
        commit: (manifest) => session.commit(manifest),
        abort: (reason) => session.abort(reason),
      };
      return sample;
    },
  };
}
