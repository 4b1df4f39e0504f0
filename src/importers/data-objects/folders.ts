import { pathFullName, type BucketRef } from './records.js';

/**
 * Folder emulation over a sorted key listing. Keys that share a prefix are contiguous in S3's
 * order, so the folders of the key being read are the only ones that can still have keys to
 * come: a trail of open folders (one per depth) is enough to write every folder exactly once,
 * with memory that depends on the depth and not on the number of keys.
 *
 * Depth counts path segments: `2024/q1/orders.parquet` is a file at depth 3 in folder `2024/q1`
 * (depth 2). With a max depth D, folders up to depth D are written, and a file only when its
 * whole key is at most D segments deep; deeper objects are represented by their folder at depth D.
 */
export interface Placement {
  /** Folders (paths without trailing slash) that this key opens, outermost first: write them now. */
  fresh: readonly string[];
  /** The folder above the first fresh one (undefined: the bucket). */
  freshParent: string | undefined;
  /** The deepest folder of the key within the max depth (undefined: the bucket): the parent of the file. */
  parent: string | undefined;
  /** Whether the object itself is written as a file (within the depth, and not a `folder/` marker). */
  listed: boolean;
}

/** Shared by every key that opens no folder (most keys): no array per key. */
const NONE: string[] = [];

export class FolderTrail {
  private readonly open: string[];
  private cachedPath: string | undefined;
  private cachedFullName = '';
  private readonly placed: Placement = { fresh: NONE, freshParent: undefined, parent: undefined, listed: false };

  constructor(
    private readonly maxDepth: number,
    /** Folders already written by whoever listed the keys before this one (a split listing). */
    initial: readonly string[] = [],
  ) {
    this.open = initial.slice(0, maxDepth);
  }

  /** Places the next key (in listing order). The answer is valid until the next call. */
  enter(key: string): Readonly<Placement> {
    const open = this.open;
    const placed = this.placed;
    // Fast path, most keys: the next object in the same folder as the previous key.
    const deepest = open.length > 0 ? open[open.length - 1]! : '';
    const at = deepest.length;
    if ((at === 0 ? open.length === 0 : key.length > at && key.charCodeAt(at) === 0x2f && key.startsWith(deepest)) && key.indexOf('/', at === 0 ? 0 : at + 1) < 0) {
      placed.fresh = NONE;
      placed.freshParent = undefined;
      placed.parent = at === 0 ? undefined : deepest;
      placed.listed = key.length > (at === 0 ? 0 : at + 1) && open.length < this.maxDepth;
      return placed;
    }
    let fresh: string[] = NONE;
    let depth = 0;
    let from = 0;
    let diverged = false;
    let listed = false;
    for (;;) {
      const slash = key.indexOf('/', from);
      if (slash < 0) {
        // The last segment is the object's own name; empty means a zero-byte `folder/` marker.
        listed = from < key.length && depth < this.maxDepth;
        break;
      }
      if (slash === from) {
        // An empty segment (`a//b`, `/a`) adds no folder level.
        from = slash + 1;
        continue;
      }
      if (depth === this.maxDepth) break;
      if (!diverged) {
        const current = open[depth];
        if (current !== undefined && current.length === slash && key.startsWith(current)) {
          depth++;
          from = slash + 1;
          continue;
        }
        diverged = true;
        open.length = depth;
      }
      const path = key.slice(0, slash);
      open.push(path);
      if (fresh === NONE) fresh = [];
      fresh.push(path);
      depth++;
      from = slash + 1;
    }
    // A shallower key closes the deeper folders of the previous one.
    if (!diverged) open.length = depth;
    const freshDepth = depth - fresh.length;
    // One placement object per trail, refilled for each key: the caller reads it before the next key.
    placed.fresh = fresh;
    placed.freshParent = freshDepth > 0 ? open[freshDepth - 1] : undefined;
    placed.parent = depth > 0 ? open[depth - 1] : undefined;
    placed.listed = listed;
    return placed;
  }

  /** The full name of the folder `path` (undefined: the bucket), kept for the run of keys that share it. */
  parentFullName(path: string | undefined, bucket: BucketRef): string {
    if (path === undefined) return bucket.fullName;
    if (path !== this.cachedPath) {
      this.cachedPath = path;
      this.cachedFullName = pathFullName(bucket, path);
    }
    return this.cachedFullName;
  }

  /** The folders (within the max depth) that hold keys starting with `prefix`, outermost first. */
  static chainOf(prefix: string, maxDepth: number): string[] {
    return [...new FolderTrail(maxDepth).enter(`${prefix}x`).fresh];
  }
}

/**
 * An object `x` and a folder `x/` in the same place would both be named `x`. In S3's order the
 * object comes first, and the keys between it and the folder start with `x` followed by a
 * character below `/` (`x-1`, `x.csv`). A stack of such objects, one reader's view, tells when
 * a key opens the folder twin of an object already written: the object then stands for the
 * folder (its children hang under it) and the folder is not written.
 */
export class TwinGuard {
  private readonly candidates: string[] = [];

  /** Call with each key in listing order; returns the folder (if any) that an earlier object already holds the name of. */
  check(key: string): string | undefined {
    const stack = this.candidates;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (key.length > top.length && key.startsWith(top)) {
        const next = key.charCodeAt(top.length);
        if (next < 0x2f) return undefined;
        stack.pop();
        if (next === 0x2f) return top;
        continue;
      }
      stack.pop();
    }
    return undefined;
  }

  fileWritten(key: string): void {
    this.candidates.push(key);
  }

  /** Objects whose folder twin may still come. */
  pending(): readonly string[] {
    return this.candidates;
  }
}
