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
  fresh: string[];
  /** The folder above the first fresh one (undefined: the bucket). */
  freshParent: string | undefined;
  /** The deepest folder of the key within the max depth (undefined: the bucket): the parent of the file. */
  parent: string | undefined;
  /** Whether the object itself is written as a file (within the depth, and not a `folder/` marker). */
  listed: boolean;
}

export class FolderTrail {
  private readonly open: string[];

  constructor(
    private readonly maxDepth: number,
    /** Folders already written by whoever listed the keys before this one (a split listing). */
    initial: readonly string[] = [],
  ) {
    this.open = initial.slice(0, maxDepth);
  }

  enter(key: string): Placement {
    const open = this.open;
    const fresh: string[] = [];
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
      fresh.push(path);
      depth++;
      from = slash + 1;
    }
    // A shallower key closes the deeper folders of the previous one.
    if (!diverged) open.length = depth;
    const freshDepth = depth - fresh.length;
    return {
      fresh,
      freshParent: freshDepth > 0 ? open[freshDepth - 1] : undefined,
      parent: depth > 0 ? open[depth - 1] : undefined,
      listed,
    };
  }

  /** The folders (within the max depth) that hold keys starting with `prefix`, outermost first. */
  static chainOf(prefix: string, maxDepth: number): string[] {
    return new FolderTrail(maxDepth).enter(`${prefix}x`).fresh;
  }
}
