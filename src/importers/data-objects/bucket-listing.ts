import type { ListObjectsV2CommandOutput } from '@aws-sdk/client-s3';
import { ListObjectsV2Command, paginateListObjectsV2 } from '../../aws/sdk/s3.js';
import type { AwsReads } from '../../aws/reads.js';
import type { StreamSink } from '../../plugin-api/contract.js';
import type { DataObject } from '../../model/index.js';
import { FolderTrail, TwinGuard } from './folders.js';
import { compareKeys, KEY_MAX } from './key-order.js';
import { lastSegment } from '../../model/names.js';
import { bucketObject, pathObject, type BucketRef } from './records.js';

/** A reader lists this many pages before it may hand part of its range to new readers. */
const PAGES_BEFORE_SPLIT = 3;
/** How many folder levels one split may probe for siblings before it gives up. */
const SPLIT_PROBES = 3;
const PAGE_SIZE = 1000;

/**
 * Decides when a listing may split. Each reader has one call in flight (its next page, asked for
 * while it writes the current one), so `aws-concurrency` readers keep the AWS limit busy.
 * Buckets that still wait for their turn come first: starting one costs nothing extra, while a
 * split costs a delimiter call and up to one page of overlap per new reader.
 */
export class SplitBudget {
  private splitting = false;
  private alive = 0;
  private readonly target: number;

  constructor(
    concurrency: number,
    /** The pool that runs buckets; buckets still queued there get the idle slots first. */
    private readonly bucketPool: { readonly pendingCount: number },
  ) {
    this.target = concurrency;
  }

  readerStarted(): void {
    this.alive++;
  }

  readerEnded(): void {
    this.alive--;
  }

  /** How many more readers the run could use now. */
  spare(): number {
    if (this.splitting || this.bucketPool.pendingCount > 0) return 0;
    return this.target - this.alive;
  }

  /** One split at a time, so two readers do not both claim the same idle slots. */
  async exclusive<T>(body: () => Promise<T>): Promise<T> {
    this.splitting = true;
    try {
      return await body();
    } finally {
      this.splitting = false;
    }
  }
}

export interface ListingEnv {
  /** The sync's AWS call layer: its limit and abort signal. */
  reads: AwsReads;
  out: StreamSink<DataObject>;
  emulateFolders: boolean;
  maxFolderDepth: number;
  budget: SplitBudget;
}

/** Keys after `startAfter` up to and including `end` (both open when undefined). */
interface Range {
  startAfter?: string;
  end?: string;
  /** Folders already written above where this range starts. */
  trail: string[];
}

/**
 * Lists one bucket into data objects. One reader lists the bucket flat (no delimiter: a page
 * holds 1000 keys whatever the folder layout). When the run has idle capacity, a long reader
 * splits the rest of its range at the boundaries of the folders that follow its position (found
 * with one delimiter call), so a very large bucket is listed by several readers at once. The
 * ranges are disjoint and cut at folder boundaries, so no folder is written twice.
 */
export class BucketListing {
  private readonly running = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;
  private bucketWritten = false;
  /** Names an object and a folder may share across a split boundary, and those already written. */
  private readonly atRisk = new Set<string>();
  private readonly claimed = new Set<string>();

  constructor(
    private readonly env: ListingEnv,
    readonly bucket: BucketRef,
  ) {}

  /** Resolves when every reader is done; rejects with the first reader's error. */
  async run(): Promise<void> {
    this.start({ trail: [] });
    while (this.running.size > 0) await Promise.all([...this.running]);
    if (this.failure) throw this.failure.error;
  }

  /** True once S3 answered a page (the bucket is then written). */
  get started(): boolean {
    return this.bucketWritten;
  }

  /** Writes the bucket itself (once): on the first page, or when its objects cannot be listed. */
  async writeBucket(): Promise<void> {
    if (this.bucketWritten) return;
    this.bucketWritten = true;
    await this.env.out.write(bucketObject(this.bucket));
  }

