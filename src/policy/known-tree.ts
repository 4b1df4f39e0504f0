/**
 * The S3 data objects known in this run, as a prefix tree of names: per bucket its folders (by
 * name) and the names of its files, nothing else. A million objects cost their names, not their
 * records. Policies are resolved against it: a pattern lands on the data objects it covers.
 */

export interface KnownFolder {
  folders: Map<string, KnownFolder>;
  /** File names in this folder while the tree is built (read them with `fileNames`). */
  files: string[];
  /**
   * Once the tree is complete: the sorted file names joined by NUL, one string per folder. Names
   * sliced from full names would keep each full name alive; one string holds only the names.
   */
  joined?: string;
  /**
   * Keys beneath it are not all known: the tree is cut here (`aws-s3-max-folder-depth`, a Glue
   * table), or its listing did not finish. A pattern that covers only part of it cannot be shown exactly.
   */
  opaque: boolean;
}

/** Between file names in `joined`: NUL, which no listed S3 key holds. */
const SEPARATOR = '\u0000';

/** A name of its own: a slice of a full name would keep the whole full name in memory. */
function own(name: string): string {
  return Buffer.from(name, 'utf8').toString('utf8');
}

export function emptyFolder(opaque = false): KnownFolder {
  return { folders: new Map(), files: [], opaque };
}

/** The part of a data object record the tree reads. */
export interface DataObjectLike {
  fullName: string;
  type: string;
  parentExternalId?: string;
}

/** Where a full name `<account>:<region>:<bucket>[/<path>]` points: its bucket and its path. */
function splitFullName(fullName: string): { bucket: string; path: string } | undefined {
  const colon = fullName.indexOf(':', fullName.indexOf(':') + 1);
  if (colon < 0) return undefined;
  const slash = fullName.indexOf('/', colon);
  return slash < 0 ? { bucket: fullName.slice(colon + 1), path: '' } : { bucket: fullName.slice(colon + 1, slash), path: fullName.slice(slash + 1) };
}

function depthOf(path: string): number {
  let depth = 0;
  for (const segment of path.split('/')) if (segment !== '') depth++;
  return depth;
}

export class KnownTree {
  readonly buckets = new Map<string, KnownFolder>();
  /** The listing failed in a way that names no bucket: no bucket's content is known for sure. */
  allUnknown = false;
  /** Folders by full name while the tree is built (records name their parent by full name). */
  private folderByFullName? = new Map<string, KnownFolder>();
  private sorted = false;

  constructor(
    /** Folders at this depth have unknown content (the listing stops there). */
    private readonly maxFolderDepth = Number.POSITIVE_INFINITY,
  ) {}

  /** Adds a record as the data object sync writes it (in any order a sorted listing produces). */
  add(record: DataObjectLike): void {
    const index = this.folderByFullName;
    if (!index) throw new Error('the known data object tree is complete; no records can be added');
    if (record.type === 'datasource' || record.type === 'column') return;
    const where = splitFullName(record.fullName);
    if (!where) return;
    if (record.type === 'bucket') {
      if (!this.buckets.has(where.bucket)) {
        const bucket = emptyFolder(this.maxFolderDepth <= 0);
        this.buckets.set(where.bucket, bucket);
        index.set(record.fullName, bucket);
      }
      return;
    }
    const parentName = record.parentExternalId ?? '';
    let parent = index.get(parentName);
    if (!parent) {
      // A file that is also a folder (`x` and `x/...`): its children hang under it; the folder is a node of its own.
      const parentWhere = splitFullName(parentName);
      const grand = parentWhere ? this.folderAbove(parentName) : undefined;
      if (!parentWhere || !grand) return;
      parent = emptyFolder(depthOf(parentWhere.path) >= this.maxFolderDepth);
      grand.folder.folders.set(parentName.slice(grand.fullName.length + 1), parent);
      index.set(parentName, parent);
    }
    const parentPath = splitFullName(parentName)?.path ?? '';
    const name = parentPath === '' ? where.path : where.path.slice(parentPath.length + 1);
    if (record.type === 'file') {
      parent.files.push(own(name));
    } else {
      // Folders and Glue tables; a table stands for every key beneath its location.
      const folder = parent.folders.get(name) ?? emptyFolder(record.type !== 'folder' || depthOf(where.path) >= this.maxFolderDepth);
      parent.folders.set(name, folder);
      index.set(record.fullName, folder);
    }
  }

  private folderAbove(fullName: string): { folder: KnownFolder; fullName: string } | undefined {
    const index = this.folderByFullName as Map<string, KnownFolder>;
    for (let at = fullName.lastIndexOf('/'); at > 0; at = fullName.lastIndexOf('/', at - 1)) {
      const above = fullName.slice(0, at);
      const folder = index.get(above);
      if (folder) return { folder, fullName: above };
    }
    return undefined;
  }

  /** The listing of a bucket did not finish: what is beneath it is not all known. */
  markBucketIncomplete(bucket: string): void {
    const node = this.buckets.get(bucket);
    if (node) node.opaque = true;
    else this.buckets.set(bucket, emptyFolder(true));
  }

  markAllIncomplete(): void {
    this.allUnknown = true;
  }

  /** Ends building: drops the lookup by full name and sorts file names for range lookups. */
  complete(): this {
    this.folderByFullName = undefined;
    if (!this.sorted) {
      const sortAll = (folder: KnownFolder): void => {
        if (folder.files.length > 0) folder.joined = folder.files.sort().join(SEPARATOR);
        folder.files = [];
        for (const child of folder.folders.values()) sortAll(child);
      };
      for (const bucket of this.buckets.values()) sortAll(bucket);
      this.sorted = true;
    }
    return this;
  }
}

/** The sorted file names of a folder of a complete tree (a fresh array: callers drop it when done). */
export function fileNames(folder: KnownFolder): string[] {
  if (folder.joined === undefined) return folder.files;
  return folder.joined.split(SEPARATOR);
}

/** The index of the first name in a sorted list that is not below `prefix` in sort order. */
export function firstAtOrAfter(sorted: readonly string[], prefix: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) < prefix) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
