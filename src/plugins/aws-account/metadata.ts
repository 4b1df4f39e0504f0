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


/**
 * The access provider types the exporter writes into AWS (the others are only imported). Permission
 * sets (aws_sso_role) exist, and so can be created, only with the aws-organization-* parameters.
 */
const exportableTypes: ReadonlySet<string> = new Set(['aws_role', 'aws_policy', 'aws_access_point', 'aws_sso_role']);

/**
 * What can grant access in an AWS account. Inline and bucket policies are only imported; bucket
 * policies belong to their bucket and cannot be taken over (internalized) by the cloud.
 * `canBeCreated` of the exportable types is true only when the plugin exports access. Permission
 * sets (aws_sso_role) exist only with the aws-organization-* parameters; only then may a who name them.
 */
function accessProviderTypes({ exportsAccess, organization }: MetadataCapabilities): AccessProviderTypeInfo[] {
  const roles = organization ? ['aws_role', 'aws_sso_role'] : ['aws_role'];
  const types: Omit<AccessProviderTypeInfo, 'canBeCreated'>[] = [
    { type: 'aws_role', label: 'AWS Role', canBeInternalized: true, isNamedEntity: true, whoAccessProviderTypes: ['aws_role'] },
    { type: 'aws_policy', label: 'AWS Policy', canBeInternalized: true, isNamedEntity: true, whoAccessProviderTypes: roles },
    { type: 'aws_inline_policy', label: 'AWS Inline Policy', canBeInternalized: true, isNamedEntity: false, whoAccessProviderTypes: ['aws_role'] },
    { type: 'aws_access_point', label: 'AWS S3 Access Point', canBeInternalized: true, isNamedEntity: true, whoAccessProviderTypes: roles },
    { type: 'aws_bucket_policy', label: 'AWS Bucket Policy', canBeInternalized: false, isNamedEntity: false, whoAccessProviderTypes: roles },
  ];
  if (organization) {
    // Its users and groups are those of the linked aws-organization identity store (Identity Center).
    // Its who may include managed policies (inheritFrom): the export attaches them to the permission set.
    types.push({ type: 'aws_sso_role', label: 'AWS Permission Set', canBeInternalized: true, isNamedEntity: true, whoAccessProviderTypes: ['aws_policy'], identityStoreTypeForWho: 'aws-organization' });
  }
  return types.map((t) => ({ ...t, canBeCreated: exportsAccess && exportableTypes.has(t.type) }));
}

/**
 * Usage is reported per accessed object and can be rolled up to its folder and bucket; in Glue mode
 * the accessed object is the Glue table that holds it (only when a usage sync exists).
 */
function usageLevels({ dataUsage, glue }: MetadataCapabilities): string[] {
  if (!dataUsage) return [];
  return glue ? ['glue-table', 'folder', 'bucket'] : ['file', 'folder', 'bucket'];
}

/** What the plugin actually does with these parameters, from which the metadata is derived (never advertise what does not exist). */
export interface MetadataCapabilities {
  /** The plugin's `exportsAccess` flag. */
  exportsAccess: boolean;
  /** The plugin has a `syncs.dataUsage`. */
  dataUsage: boolean;
  /** The aws-organization-* parameters are set (permission sets are imported). */
  organization?: boolean;
  /** Data objects come from the Glue catalog (aws-glue-enabled). */
  glue?: boolean;
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
  return { type: 'aws-account', dataObjectTypes: types, accessProviderTypes: accessProviderTypes(capabilities), usageLevels: usageLevels(capabilities) };
}
