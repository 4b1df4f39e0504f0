import { dataObjectFullName } from '../model/names.js';
import type { DataObjectType } from '../model/index.js';
import type { Glob } from './glob.js';
import { ArnPattern } from './resources.js';
import type { S3Permission } from './s3-permissions.js';

export interface KnownBucket {
  name: string;
  /** The bucket's real region. */
  region: string;
}

export interface KnownAccessPoint {
  name: string;
  arn: string;
  bucket: string;
  region: string;
  /** The account that owns the access point. */
  accountId: string;
}

/** The S3 resources of the account that policies are resolved against. */
export interface S3Index {
  accountId: string;
  /** `aws` unless the account lives in another partition (`aws-cn`, `aws-us-gov`). */
  partition?: string;
  buckets: ReadonlyMap<string, KnownBucket>;
  accessPoints?: readonly KnownAccessPoint[];
}

export interface DataObjectRef {
  fullName: string;
  type: DataObjectType;
}

/**
 * Which S3 actions a placement receives, by the IAM resource types an action applies to:
 * `any` (Resource `*`: every action), `resource` (every action that has a resource type),
 * `wildcard-only` (actions without a resource type, such as s3:ListAllMyBuckets), `bucket`, `object`, `accesspoint`, `accesspointobject`.
 */
export type ActionScope = 'any' | 'resource' | 'wildcard-only' | 'bucket' | 'object' | 'accesspoint' | 'accesspointobject';

export interface Placement {
  dataObject: DataObjectRef;
  scope: ActionScope;
}

/** Something a reader of the access provider must know about how a resource was mapped. */
export interface ResolutionNote {
  message: string;
  /** The mapping is not exact (wider than the grant, or part of it is not shown). */
  incomplete: boolean;
}

export interface Resolution {
  placements: Placement[];
  notes: ResolutionNote[];
}

/** Does an S3 action apply to resources of this scope? */
export function appliesTo(permission: S3Permission, scope: ActionScope): boolean {
  if (scope === 'any') return true;
  if (scope === 'resource') return permission.resourceTypes.length > 0;
  if (scope === 'wildcard-only') return permission.resourceTypes.length === 0;
  return permission.resourceTypes.includes(scope);
}

const NAMES_SHOWN = 5;

function nameList(names: string[]): string {
  const shown = names.slice(0, NAMES_SHOWN).join(', ');
  return names.length > NAMES_SHOWN ? `${shown} and ${names.length - NAMES_SHOWN} more` : shown;
}

/** A place in the S3 resource space: a bucket through its own ARNs, or through one of its access points. */
interface Space {
  bucket: string;
  header: string[];
  /** Resource segment of the bucket-level ARN (`acme-sales`, `accesspoint/reports`). */
  container: string;
  /** Resource segment every object ARN starts with (`acme-sales/`, `accesspoint/reports/object/`). */
  objectPrefix: string;
  containerScope: ActionScope;
  objectScope: ActionScope;
  /** How notes name it: `bucket acme-sales`, `access point reports`. */
  label: string;
}

interface ObjectScope {
  type: 'bucket' | 'folder' | 'file';
  /** Key or folder path inside the bucket; empty for the bucket. */
  path: string;
  exact: boolean;
}

/**
 * A folder by its path. Full names drop trailing slashes, so `a/` (keys `a//...`) can only be
 * shown as folder `a`, which is wider; a path of only slashes has no folder of its own: the bucket.
 */
function folderScope(path: string, exact: boolean): ObjectScope {
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return { type: 'bucket', path: '', exact: false };
  return { type: 'folder', path: trimmed, exact: exact && trimmed === path };
}

/** The deepest folder that holds every key starting with `keyPrefix`. */
function folderOf(keyPrefix: string): ObjectScope {
  const slash = keyPrefix.lastIndexOf('/');
  return slash <= 0 ? { type: 'bucket', path: '', exact: false } : folderScope(keyPrefix.slice(0, slash), false);
}

/** Which objects of a space the pattern's resource segment names, as one data object. */
function objectScopeOf(resource: Glob, prefix: string): ObjectScope | undefined {
  if (!resource.matchesSomeStartingWith(prefix)) return undefined;
  const forced = resource.forcedContinuation(prefix) ?? '';
  if (resource.coversAllStartingWith(prefix + forced)) {
    if (forced === '') return { type: 'bucket', path: '', exact: true };
    if (forced.endsWith('/')) return folderScope(forced.slice(0, -1), true);
    return folderOf(forced);
  }
  const single = resource.singleMatchStartingWith(prefix);
  if (single !== undefined && single !== '') {
    // `reports/` names the folder marker object only; the folder is the closest data object.
    if (single.endsWith('/')) return folderScope(single.slice(0, -1), false);
    return { type: 'file', path: single, exact: true };
  }
  return folderOf(forced);
}

/** Leading stars, one `/`, then only stars: `*` + `/` + `*`, i.e. every object of every bucket. */
function everyObjectOfEveryBucket(source: string): boolean {
  return /^\*+\/\*+$/.test(source);
}

