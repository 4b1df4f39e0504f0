import { dataObjectFullName } from '../model/names.js';
import type { DataObjectType } from '../model/index.js';
import { complementKeys, coverBucket, patternKeys, type Coverage, type KeySet, type PartCovered } from './coverage.js';
import type { Glob } from './glob.js';
import { emptyFolder, type KnownFolder, type KnownTree } from './known-tree.js';
import { ArnPattern } from './resources.js';
import type { S3Permission, S3ResourceType } from './s3-permissions.js';

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
  /** The data objects known in this run; a bucket that is not in it counts as one whose content is unknown. */
  tree?: KnownTree;
  /** S3's IAM resource types with their ARN formats (from the action catalogue). */
  resourceTypes?: readonly S3ResourceType[];
}

export interface DataObjectRef {
  fullName: string;
  type: DataObjectType;
}

/**
 * Which S3 actions a placement receives, by the IAM resource types an action applies to:
 * `any` (Resource `*`: every action), `resource` (every action that has a resource type),
 * `wildcard-only` (actions without a resource type, such as s3:ListAllMyBuckets), `bucket`, `object`, `accesspoint`, `accesspointobject`,
 * `types` (actions on one of the `resourceTypes` of the placement: jobs, Storage Lens, Access Grants, ... placed on the account).
 */
export type ActionScope = 'any' | 'resource' | 'wildcard-only' | 'bucket' | 'object' | 'accesspoint' | 'accesspointobject' | 'types';

export interface Placement {
  dataObject: DataObjectRef;
  scope: ActionScope;
  /** For scope `types`: the resource types. */
  resourceTypes?: readonly string[];
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
export function appliesTo(permission: S3Permission, scope: ActionScope, resourceTypes: readonly string[] = []): boolean {
  if (scope === 'any') return true;
  // Actions that also act on buckets or objects are placed with those, never widened to the account.
  if (scope === 'types') return permission.resourceTypes.some((t) => resourceTypes.includes(t)) && !permission.resourceTypes.some((t) => OBJECT_TYPES.includes(t));
  if (scope === 'resource') return permission.resourceTypes.length > 0;
  if (scope === 'wildcard-only') return permission.resourceTypes.length === 0;
  return permission.resourceTypes.includes(scope);
}

/** Resource types whose resources are data objects (buckets and objects, directly or through an access point). */
const DATA_TYPES: readonly string[] = ['bucket', 'object', 'accesspoint', 'accesspointobject'];

/** Resource types of buckets and objects themselves. */
const OBJECT_TYPES: readonly string[] = ['bucket', 'object', 'accesspointobject'];

/** Formats of the data types, used when no catalogue is given. */
const DATA_TYPE_FORMATS: readonly S3ResourceType[] = [
  { name: 'bucket', arn: 'arn:${Partition}:s3:::${BucketName}' },
  { name: 'object', arn: 'arn:${Partition}:s3:::${BucketName}/${ObjectName}' },
  { name: 'accesspoint', arn: 'arn:${Partition}:s3:${Region}:${Account}:accesspoint/${AccessPointName}' },
  { name: 'accesspointobject', arn: 'arn:${Partition}:s3:${Region}:${Account}:accesspoint/${AccessPointName}/object/${ObjectName}' },
];

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

/** Leading stars, one `/`, then only stars: `*` + `/` + `*`, i.e. every object of every bucket. */
function everyObjectOfEveryBucket(source: string): boolean {
  return /^\*+\/\*+$/.test(source);
}

/** One segment of a resource type's ARN format against a pattern's segment: does some ARN of the type fit it / do all? */
function segmentFits(glob: Glob, format: string, value: string, all: boolean): boolean {
  if (format === '${Partition}' || format === '${Account}') return glob.matches(value);
  if (/^\$\{[^}]+\}$/.test(format)) return all ? glob.isMatchAll : glob.source !== '';
  return glob.matches(format);
}

/** The part of a format's resource segment before its first placeholder (`job/`, `storage-lens/`). */
function literalStart(resource: string): string {
  const at = resource.indexOf('${');
  return at < 0 ? resource : resource.slice(0, at);
}

/** Where a pattern sits in a bucket: `folder reports of bucket acme-sales`. */
function objectLabel(bucket: string, object: { type: string; path: string }): string {
  return object.type === 'bucket' ? `bucket ${bucket}` : `${object.type} ${object.path} of bucket ${bucket}`;
}

