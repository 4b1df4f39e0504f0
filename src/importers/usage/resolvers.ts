import type { DataObjectOptions } from '../data-objects/parameters.js';
import { bucketFilter } from '../data-objects/filters.js';
import type { GlueTableLocation } from '../data-objects/glue-tables.js';
import { dataObjectFullName } from '../../model/names.js';
import type { DataObjectReference } from '../../model/index.js';

// Where an event's bucket and key land among the data objects: plain code with no AWS in it, so
// that the log parsing worker (parse-worker.ts) builds the same resolver from a ResolverSpec.

/** Maps a bucket and object key from an event to the data object that the data-objects stream has for it. */
export interface DataObjectResolver {
  /** `key` undefined: the bucket itself. Undefined when the data source has no data object there. */
  resolve(bucket: string, key: string | undefined, eventRegion: string | undefined): DataObjectReference | undefined;
}

/** A Glue table as the resolver takes it: captured by the data source sync, or listed by the usage sync. */
export type GlueTablePlace = GlueTableLocation | { bucket: string; region: string; path: string };

/** What a resolver is made of, as plain data (it is sent to the log parsing workers). */
export type ResolverSpec =
  | { mode: 's3'; account: string; regions?: [string, string][]; options: Pick<DataObjectOptions, 'includeBuckets' | 'excludeBuckets' | 'emulateFolders' | 'maxFolderDepth'> }
  | { mode: 'glue'; account: string; regions?: [string, string][]; tables: GlueTablePlace[] };

export function resolverOf(spec: ResolverSpec): DataObjectResolver {
  const regions = spec.regions && new Map(spec.regions);
  return spec.mode === 'glue' ? new GlueResolver(spec.account, regions, spec.tables) : new S3Resolver(spec.account, regions, spec.options);
}

/** placeKey's answer for an object that is itself a data object (a file). */
export const LISTED = -1;

/**
 * Where the importer places an object key (see FolderTrail, whose placement this is for one key
 * on its own): LISTED when the object is a file within aws-s3-max-folder-depth, else the length of
 * the path of the folder that represents it (0: the bucket). Events come in any key order, so
 * this reads one key without the trail's state and makes no substring until one is needed.
 */
export function placeKey(key: string, maxDepth: number): number {
  let depth = 0;
  let folderEnd = 0;
  let from = 0;
  for (;;) {
    const slash = key.indexOf('/', from);
    // The last segment is the object's own name; empty means a zero-byte `folder/` marker.
    if (slash < 0) return from < key.length && depth < maxDepth ? LISTED : folderEnd;
    // An empty segment (`a//b`, `/a`) adds no folder level.
    if (slash !== from) {
      if (depth === maxDepth) return folderEnd;
      depth++;
      folderEnd = slash;
    }
    from = slash + 1;
  }
}

interface ResolvedBucket {
  region: string;
  fullName: string;
}

/**
 * S3 mode: an object is the file with its key, or the folder at aws-s3-max-folder-depth that
 * represents it, exactly as the importer lists it; buckets left out by the include/exclude lists
 * or not in the account have no data object.
 */
export class S3Resolver implements DataObjectResolver {
  private readonly wanted: (bucket: string) => boolean;
  /** Bucket -> its region and full name, or null when it has no data object (see bucket()). */
  private readonly buckets = new Map<string, ResolvedBucket | null>();

  constructor(
    private readonly account: string,
    private readonly regions: Map<string, string> | undefined,
    private readonly options: Pick<DataObjectOptions, 'includeBuckets' | 'excludeBuckets' | 'emulateFolders' | 'maxFolderDepth'>,
  ) {
    this.wanted = bucketFilter(options.includeBuckets, options.excludeBuckets);
  }

  resolve(bucket: string, key: string | undefined, eventRegion: string | undefined): DataObjectReference | undefined {
    const known = this.bucket(bucket, eventRegion);
    if (known === undefined) return undefined;
    const bucketFullName = known.fullName;
    if (key === undefined || key === '') return { fullName: bucketFullName, type: 'bucket' };
    if (!this.options.emulateFolders) {
      return key.endsWith('/') ? { fullName: bucketFullName, type: 'bucket' } : { fullName: `${bucketFullName}/${key}`, type: 'file' };
    }
    const folderEnd = placeKey(key, this.options.maxFolderDepth);
    if (folderEnd === LISTED) return { fullName: `${bucketFullName}/${key}`, type: 'file' };
    if (folderEnd === 0) return { fullName: bucketFullName, type: 'bucket' };
    // Folder paths end without a slash: the naming rule's trimming is only needed when one does not.
    const folder = key.slice(0, folderEnd);
    return { fullName: folder.endsWith('/') ? dataObjectFullName(this.account, known.region, bucket, folder) : `${bucketFullName}/${folder}`, type: 'folder' };
  }

  /**
   * A wanted bucket's region and full name, undefined for a bucket that is left out or not in the
   * account. Worked out once per bucket (the filter, the region, the name), not once per event;
   * without a bucket listing the event's region decides, so that case is not cached.
   */
  private bucket(bucket: string, eventRegion: string | undefined): ResolvedBucket | undefined {
    if (!this.regions) return eventRegion !== undefined && this.wanted(bucket) ? { region: eventRegion, fullName: dataObjectFullName(this.account, eventRegion, bucket) } : undefined;
    let known = this.buckets.get(bucket);
    if (known === undefined) {
      const region = this.regions.get(bucket);
      known = region !== undefined && this.wanted(bucket) ? { region, fullName: dataObjectFullName(this.account, region, bucket) } : null;
      this.buckets.set(bucket, known);
    }
    return known ?? undefined;
  }
}

interface GlueBucket {
  fullName: string;
  tables: Set<string>;
  folders: Set<string>;
}

/** Glue mode: the deepest Glue table, folder above a table, or bucket of a table that contains the object. */
export class GlueResolver implements DataObjectResolver {
  private readonly buckets = new Map<string, GlueBucket>();

  constructor(account: string, regions: Map<string, string> | undefined, tables: GlueTablePlace[]) {
    for (const table of tables) {
      const fullName = 'bucketFullName' in table ? table.bucketFullName : dataObjectFullName(account, regions?.get(table.bucket) ?? table.region, table.bucket);
      let known = this.buckets.get(table.bucket);
      if (!known) {
        known = { fullName, tables: new Set(), folders: new Set() };
        this.buckets.set(table.bucket, known);
      }
      known.tables.add(table.path);
      for (let slash = table.path.indexOf('/'); slash > 0; slash = table.path.indexOf('/', slash + 1)) known.folders.add(table.path.slice(0, slash));
    }
  }

  resolve(bucket: string, key: string | undefined): DataObjectReference | undefined {
    const known = this.buckets.get(bucket);
    if (!known) return undefined;
    if (key) {
      const path = key.replace(/\/+$/, '');
      // From the object itself up to its first folder: the first known path is the deepest.
      for (let end = path.length; end > 0; end = path.lastIndexOf('/', end - 1)) {
        const candidate = path.slice(0, end);
        if (known.tables.has(candidate)) return { fullName: `${known.fullName}/${candidate}`, type: 'glue-table' };
        if (known.folders.has(candidate)) return { fullName: `${known.fullName}/${candidate}`, type: 'folder' };
      }
    }
    return { fullName: known.fullName, type: 'bucket' };
  }
}