/**
 * Maps `Resource` ARN patterns to data objects: `*` and `arn:aws:s3:::*` to the datasource, a
 * bucket ARN and `bucket/*` to the bucket, `bucket/prefix/*` to the folder, `bucket/key` to the
 * file; a wildcard in the middle to the deepest data object that covers every match (with a note).
 * Access point ARNs map to the access point's bucket and folders.
 *
 * Unknown buckets: an ARN of a bucket that is not in the account's bucket index is not mapped to
 * a data object (there is none to point at: it may be another account's bucket or one the
 * connector cannot list); it becomes a note that names it, and the access provider is incomplete.
 */
export class S3Resolver {
  readonly index: S3Index;
  private readonly partition: string;
  private readonly bucketHeader: string[];
  private readonly spacesByBucket = new Map<string, Space[]>();
  private readonly accessPointSpaces: Space[] = [];
  private readonly cache = new Map<string, Resolution>();

  constructor(index: S3Index) {
    this.index = index;
    this.partition = index.partition ?? 'aws';
    this.bucketHeader = ['arn', this.partition, 's3', '', ''];
    for (const bucket of index.buckets.values()) {
      this.spacesByBucket.set(bucket.name, [
        {
          bucket: bucket.name,
          header: this.bucketHeader,
          container: bucket.name,
          objectPrefix: `${bucket.name}/`,
          containerScope: 'bucket',
          objectScope: 'object',
          label: `bucket ${bucket.name}`,
        },
      ]);
    }
    for (const ap of index.accessPoints ?? []) {
      this.accessPointSpaces.push({
        bucket: ap.bucket,
        header: ['arn', this.partition, 's3', ap.region, ap.accountId],
        container: `accesspoint/${ap.name}`,
        objectPrefix: `accesspoint/${ap.name}/object/`,
        containerScope: 'accesspoint',
        objectScope: 'accesspointobject',
        label: `access point ${ap.name}`,
      });
    }
  }

  get datasource(): DataObjectRef {
    return { fullName: this.index.accountId, type: 'datasource' };
  }

  /** The data object of a bucket, folder or file of a known bucket. */
  dataObject(bucket: string, type: 'bucket' | 'folder' | 'file', path = ''): DataObjectRef | undefined {
    const known = this.index.buckets.get(bucket);
    if (!known) return undefined;
    return { fullName: dataObjectFullName(this.index.accountId, known.region, bucket, type === 'bucket' ? undefined : path), type };
  }

  /** Where one `Resource` pattern lands. */
  resolve(source: string): Resolution {
    let resolution = this.cache.get(source);
    if (!resolution) {
      resolution = this.compute(new ArnPattern(source));
      // The cache only saves work when patterns repeat; keep it from growing with the account.
      if (this.cache.size > 50_000) this.cache.clear();
      this.cache.set(source, resolution);
    }
    return resolution;
  }

  private compute(pattern: ArnPattern): Resolution {
    const placements: Placement[] = [];
    const notes: ResolutionNote[] = [];
    if (pattern.all) return { placements: [{ dataObject: this.datasource, scope: 'any' }], notes };
    if (!pattern.valid || !pattern.resource) return { placements, notes: [{ message: `${pattern.source} is not an ARN and matches nothing`, incomplete: false }] };
    const resource = pattern.resource;
    for (const variable of pattern.variables) {
      notes.push({ message: `${pattern.source} uses the policy variable \${${variable}}, which depends on the request; it is read as *`, incomplete: true });
    }

    if (pattern.headerMatches(this.bucketHeader)) {
      if (resource.isMatchAll) {
        const scopes: ActionScope[] = pattern.header?.[3]?.isMatchAll && pattern.header[4]?.isMatchAll ? ['resource'] : ['bucket', 'object'];
        for (const scope of scopes) placements.push({ dataObject: this.datasource, scope });
        return { placements, notes };
      }
      if (everyObjectOfEveryBucket(resource.source)) {
        placements.push({ dataObject: this.datasource, scope: 'object' });
        return { placements, notes };
      }
      this.resolveInBuckets(pattern, resource, placements, notes);
    }
    if (this.accessPointSpaces.length > 0 && resource.matchesSomeStartingWith('accesspoint/')) {
      this.resolveInAccessPoints(pattern, resource, placements, notes);
    }
    return { placements, notes };
  }