function partlyLabel(bucket: string, part: PartCovered): string {
  const label = objectLabel(bucket, part);
  if (part.why === 'marker') return `${label} (only its folder marker object ${part.path}/)`;
  if (part.why === 'twin') return `${label} (an object and a folder of the same name, matched in part)`;
  return label;
}

/**
 * Maps `Resource` ARN patterns to data objects, exactly on the data objects known in this run: a
 * pattern lands on every known data object whose keys it covers entirely, at the highest such
 * level (the bucket, a folder, a file). A known data object that it covers only in part, where
 * nothing known below it says which part (a folder cut by the max depth, a bucket not listed, a
 * folder marker object), gets nothing and a note naming it: grants are never shown wider than
 * AWS gives them, and denies never wider than AWS applies them. `*` and `arn:aws:s3:::*` land on
 * the datasource. Access point ARNs map to the access point's bucket and its data objects.
 * Actions on S3 resources that are no data objects (jobs, Storage Lens, Access Grants,
 * multi-region and Object Lambda access points) land on the datasource when the pattern can
 * match such a resource, segment by segment (a wildcard never widens the service or partition).
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
  private readonly otherTypes: readonly S3ResourceType[];
  private readonly dataTypes: readonly S3ResourceType[];
  private readonly cache = new Map<string, Resolution>();

  constructor(index: S3Index) {
    this.index = index;
    this.partition = index.partition ?? 'aws';
    this.bucketHeader = ['arn', this.partition, 's3', '', ''];
    const types = index.resourceTypes ?? DATA_TYPE_FORMATS;
    this.dataTypes = types.filter((t) => DATA_TYPES.includes(t.name));
    this.otherTypes = types.filter((t) => !DATA_TYPES.includes(t.name));
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

  /** The known content of a bucket; a bucket the tree does not hold is one whose content is unknown. */
  private treeOf(bucket: string): KnownFolder {
    if (this.index.tree?.allUnknown) return UNKNOWN_BUCKET;
    return this.index.tree?.buckets.get(bucket) ?? UNKNOWN_BUCKET;
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

  /** Can the pattern match some ARN of this type (every ARN of it, with `all`)? Segment by segment, as AWS matches. */
  private typeFits(pattern: ArnPattern, type: S3ResourceType, all: boolean): boolean {
    if (pattern.all) return true;
    if (!pattern.header || !pattern.resource) return false;
    const format = this.formatOf(type);
    if (!format) return false;
    if (!this.headerFits(pattern, type, format, all)) return false;
    return all ? pattern.resource.coversAllStartingWith(format.start) : pattern.resource.matchesSomeStartingWith(format.start);
  }

  private readonly formats = new Map<string, { segments: string[]; start: string } | undefined>();
  /** Header text -> type name -> does the header fit it, for some ARN of the type and for all of them. */
  private readonly headerMemo = new Map<string, { some: Map<string, boolean>; all: Map<string, boolean> }>();

  private formatOf(type: S3ResourceType): { segments: string[]; start: string } | undefined {
    if (!this.formats.has(type.name)) {
      const parts = type.arn.split(':');
      this.formats.set(type.name, parts.length < 6 ? undefined : { segments: parts.slice(0, 5), start: literalStart(parts.slice(5).join(':')) });
    }
    return this.formats.get(type.name);
  }

  /** The first five segments fit the type's format; patterns share a few headers, so the answer is kept per header. */
  private headerFits(pattern: ArnPattern, type: S3ResourceType, format: { segments: string[] }, all: boolean): boolean {
    const header = pattern.header as readonly Glob[];
    const text = pattern.headerText as string;
    let known = this.headerMemo.get(text);
    if (!known) {
      known = { some: new Map(), all: new Map() };
      if (this.headerMemo.size < 10_000) this.headerMemo.set(text, known);
    }
    const byType = all ? known.all : known.some;
    let fits = byType.get(type.name);
    if (fits === undefined) {
      const values = ['arn', this.partition, format.segments[2] as string, '', this.index.accountId];
      fits = format.segments.every((segment, i) => segmentFits(header[i] as Glob, segment, segment === '${Partition}' || segment === '${Account}' ? (values[i] as string) : segment, all));
      byType.set(type.name, fits);
    }
    return fits;
  }

  /** The account-level placement of actions on the non-data resource types a pattern can match. */
  private otherTypesPlacement(patterns: readonly ArnPattern[], negated: boolean, notes: ResolutionNote[]): Placement | undefined {
    const types: string[] = [];
    // Under NotResource, actions on access points themselves (their policy, their configuration) also go to the account, as under `*`.
    const candidates = negated ? [...this.dataTypes.filter((t) => t.name === 'accesspoint'), ...this.otherTypes] : this.otherTypes;
    for (const type of candidates) {
      if (!negated) {
        if (patterns.some((p) => this.typeFits(p, type, false))) types.push(type.name);
        continue;
      }
      // NotResource leaves room for the type unless a pattern excludes all of it.
      if (patterns.some((p) => this.typeFits(p, type, true))) continue;
      types.push(type.name);
      const some = patterns.filter((p) => this.typeFits(p, type, false));
      if (some.length > 0) {
        notes.push({ message: `NotResource ${nameList(some.map((p) => p.source))} leaves out some ${type.name} resources; actions on the others are shown on the account`, incomplete: true });
      }
    }
    return types.length > 0 ? { dataObject: this.datasource, scope: 'types', resourceTypes: types } : undefined;
  }

  private compute(pattern: ArnPattern): Resolution {
    const placements: Placement[] = [];
    const notes: ResolutionNote[] = [];
    if (pattern.all) return { placements: [{ dataObject: this.datasource, scope: 'any' }], notes };
    if (!pattern.valid || !pattern.resource) return { placements, notes: [{ message: `${pattern.source} is not an ARN and matches nothing`, incomplete: false }] };
    const resource = pattern.resource;
    const others = this.otherTypesPlacement([pattern], false, notes);
    if (others) placements.push(others);

    // Every bucket and object (and access point) the pattern can name: the account, for those scopes.
    const everyData = this.dataTypes.filter((t) => this.typeFits(pattern, t, true));
    const wholeS3 = everyData.some((t) => t.name === 'bucket' || t.name === 'object');
    if (wholeS3) {
      for (const t of everyData) placements.push({ dataObject: this.datasource, scope: t.name as ActionScope });
      if (everyData.length === this.dataTypes.length) return { placements, notes };
    }
    if (pattern.variables.length > 0) {
      this.variableNote(pattern, notes);
      return { placements, notes };
    }
    if (!wholeS3 && pattern.headerMatches(this.bucketHeader)) {
      if (everyObjectOfEveryBucket(resource.source)) placements.push({ dataObject: this.datasource, scope: 'object' });
      else this.resolveInBuckets(pattern, resource, placements, notes);
    }
    if (this.accessPointSpaces.length > 0 && !wholeS3 && resource.matchesSomeStartingWith('accesspoint/')) {
      this.resolveInAccessPoints(pattern, resource, placements, notes);
    }
    return { placements, notes };
  }

  /**
   * A policy variable (`${aws:username}`) takes a value per request: no data object is covered
   * for every request, so nothing is placed; the note names where the pattern reaches.
   */
  private variableNote(pattern: ArnPattern, notes: ResolutionNote[]): void {
    const resource = pattern.resource as Glob;
    const forced = resource.forcedContinuation('') ?? '';
    const slash = forced.indexOf('/');
    const bucket = slash > 0 ? forced.slice(0, slash) : undefined;
    const lastSlash = forced.lastIndexOf('/');
    const where = bucket ? (lastSlash > slash ? `folder ${forced.slice(slash + 1, lastSlash)} of bucket ${bucket}` : `bucket ${bucket}`) : 'several buckets';
    notes.push({
      message: `${pattern.source} uses the policy variable \${${pattern.variables.join('}, ${')}}, which takes its value from each request; its permissions within ${where} are not shown`,
      incomplete: true,
    });
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
    const keys = patternKeys(resource);
    for (const bucket of candidates) {
      for (const space of this.spacesByBucket.get(bucket) ?? []) {
        if (this.place(pattern, resource, keys, space, placements, notes)) matched.push(bucket);
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
    const keys = patternKeys(resource);
    for (const space of this.accessPointSpaces) {
      if (!pattern.headerMatches(space.header)) continue;
      if (!this.index.buckets.has(space.bucket)) {
        if (resource.matchesSomeStartingWith(space.container)) {
          notes.push({ message: `${pattern.source} names ${space.label}, whose bucket ${space.bucket} is not in this account's bucket list; its permissions are not shown`, incomplete: true });
        }
        continue;
      }
      this.place(pattern, resource, keys, space, placements, notes);
    }
  }

  /** Turns a walk over one space's known objects into placements and notes. */
  private placeCoverage(source: string, space: Space, coverage: Coverage, scope: ActionScope, placements: Placement[], notes: ResolutionNote[], what = source): void {
    for (const object of coverage.covered) {
      const dataObject = this.dataObject(space.bucket, object.type, object.path);
      if (dataObject) placements.push({ dataObject, scope });
    }
    if (coverage.partly.length > 0) {
      const via = space.containerScope === 'accesspoint' ? ` (through ${space.label})` : '';
      notes.push({
        message: `${what} covers only part of ${nameList(coverage.partly.map((p) => partlyLabel(space.bucket, p)))}${via}, whose keys are not all known as data objects; no permissions are shown there`,
        incomplete: true,
      });
    }
  }

  /** Places the pattern in one space; true when it matched the bucket-level ARN or some object. */
  private place(pattern: ArnPattern, resource: Glob, keys: KeySet, space: Space, placements: Placement[], notes: ResolutionNote[]): boolean {
    let matched = false;
    if (resource.matches(space.container)) {
      const bucket = this.dataObject(space.bucket, 'bucket');
      if (bucket) placements.push({ dataObject: bucket, scope: space.containerScope });
      matched = true;
    }
    if (resource.matchesSomeStartingWith(space.objectPrefix)) {
      this.placeCoverage(pattern.source, space, coverBucket(keys, this.treeOf(space.bucket), space.objectPrefix), space.objectScope, placements, notes);
      matched = true;
    }
    return matched;
  }

  /**
   * Where a `NotResource` list leaves room: every bucket-level ARN and every known data object
   * that no pattern matches (a bucket no pattern touches stays whole), the account for actions
   * on the other S3 resource types the patterns do not exclude, and for actions without a
   * resource type. Buckets that no pattern touches at all collapse to the datasource.
   */
  resolveNot(sources: readonly string[]): Resolution {
    const patterns = sources.map((s) => new ArnPattern(s));
    const notes: ResolutionNote[] = [];
    if (patterns.some((p) => p.all)) return { placements: [], notes };
    const placements: Placement[] = [];
    const bucketPatterns = patterns.filter((p) => p.headerMatches(this.bucketHeader) && p.resource);
    const variables = patterns.filter((p) => p.variables.length > 0);
    if (variables.length > 0) {
      // What a variable excludes depends on the request: no data object is outside it for every request.
      notes.push({ message: `NotResource ${nameList(variables.map((p) => p.source))} uses a policy variable, which takes its value from each request; the buckets it may leave out are not shown`, incomplete: true });
    }
    const globs = bucketPatterns.map((p) => p.resource as Glob);
    const keys = complementKeys(globs);
    const perBucket: Placement[] = [];
    let untouched = true;
    for (const bucket of this.index.buckets.values()) {
      const space = (this.spacesByBucket.get(bucket.name) as Space[])[0] as Space;
      const bucketRef = this.dataObject(bucket.name, 'bucket') as DataObjectRef;
      const variableHere = variables.some((p) => p.headerMatches(this.bucketHeader) && p.resource?.matchesSomeStartingWith(bucket.name));
      const bucketExcluded = globs.some((g) => g.matches(bucket.name));
      const objectsTouched = globs.some((g) => g.matchesSomeStartingWith(`${bucket.name}/`));
      if (bucketExcluded || objectsTouched) untouched = false;
      if (variableHere) continue;
      if (!bucketExcluded) perBucket.push({ dataObject: bucketRef, scope: 'bucket' });
      if (!objectsTouched) perBucket.push({ dataObject: bucketRef, scope: 'object' });
      else this.placeCoverage('', space, coverBucket(keys, this.treeOf(bucket.name), space.objectPrefix), 'object', perBucket, notes, `NotResource ${nameList(sources.filter((s) => bucketPatterns.some((p) => p.source === s)))} leaves room for what it does not exclude, which`);
    }
    const others = this.otherTypesPlacement(patterns, true, notes);
    const accessPointsUntouched = !patterns.some((p) => this.dataTypes.some((t) => (t.name === 'accesspoint' || t.name === 'accesspointobject') && this.typeFits(p, t, false)));
    // Nothing in S3 is excluded: the statement reaches every S3 resource, as `*` would.
    if (untouched && bucketPatterns.length === 0 && accessPointsUntouched && variables.length === 0 && others?.resourceTypes?.length === this.otherTypes.length + 1) {
      return { placements: [{ dataObject: this.datasource, scope: 'any' }], notes };
    }
    // Actions without a resource type are requested on `*`, which only a `*` pattern excludes.
    placements.push({ dataObject: this.datasource, scope: 'wildcard-only' });
    if (others) placements.push(others);
    placements.push(...perBucket);
    return { placements, notes };
  }
}

/** A bucket whose content is not known: nothing below it can be shown, only the bucket as a whole. */
const UNKNOWN_BUCKET: KnownFolder = emptyFolder(true);
