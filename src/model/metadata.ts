import { z } from 'zod';
import { GlobalPermission } from './common.js';

export const PermissionInfo = z.object({
  permission: z.string().min(1),
  globalPermission: GlobalPermission,
  description: z.string(),
});
export type PermissionInfo = z.infer<typeof PermissionInfo>;

export const DataObjectTypeInfo = z.object({
  name: z.string().min(1),
  label: z.string(),
  permissions: z.array(PermissionInfo),
  children: z.array(z.string()),
});
export type DataObjectTypeInfo = z.infer<typeof DataObjectTypeInfo>;

export const AccessProviderTypeInfo = z.object({
  type: z.string().min(1),
  label: z.string(),
  /** Whether the cloud may create new ones of this type (export). */
  canBeCreated: z.boolean(),
  /** Whether existing ones may be taken over and managed by the cloud. */
  canBeInternalized: z.boolean(),
  isNamedEntity: z.boolean(),
  whoAccessProviderTypes: z.array(z.string()).optional(),
  /** The identity store type whose users and groups fill the who (e.g. `aws-organization` for permission sets); the data source's own when absent. */
  identityStoreTypeForWho: z.string().optional(),
});
export type AccessProviderTypeInfo = z.infer<typeof AccessProviderTypeInfo>;

/** One document per run: what a data source of this connector looks like. */
export const DataSourceMetadata = z.object({
  type: z.string().min(1),
  dataObjectTypes: z.array(DataObjectTypeInfo),
  accessProviderTypes: z.array(AccessProviderTypeInfo),
  usageLevels: z.array(z.string()),
  /** For identity store connectors: whether the store can be linked to data sources and be their master identity store. */
  identityStore: z.object({ canBeLinked: z.boolean(), canBeMasterIdentityStore: z.boolean() }).optional(),
});
export type DataSourceMetadata = z.infer<typeof DataSourceMetadata>;
