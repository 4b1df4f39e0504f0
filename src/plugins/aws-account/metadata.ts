import type { AccessProviderTypeInfo, DataObjectType, DataObjectTypeInfo, DataSourceMetadata } from '../../model/index.js';
import { loadS3Permissions } from '../../policy/s3-permissions.js';

/** The data object tree: each type with its label and the types that can sit under it. */
const dataObjectTypes: { name: DataObjectType; label: string; children: DataObjectType[] }[] = [
  { name: 'datasource', label: 'AWS account', children: ['bucket'] },
  { name: 'bucket', label: 'S3 bucket', children: ['folder', 'file', 'glue-table'] },
  { name: 'folder', label: 'Folder', children: ['folder', 'file', 'glue-table'] },
  { name: 'file', label: 'File', children: [] },
  { name: 'glue-table', label: 'Glue table', children: ['column'] },
  { name: 'column', label: 'Column', children: [] },
];

/** The access provider types the exporter writes into AWS (the others are only imported). */
const exportableTypes: ReadonlySet<string> = new Set(['aws_role', 'aws_policy', 'aws_access_point', 'aws_sso_role']);

/**
 * What can grant access in an AWS account. Inline and bucket policies are only imported; bucket
 * policies belong to their bucket and cannot be taken over (internalized) by the cloud.
 * `canBeCreated` of the exportable types is true only when the plugin exports access.
 */
function accessProviderTypes(exportsAccess: boolean): AccessProviderTypeInfo[] {
  const types: Omit<AccessProviderTypeInfo, 'canBeCreated'>[] = [
    { type: 'aws_role', label: 'AWS Role', canBeInternalized: true, isNamedEntity: true, whoAccessProviderTypes: ['aws_role'] },
    { type: 'aws_policy', label: 'AWS Policy', canBeInternalized: true, isNamedEntity: true, whoAccessProviderTypes: ['aws_role', 'aws_sso_role'] },
    { type: 'aws_inline_policy', label: 'AWS Inline Policy', canBeInternalized: true, isNamedEntity: false, whoAccessProviderTypes: ['aws_role'] },
    { type: 'aws_access_point', label: 'AWS S3 Access Point', canBeInternalized: true, isNamedEntity: true, whoAccessProviderTypes: ['aws_role', 'aws_sso_role'] },
    { type: 'aws_bucket_policy', label: 'AWS Bucket Policy', canBeInternalized: false, isNamedEntity: false, whoAccessProviderTypes: ['aws_role', 'aws_sso_role'] },
    { type: 'aws_sso_role', label: 'AWS SSO Role', canBeInternalized: true, isNamedEntity: true, whoAccessProviderTypes: [] },
  ];
  return types.map((t) => ({ ...t, canBeCreated: exportsAccess && exportableTypes.has(t.type) }));
}

/** Usage is reported per accessed object and can be rolled up to its folder and bucket (only when a usage sync exists). */
const usageLevels = ['file', 'folder', 'bucket'];

/** What the plugin actually does, from which the metadata is derived (never advertise what does not exist). */
export interface MetadataCapabilities {
  /** The plugin's `exportsAccess` flag. */
  exportsAccess: boolean;
  /** The plugin has a `syncs.dataUsage`. */
  dataUsage: boolean;
}

/**
 * The data source metadata document: each data object type with the S3 permissions that can be
 * granted on it (from the IAM action catalogue, each with its global permission and description),
 * the access provider types and the usage levels.
 */
export async function buildMetadata(capabilities: MetadataCapabilities): Promise<DataSourceMetadata> {
  const catalogue = await loadS3Permissions();
  const types: DataObjectTypeInfo[] = dataObjectTypes.map(({ name, label, children }) => ({
    name,
    label,
    permissions: catalogue.forType(name).map((p) => ({ permission: p.action, globalPermission: p.globalPermission, description: p.description })),
    children,
  }));
  return {
    type: 'aws-account',
    dataObjectTypes: types,
    accessProviderTypes: accessProviderTypes(capabilities.exportsAccess),
    usageLevels: capabilities.dataUsage ? usageLevels : [],
  };
}
