import type { DataObject, Tag } from '../../model/index.js';
import { dataObjectFullName, lastSegment } from '../../model/names.js';

/** A bucket as data objects refer to it: its name, real region and full name. */
export interface BucketRef {
  account: string;
  name: string;
  region: string;
  fullName: string;
}

export function bucketRef(account: string, name: string, region: string): BucketRef {
  return { account, name, region, fullName: dataObjectFullName(account, region, name) };
}

/** The account itself: the root of the tree. */
export function datasourceObject(account: string): DataObject {
  return { externalId: account, name: account, fullName: dataObjectFullName(account), type: 'datasource' };
}

export function bucketObject(bucket: BucketRef, tags?: Tag[]): DataObject {
  const record: DataObject = {
    externalId: bucket.fullName,
    name: bucket.name,
    fullName: bucket.fullName,
    type: 'bucket',
    parentExternalId: bucket.account,
  };
  if (tags && tags.length > 0) record.tags = tags;
  return record;
}

/** The full name of a path in a bucket (also the external id of what sits there). */
export function pathFullName(bucket: BucketRef, path: string): string {
  // The common case (no trailing slash) is a plain concatenation: this runs once per object.
  return path.length > 0 && !path.endsWith('/') ? `${bucket.fullName}/${path}` : dataObjectFullName(bucket.account, bucket.region, bucket.name, path);
}

/**
 * A folder, file or Glue table at `path` in the bucket, under the folder `parentPath`
 * (undefined: directly under the bucket). `name` defaults to the last path segment.
 */
export function pathObject(
  bucket: BucketRef,
  type: 'folder' | 'file' | 'glue-table',
  path: string,
  parentPath: string | undefined,
  name: string = lastSegment(path),
): DataObject {
  const fullName = pathFullName(bucket, path);
  return {
    externalId: fullName,
    name: name || path,
    fullName,
    type,
    parentExternalId: parentPath === undefined ? bucket.fullName : pathFullName(bucket, parentPath),
  };
}
