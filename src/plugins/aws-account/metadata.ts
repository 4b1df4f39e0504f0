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
 * What can grant access in an AWS account. The exporter creates roles, managed policies, access
 * points and (through Identity Center) SSO roles; inline and bucket policies are only imported.
 * Bucket policies belong to their bucket and cannot be taken over (internalized) by the cloud.
 */
const accessProviderTypes: AccessProviderTypeInfo[] = [
  { type: 'aws_role', label: 'AWS Role', canBeCreated: true, canBeInternalized: true, isNamedEntity: true, whoAccessProviderTypes: ['aws_role'] },
  { type: 'aws_policy', label: 'AWS Policy', canBeCreated: true, canBeInternalized: true, isNamedEntity: true, whoAccessProviderTypes: ['aws_role', 'aws_sso_role'] },
  { type: 'aws_inline_policy', label: 'AWS Inline Policy', canBeCreated: false, canBeInternalized: true, isNamedEntity: false, whoAccessProviderTypes: ['aws_role'] },
  { type: 'aws_access_point', label: 'AWS S3 Access Point', canBeCreated: true, canBeInternalized: true, isNamedEntity: true, whoAccessProviderTypes: ['aws_role', 'aws_sso_role'] },
  { type: 'aws_bucket_policy', label: 'AWS Bucket Policy', canBeCreated: false, canBeInternalized: false, isNamedEntity: false, whoAccessProviderTypes: ['aws_role', 'aws_sso_role'] },
  { type: 'aws_sso_role', label: 'AWS SSO Role', canBeCreated: true, canBeInternalized: true, isNamedEntity: true, whoAccessProviderTypes: [] },
];

/** Usage is reported per accessed object and can be rolled up to its folder and bucket. */
const usageLevels = ['file', 'folder', 'bucket'];

/**
 * The data source metadata document: each data object type with the S3 permissions that can be
 * granted on it (from the IAM action catalogue, each with its global permission and description),
 * the access provider types and the usage levels.
 */
export async function buildMetadata(): Promise<DataSourceMetadata> {
  const catalogue = await loadS3Permissions();
  const types: DataObjectTypeInfo[] = dataObjectTypes.map(({ name, label, children }) => ({
    name,
    label,
    permissions: catalogue.forType(name).map((p) => ({ permission: p.action, globalPermission: p.globalPermission, description: p.description })),
    children,
  }));
  return { type: 'aws-account', dataObjectTypes: types, accessProviderTypes, usageLevels };
}