  private start(range: Range): void {
    const budget = this.env.budget;
    budget.readerStarted();
    const reader = this.read(range)
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => {
        budget.readerEnded();
        this.running.delete(reader);
      });
    this.running.add(reader);
  }

  private async read(range: Range): Promise<void> {
    const { reads, emulateFolders, maxFolderDepth, budget } = this.env;
    const aws = reads.aws;
    const client = aws.s3(this.bucket.region);
    const pages = paginateListObjectsV2(
      { client, pageSize: PAGE_SIZE },
      { Bucket: this.bucket.name, StartAfter: range.startAfter },
      { abortSignal: reads.signal },
    )[Symbol.asyncIterator]();
    const trail = emulateFolders ? new FolderTrail(maxFolderDepth, range.trail) : undefined;
    const twins = new TwinGuard();
    let pagesSinceSplit = 0;
    let nextPage = aws.limit(() => pages.next());
    try {
      for (;;) {
        if (this.failure) return;
        reads.signal.throwIfAborted();
        const next = await nextPage;
        if (next.done) return;
        const page: ListObjectsV2CommandOutput = next.value;
        await this.writeBucket();
        const contents = page.Contents ?? [];
        // Keys past the end belong to another reader; usually the whole page is ours.
        const take = range.end === undefined ? contents.length : keysUpTo(contents, range.end);
        const more = take === contents.length && page.IsTruncated === true;
        // Ask for the following page before working through this one: the call is in flight while the CPU works.
        if (more) nextPage = aws.limit(() => pages.next());
        let last: string | undefined;
        for (let i = 0; i < take; i++) {
          const key = contents[i]!.Key;
          if (key === undefined) continue;
          const writing = this.emit(key, trail, twins);
          if (writing) await writing;
          last = key;
        }
        if (!more) return;
        // S3-compatible stores may answer a truncated page without keys: go on with its token.
        if (last === undefined) continue;
        const spare = ++pagesSinceSplit >= PAGES_BEFORE_SPLIT ? budget.spare() : 0;
        if (spare > 0) {
          const newEnd = await budget.exclusive(() => this.split(last, range.end, spare, twins));
          if (newEnd !== undefined) {
            range.end = newEnd;
            pagesSinceSplit = 0;
          }
        }
      }
    } finally {
      // A reader that stops early leaves its prefetched page unread; its failure has nobody to tell.
      nextPage.catch(() => undefined);
    }
  }

  /**
   * Writes what one key adds to the tree. Most keys add just their file: that path returns the
   * sink's promise directly, without an async frame of its own (this runs once per object).
   */
  private emit(key: string, trail: FolderTrail | undefined, twins: TwinGuard): Promise<void> | void {
    const out = this.env.out;
    if (!trail) {
      // Without folder emulation every object sits under its bucket with its whole key; `x/` markers are not objects of their own.
      return key.endsWith('/') ? undefined : out.write(pathObject(this.bucket, 'file', key, undefined, key));
    }
    const twin = twins.check(key);
    const placed = trail.enter(key);
    if (placed.fresh.length > 0) return this.emitWithFolders(key, trail, twins, placed.fresh, placed.freshParent, placed.parent, placed.listed, twin);
    return placed.listed ? this.emitFile(key, trail, twins, placed.parent) : undefined;
  }

  private async emitWithFolders(
    key: string,
    trail: FolderTrail,
    twins: TwinGuard,
    fresh: readonly string[],
    freshParent: string | undefined,
    fileParent: string | undefined,
    listed: boolean,
    twin: string | undefined,
  ): Promise<void> {
    let parent = freshParent;
    for (const folder of fresh) {
      if (folder !== twin && this.claim(folder)) await this.env.out.write(pathObject(this.bucket, 'folder', folder, parent));
      parent = folder;
    }
    if (listed) await this.emitFile(key, trail, twins, fileParent);
  }

  private emitFile(key: string, trail: FolderTrail, twins: TwinGuard, parent: string | undefined): Promise<void> | void {
    if (!this.claim(key)) return undefined;
    twins.fileWritten(key);
    const fullName = `${this.bucket.fullName}/${key}`;
    return this.env.out.write({ externalId: fullName, name: lastSegment(key), fullName, type: 'file', parentExternalId: trail.parentFullName(parent, this.bucket) });
  }

  /**
   * Names that an object and a folder could share across a split boundary (see TwinGuard) are
   * claimed here by whichever reader writes them first; every other name is free.
   */
  private claim(path: string): boolean {
    if (this.atRisk.size === 0 || !this.atRisk.has(path)) return true;
    if (this.claimed.has(path)) return false;
    this.claimed.add(path);
    return true;
  }

  /** Registers the names a new boundary before `folder` (with its slash) could split between an object and its folder twin. */
  private guardBoundary(level: string, folder: string): void {
    const name = folder.slice(0, -1);
    this.atRisk.add(name);
    for (let i = level.length + 1; i < name.length; i++) if (name.charCodeAt(i) < 0x2f) this.atRisk.add(name.slice(0, i));
  }

  /**
   * Shares the part of (lastKey, end] that lies in the folders after lastKey's own between this
   * reader and new ones.
   * Probes from the shallowest level that can hold such folders down to lastKey's own folder.
   * Returns the new end of the current reader, or undefined when nothing was split.
   */
  private async split(lastKey: string, end: string | undefined, spare: number, twins: TwinGuard): Promise<string | undefined> {
    const { reads, maxFolderDepth } = this.env;
    const aws = reads.aws;
    const levels = folderLevels(lastKey);
    // Folders beyond `end` belong to another reader: start at the deepest level holding both.
    let first = 0;
    if (end !== undefined) while (first + 1 < levels.length && end.startsWith(levels[first + 1]!)) first++;
    const client = aws.s3(this.bucket.region);
    for (let i = first; i < levels.length && i < first + SPLIT_PROBES; i++) {
      const level = levels[i]!;
      const rest = lastKey.slice(level.length);
      const slash = rest.indexOf('/');
      // Skip the rest of lastKey's own folder at this level: it stays with the current reader.
      const startAfter = slash < 0 ? lastKey : `${level}${rest.slice(0, slash + 1)}${KEY_MAX}`;
      const probe = await aws.limit(() =>
        client.send(new ListObjectsV2Command({ Bucket: this.bucket.name, Prefix: level || undefined, Delimiter: '/', StartAfter: startAfter, MaxKeys: PAGE_SIZE }), {
          abortSignal: reads.signal,
        }),
      );
      const folders = (probe.CommonPrefixes ?? [])
        .map((p) => p.Prefix)
        .filter((f): f is string => f !== undefined && f.endsWith('/'))
        .filter((f) => compareKeys(boundaryBefore(f), lastKey) > 0 && (end === undefined || compareKeys(boundaryBefore(f), end) < 0));
      if (folders.length === 0) continue;
      // The folders are shared out evenly, the current reader taking the first share when there
      // are enough of them: a reader that gave everything away would soon be idle and split again.
      const readers = Math.min(spare, folders.length);
      const shares = folders.length > readers ? readers + 1 : readers;
      const chosen = Array.from({ length: readers }, (_, r) => folders[Math.floor(((r + shares - readers) * folders.length) / shares)]!);
      // Objects this reader wrote whose folder twin may now land with another reader.
      for (const pending of twins.pending()) {
        this.atRisk.add(pending);
        this.claimed.add(pending);
      }
      for (const folder of chosen) this.guardBoundary(level, folder);
      const bounds = chosen.map(boundaryBefore);
      const trail = FolderTrail.chainOf(level, maxFolderDepth);
      bounds.forEach((startAfterBound, r) => this.start({ startAfter: startAfterBound, end: bounds[r + 1] ?? end, trail }));
      return bounds[0];
    }
    return undefined;
  }
}

/** How many of the page's keys (sorted) are at or before `end`. */
function keysUpTo(contents: readonly { Key?: string }[], end: string): number {
  let lo = 0;
  let hi = contents.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const key = contents[mid]!.Key;
    if (key !== undefined && compareKeys(key, end) > 0) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * A boundary just before the folder `prefix` (ending in `/`): every key of the folder sorts after
 * it and every key before the folder at or before it (`a/b/` -> `a/b.` + the highest code point).
 * Boundaries keep the order of their folders, which the folder names without slash would not
 * (`a/b-x/` < `a/b/`, but `a/b-x` > `a/b`).
 */
export function boundaryBefore(prefix: string): string {
  return `${prefix.slice(0, -1)}.${KEY_MAX}`;
}

/** The folder prefixes that hold `key`, outermost first, the bucket root ('') included: `a/b/c` -> ['', 'a/', 'a/b/']. */
export function folderLevels(key: string): string[] {
  const levels = [''];
  for (let at = key.indexOf('/'); at >= 0; at = key.indexOf('/', at + 1)) levels.push(key.slice(0, at + 1));
  return levels;
}