  private resolveInBuckets(pattern: ArnPattern, resource: Glob, placements: Placement[], notes: ResolutionNote[]): void {
    // A bucket name written out in full lets us look at that one bucket only.
    const forced = resource.forcedContinuation('') ?? '';
    const literalBucket = forced.includes('/') ? forced.slice(0, forced.indexOf('/')) : resource.isLiteral ? resource.source : undefined;
    if (literalBucket !== undefined && !this.index.buckets.has(literalBucket)) {
      // `arn:aws:s3:*:*:accesspoint/...` also fits the bucket header; it names access points, not a bucket.
      if (literalBucket === 'accesspoint' && pattern.header?.[3]?.source !== '') return;
      notes.push({ message: `${pattern.source} names bucket ${literalBucket}, which is not in this account's bucket list; its permissions are not shown`, incomplete: true });
      return;
    }
    const candidates = literalBucket !== undefined ? [literalBucket] : [...this.index.buckets.keys()];
    const matched: string[] = [];
    for (const bucket of candidates) {
      for (const space of this.spacesByBucket.get(bucket) ?? []) {
        if (this.place(pattern, resource, space, placements, notes)) matched.push(bucket);
      }
    }
    if (literalBucket !== undefined) return;
    if (matched.length === 0) {
      notes.push({ message: `${pattern.source} matches no bucket of this account; its permissions are not shown`, incomplete: true });
    } else {
      notes.push({
        message: `${pattern.source} matches ${matched.length === 1 ? 'bucket' : `${matched.length} buckets:`} ${nameList(matched)}; it also covers buckets with matching names created later`,
        incomplete: false,
      });
    }
  }

  private resolveInAccessPoints(pattern: ArnPattern, resource: Glob, placements: Placement[], notes: ResolutionNote[]): void {
    for (const space of this.accessPointSpaces) {
      if (!pattern.headerMatches(space.header)) continue;
      if (!this.index.buckets.has(space.bucket)) {
        if (resource.matchesSomeStartingWith(space.container)) {
          notes.push({ message: `${pattern.source} names ${space.label}, whose bucket ${space.bucket} is not in this account's bucket list; its permissions are not shown`, incomplete: true });
        }
        continue;
      }
      this.place(pattern, resource, space, placements, notes);
    }
  }

  /** Places the pattern in one space; true when it matched the bucket-level ARN or some object. */
  private place(pattern: ArnPattern, resource: Glob, space: Space, placements: Placement[], notes: ResolutionNote[]): boolean {
    let matched = false;
    if (resource.matches(space.container)) {
      const bucket = this.dataObject(space.bucket, 'bucket');
      if (bucket) placements.push({ dataObject: bucket, scope: space.containerScope });
      matched = true;
    }
    const scope = objectScopeOf(resource, space.objectPrefix);
    if (scope) {
      const dataObject = this.dataObject(space.bucket, scope.type, scope.path);
      if (dataObject) {
        placements.push({ dataObject, scope: space.objectScope });
        if (!scope.exact && pattern.variables.length === 0) {
          const shownAs = scope.type === 'bucket' ? `bucket ${space.bucket}` : `${scope.type} ${scope.path} of bucket ${space.bucket}`;
          notes.push({ message: `${pattern.source} is shown as ${shownAs}, the deepest data object that covers every match; the grant is narrower`, incomplete: true });
        }
      }
      matched = true;
    }
    return matched;
  }

  /**
   * Where a `NotResource` list leaves room: every bucket-level ARN and object that no pattern
   * matches. Buckets that no pattern touches at all collapse to the datasource.
   */
  resolveNot(sources: readonly string[]): Resolution {
    const patterns = sources.map((s) => new ArnPattern(s));
    const notes: ResolutionNote[] = [];
    if (patterns.some((p) => p.all)) return { placements: [], notes };
    const placements: Placement[] = [];
    const bucketPatterns = patterns.filter((p) => p.headerMatches(this.bucketHeader) && p.resource);
    const perBucket: Placement[] = [];
    let untouched = true;
    for (const bucket of this.index.buckets.values()) {
      const bucketRef = this.dataObject(bucket.name, 'bucket') as DataObjectRef;
      const bucketExcluded = bucketPatterns.some((p) => p.resource?.matches(bucket.name));
      const objectsExcluded = bucketPatterns.filter((p) => p.resource?.matchesSomeStartingWith(`${bucket.name}/`));
      if (bucketExcluded || objectsExcluded.length > 0) untouched = false;
      if (!bucketExcluded) perBucket.push({ dataObject: bucketRef, scope: 'bucket' });
      if (objectsExcluded.length === 0) perBucket.push({ dataObject: bucketRef, scope: 'object' });
      else if (!objectsExcluded.some((p) => p.resource?.coversAllStartingWith(`${bucket.name}/`))) {
        perBucket.push({ dataObject: bucketRef, scope: 'object' });
        notes.push({
          message: `NotResource ${nameList(objectsExcluded.map((p) => p.source))} leaves out part of bucket ${bucket.name}; the grant on the bucket is shown whole`,
          incomplete: true,
        });
      }
    }
    // Nothing in S3 is excluded: the statement reaches every S3 resource, as `*` would.
    if (untouched && bucketPatterns.length === 0) return { placements: [{ dataObject: this.datasource, scope: 'any' }], notes };
    // Actions without a resource type are requested on `*`, which only a `*` pattern excludes.
    placements.push({ dataObject: this.datasource, scope: 'wildcard-only' }, ...perBucket);
    return { placements, notes };
  }
}
