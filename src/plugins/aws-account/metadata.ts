import type { AccessProviderTypeInfo, DataObjectType, DataObjectTypeInfo, DataSourceMetadata } from '../../model/index.js';
import { organizationEnabled } from '../../identity-center/parameters.js';
import type { Parameters } from '../../plugin-api/contract.js';
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
 * points and (with the aws-organization-* parameters, through Identity Center) permission sets; inline and bucket policies are only imported.
 * Bucket policies belong to their bucket and cannot be taken over (internalized) by the cloud.
 */
function accessProviderTypes(organization: boolean): AccessProviderTypeInfo[] {
  // Permission sets exist only with the aws-organization-* parameters; only then may a who name them.
  const roles = organization ? ['aws_role', 'aws_sso_role'] : ['aws_role'];
  const types: AccessProviderTypeInfo[] = [
    { type: 'aws_role', label: 'AWS Role', canBeCreated: true, canBeInternalized: true, isNamedEntity: true, whoAccessProviderTypes: ['aws_role'] },
    { type: 'aws_policy', label: 'AWS Policy', canBeCreated: true, canBeInternalized: true, isNamedEntity: true, whoAccessProviderTypes: roles },
    { type: 'aws_inline_policy', label: 'AWS Inline Policy', canBeCreated: false, canBeInternalized: true, isNamedEntity: false, whoAccessProviderTypes: ['aws_role'] },
    { type: 'aws_access_point', label: 'AWS S3 Access Point', canBeCreated: true, canBeInternalized: true, isNamedEntity: true, whoAccessProviderTypes: roles },
    { type: 'aws_bucket_policy', label: 'AWS Bucket Policy', canBeCreated: false, canBeInternalized: false, isNamedEntity: false, whoAccessProviderTypes: roles },
  ];
  if (organization) {
    // Its users and groups are those of the linked aws-organization identity store (Identity Center).
    types.push({ type: 'aws_sso_role', label: 'AWS Permission Set', canBeCreated: true, canBeInternalized: true, isNamedEntity: true, whoAccessProviderTypes: [], identityStoreTypeForWho: 'aws-organization' });
  }
  return types;
}

/** Usage is reported per accessed object and can be rolled up to its folder and bucket. */
const usageLevels = ['file', 'folder', 'bucket'];

/**
 * The data source metadata document: each data object type with the S3 permissions that can be
 * granted on it (from the IAM action catalogue, each with its global permission and description),
 * the access provider types and the usage levels.
 */
export async function buildMetadata(params: Parameters = {}): Promise<DataSourceMetadata> {
  const catalogue = await loadS3Permissions();
  const types: DataObjectTypeInfo[] = dataObjectTypes.map(({ name, label, children }) => ({
    name,
    label,
    permissions: catalogue.forType(name).map((p) => ({ permission: p.action, globalPermission: p.globalPermission, description: p.description })),
    children,
  }));
  return { type: 'aws-account', dataObjectTypes: types, accessProviderTypes: accessProviderTypes(organizationEnabled(params)), usageLevels };
}
