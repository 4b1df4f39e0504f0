import { iamActionFor } from '../../aws/errors.js';
import type { GlobalPermission } from '../../model/index.js';
import type { S3PermissionCatalogue } from '../../policy/s3-permissions.js';

/** S3 API names (CloudTrail's eventName) whose IAM permission has another name, beyond those the AWS error module knows. */
const EVENT_PERMISSION: Record<string, string> = {
  CreateMultipartUpload: 's3:PutObject',
  UploadPart: 's3:PutObject',
  UploadPartCopy: 's3:PutObject',
  CompleteMultipartUpload: 's3:PutObject',
  CopyObject: 's3:PutObject',
  SelectObjectContent: 's3:GetObject',
  ListParts: 's3:ListMultipartUploadParts',
};

export interface UsagePermission {
  permission: string;
  /** `[permission]`, one array shared by every statement of this permission (records are never changed after they are made). */
  permissions: string[];
  globalPermission: GlobalPermission;
}

/**
 * The permission an S3 event used, as the metadata names it (`s3:GetObject` for GetObject and
 * HeadObject), with its global permission; undefined when the metadata does not know it.
 */
export class EventPermissions {
  private readonly cache = new Map<string, UsagePermission | null>();
  /** Event names without a known permission, with how often they were seen. */
  readonly unknown = new Map<string, number>();

  constructor(private readonly catalogue: S3PermissionCatalogue) {}

  of(eventName: string): UsagePermission | undefined {
    let found = this.cache.get(eventName);
    if (found === undefined) {
      const action = EVENT_PERMISSION[eventName] ?? iamActionFor('S3', eventName);
      const known = this.catalogue.get(action);
      found = known ? { permission: known.action, permissions: [known.action], globalPermission: known.globalPermission } : null;
      this.cache.set(eventName, found);
    }
    if (found === null) this.noteUnknown(eventName);
    return found ?? undefined;
  }

  /** Counts an event whose name has no permission (`of` does; so does the main thread for events a worker mapped). */
  noteUnknown(eventName: string, times = 1): void {
    this.unknown.set(eventName, (this.unknown.get(eventName) ?? 0) + times);
  }

  /** One line for the stream's warning, or undefined when every event name was known. */
  warning(): string | undefined {
    if (this.unknown.size === 0) return undefined;
    const total = [...this.unknown.values()].reduce((a, b) => a + b, 0);
    const names = [...this.unknown.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([name, count]) => `${name} (${count})`)
      .join(', ');
    return `${total} S3 event(s) were not reported as usage because their event name is not a permission the metadata knows: ${names}`;
  }
}
