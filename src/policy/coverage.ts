import type { Glob } from './glob.js';
import { fileNames, firstAtOrAfter, type KnownFolder } from './known-tree.js';

/**
 * How a set of S3 keys (written as the resource segment of their ARNs) meets the known tree:
 * a `Resource` pattern is the keys it matches, a `NotResource` list the keys none of its patterns match.
 */
export interface KeySet {
  /** Of every string that starts with `prefix`: all in the set, none, or some. */
  under(prefix: string): 'all' | 'none' | 'some';
  has(key: string): boolean;
  /** Characters every member that starts with `prefix` has right after it ('' when that says nothing). */
  forced(prefix: string): string;
  /**
   * A folder marker object (`logs/`) in the set, without the folder, is worth a note: true for a
   * pattern that names it; a NotResource list leaves markers in by accident, and they hold no data.
   */
  markers: boolean;
}

export function patternKeys(glob: Glob): KeySet {
  return {
    under: (prefix) => (!glob.matchesSomeStartingWith(prefix) ? 'none' : glob.coversAllStartingWith(prefix) ? 'all' : 'some'),
    has: (key) => glob.matches(key),
    forced: (prefix) => glob.forcedContinuation(prefix) ?? '',
    markers: true,
  };
}

/** What none of the globs match (NotResource). */
export function complementKeys(globs: readonly Glob[]): KeySet {
  return {
    under: (prefix) => {
      if (globs.some((g) => g.coversAllStartingWith(prefix))) return 'none';
      return globs.some((g) => g.matchesSomeStartingWith(prefix)) ? 'some' : 'all';
    },
    has: (key) => !globs.some((g) => g.matches(key)),
    forced: () => '',
    markers: false,
  };
}

/** A data object of one bucket, by its path (empty: the bucket). */
export interface CoveredObject {
  type: 'bucket' | 'folder' | 'file';
  path: string;
}

export interface PartCovered {
  type: 'bucket' | 'folder' | 'file';
  path: string;
  /** Why it cannot be shown: its keys are not all known, or only its folder marker object matches. */
  why: 'unlisted' | 'marker' | 'twin';
}

export interface Coverage {
  /** Known data objects the set covers entirely, at the highest such level. */
  covered: CoveredObject[];
  /** Known data objects the set covers only in part where no known data object below says which part. */
  partly: PartCovered[];
}

/**
 * Walks the known tree of one bucket under `objectPrefix` (the resource segment every object ARN
 * of the space starts with: `bucket/`, `accesspoint/ap/object/`): a data object is covered when
 * every key beneath it is in the set. Only folders that are partly covered are opened, and a
 * literal continuation of the pattern picks the one child it can reach, so a pattern over a
 * million objects visits and lists only what it touches.
 */
export function coverBucket(keys: KeySet, bucket: KnownFolder, objectPrefix: string): Coverage {
  const result: Coverage = { covered: [], partly: [] };
  const visit = (folder: KnownFolder, path: string, twinFile: boolean): void => {
    const prefix = path === '' ? objectPrefix : `${objectPrefix}${path}/`;
    const type = path === '' ? 'bucket' : 'folder';
    const state = keys.under(prefix);
    if (state === 'none') return;
    if (state === 'all') {
      // `x` and `x/...` are one data object: it is covered only when the object `x` is too.
      // The data object sync writes such a twin as the file, with the folder's content beneath it.
      if (twinFile && !keys.has(`${objectPrefix}${path}`)) result.partly.push({ type: 'file', path, why: 'twin' });
      else result.covered.push({ type: twinFile ? 'file' : type, path });
      return;
    }
    if (folder.opaque) {
      result.partly.push({ type, path, why: 'unlisted' });
      return;
    }
    // The folder marker object `path/` is no data object of its own.
    if (keys.markers && path !== '' && keys.has(prefix)) result.partly.push({ type, path, why: 'marker' });

    const forced = keys.forced(prefix);
    const files = fileNames(folder);
    const slash = forced.indexOf('/');
    const folderNames = slash > 0 ? (folder.folders.has(forced.slice(0, slash)) ? [forced.slice(0, slash)] : []) : [...folder.folders.keys()].filter((n) => n.startsWith(forced) || forced.startsWith(n));
    for (const name of folderNames) {
      const child = folder.folders.get(name) as KnownFolder;
      const childPath = path === '' ? name : `${path}/${name}`;
      const twin = files.length > 0 && files[firstAtOrAfter(files, name)] === name;
      visit(child, childPath, twin);
    }
    for (let i = firstAtOrAfter(files, forced); i < files.length && (files[i] as string).startsWith(forced); i++) {
      const name = files[i] as string;
      const filePath = path === '' ? name : `${path}/${name}`;
      if (!keys.has(`${objectPrefix}${filePath}`)) continue;
      // `x` is also a folder: the one data object is covered only with all of `x/...` (decided above).
      if (folder.folders.has(name)) {
        if (keys.under(`${objectPrefix}${filePath}/`) !== 'all') result.partly.push({ type: 'file', path: filePath, why: 'twin' });
        continue;
      }
      result.covered.push({ type: 'file', path: filePath });
    }
  };
  visit(bucket, '', false);
  return result;
}
