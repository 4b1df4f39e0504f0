import type { StreamSink } from '../../plugin-api/contract.js';

/**
 * A sink that lets each externalId through once: a second record with the same externalId is
 * dropped, and the stream gets one warning that names the duplicates (downstream, two records with
 * one id would overwrite each other in an order nobody chose). Holds one id per record, so it is
 * for streams of thousands (access providers), not of millions (objects).
 */
export function uniqueExternalIds<T extends { externalId: string }>(sink: StreamSink<T>): StreamSink<T> & { readonly duplicates: readonly string[] } {
  const seen = new Set<string>();
  const duplicates: string[] = [];
  let warned = false;
  return {
    write(record) {
      if (seen.has(record.externalId)) {
        duplicates.push(record.externalId);
        if (!warned) {
          warned = true;
          // The warning is said once, at the first duplicate; later ones are only counted in the log.
          sink.warn(`two records with externalId ${record.externalId} were built; only the first was written (check for a resource listed twice)`);
        }
        return undefined;
      }
      seen.add(record.externalId);
      return sink.write(record);
    },
    warn: (message) => sink.warn(message),
    markIncomplete: (reason) => sink.markIncomplete(reason),
    get records() {
      return sink.records;
    },
    get duplicates() {
      return duplicates;
    },
  };
}
