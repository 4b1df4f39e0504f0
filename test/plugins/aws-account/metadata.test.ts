import { describe, expect, it } from 'vitest';
import { DataSourceMetadata } from '../../../src/model/index.js';
import { buildMetadata } from '../../../src/plugins/aws-account/metadata.js';

describe('aws-account data source metadata', () => {
  it('is a valid metadata document', async () => {
    const metadata = await buildMetadata();
    expect(DataSourceMetadata.parse(metadata)).toEqual(metadata);
    expect(metadata.type).toBe('aws-account');
    expect(metadata.dataObjectTypes.map((t) => t.name)).toEqual(['datasource', 'bucket', 'folder', 'file', 'glue-table', 'column']);
  });

  it('lists s3:GetObject as a read permission on files, with its description', async () => {
    const file = (await buildMetadata()).dataObjectTypes.find((t) => t.name === 'file')!;
    const getObject = file.permissions.find((p) => p.permission === 's3:GetObject');
    expect(getObject).toMatchObject({ globalPermission: 'read' });
    expect(getObject!.description.length).toBeGreaterThan(0);
    expect(file.permissions.find((p) => p.permission === 's3:PutObject')?.globalPermission).toBe('write');
    // Bucket-level actions are not granted on a file.
    expect(file.permissions.some((p) => p.permission === 's3:ListBucket')).toBe(false);
  });

  it('grants bucket-level permissions on buckets and admin permissions such as s3:PutBucketPolicy', async () => {
    const bucket = (await buildMetadata()).dataObjectTypes.find((t) => t.name === 'bucket')!;
    expect(bucket.permissions.find((p) => p.permission === 's3:ListBucket')?.globalPermission).toBe('read');
    expect(bucket.permissions.find((p) => p.permission === 's3:PutBucketPolicy')?.globalPermission).toBe('admin');
    expect(bucket.children).toEqual(['folder', 'file', 'glue-table']);
  });

  it('declares the access provider types: bucket policies cannot be created or internalized', async () => {
    const types = new Map((await buildMetadata()).accessProviderTypes.map((t) => [t.type, t]));
    expect([...types.keys()]).toEqual(['aws_role', 'aws_policy', 'aws_inline_policy', 'aws_access_point', 'aws_bucket_policy']);
    expect(types.get('aws_bucket_policy')).toMatchObject({ canBeCreated: false, canBeInternalized: false, isNamedEntity: false });
    expect(types.get('aws_role')).toMatchObject({ canBeCreated: true, canBeInternalized: true, isNamedEntity: true });
    expect(types.get('aws_inline_policy')).toMatchObject({ canBeCreated: false, isNamedEntity: false });
    expect((await buildMetadata()).usageLevels).toEqual(['file', 'folder', 'bucket']);
  });

  it('declares permission sets (aws_sso_role, who from the aws-organization identity store) only with the aws-organization-* parameters', async () => {
    const without = await buildMetadata({});
    expect(without.accessProviderTypes.some((t) => t.type === 'aws_sso_role')).toBe(false);
    expect(without.accessProviderTypes.find((t) => t.type === 'aws_policy')?.whoAccessProviderTypes).toEqual(['aws_role']);

    const withOrganization = await buildMetadata({ 'aws-organization-profile': 'management' });
    const types = new Map(withOrganization.accessProviderTypes.map((t) => [t.type, t]));
    expect(types.get('aws_sso_role')).toEqual({
      type: 'aws_sso_role',
      label: 'AWS Permission Set',
      canBeCreated: true,
      canBeInternalized: true,
      isNamedEntity: true,
      whoAccessProviderTypes: [],
      identityStoreTypeForWho: 'aws-organization',
    });
    expect(types.get('aws_policy')?.whoAccessProviderTypes).toEqual(['aws_role', 'aws_sso_role']);
    expect(types.get('aws_access_point')?.whoAccessProviderTypes).toEqual(['aws_role', 'aws_sso_role']);
    expect(DataSourceMetadata.parse(withOrganization)).toEqual(withOrganization);
  });
});
