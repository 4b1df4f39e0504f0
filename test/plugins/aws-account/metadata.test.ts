import { describe, expect, it } from 'vitest';
import { DataSourceMetadata } from '../../../src/model/index.js';
import { awsAccountPlugin } from '../../../src/plugins/aws-account/index.js';
import { buildMetadata } from '../../../src/plugins/aws-account/metadata.js';

const current = { exportsAccess: false, dataUsage: false };

describe('aws-account data source metadata', () => {
  it('is a valid metadata document', async () => {
    const metadata = await buildMetadata(current);
    expect(DataSourceMetadata.parse(metadata)).toEqual(metadata);
    expect(metadata.type).toBe('aws-account');
    expect(metadata.dataObjectTypes.map((t) => t.name)).toEqual(['datasource', 'bucket', 'folder', 'file', 'glue-table', 'column']);
  });

  it('lists s3:GetObject as a read permission on files, with its description', async () => {
    const file = (await buildMetadata(current)).dataObjectTypes.find((t) => t.name === 'file')!;
    const getObject = file.permissions.find((p) => p.permission === 's3:GetObject');
    expect(getObject).toEqual({ permission: 's3:GetObject', globalPermission: 'read', description: 'Grants permission to retrieve objects from Amazon S3' });
    expect(file.permissions.find((p) => p.permission === 's3:PutObject')?.globalPermission).toBe('write');
    // Bucket-level actions are not granted on a file.
    expect(file.permissions.some((p) => p.permission === 's3:ListBucket')).toBe(false);
  });

  it('grants bucket-level permissions on buckets and admin permissions such as s3:PutBucketPolicy', async () => {
    const bucket = (await buildMetadata(current)).dataObjectTypes.find((t) => t.name === 'bucket')!;
    expect(bucket.permissions.find((p) => p.permission === 's3:ListBucket')?.globalPermission).toBe('read');
    expect(bucket.permissions.find((p) => p.permission === 's3:PutBucketPolicy')?.globalPermission).toBe('admin');
    expect(bucket.children).toEqual(['folder', 'file', 'glue-table']);
  });

  it('declares the access provider types: bucket policies cannot be created or internalized', async () => {
    const types = new Map((await buildMetadata({ exportsAccess: true, dataUsage: true })).accessProviderTypes.map((t) => [t.type, t]));
    expect([...types.keys()]).toEqual(['aws_role', 'aws_policy', 'aws_inline_policy', 'aws_access_point', 'aws_bucket_policy']);
    expect(types.get('aws_bucket_policy')).toMatchObject({ canBeCreated: false, canBeInternalized: false, isNamedEntity: false });
    expect(types.get('aws_role')).toMatchObject({ canBeCreated: true, canBeInternalized: true, isNamedEntity: true });
    expect(types.get('aws_inline_policy')).toMatchObject({ canBeCreated: false, isNamedEntity: false });
  });

  it('advertises creation and usage levels only when the plugin exports access and has a usage sync', async () => {
    const created = (m: { accessProviderTypes: { type: string; canBeCreated: boolean }[] }) => m.accessProviderTypes.filter((t) => t.canBeCreated).map((t) => t.type);
    const none = await buildMetadata({ exportsAccess: false, dataUsage: false });
    expect(created(none)).toEqual([]);
    expect(none.usageLevels).toEqual([]);
    const both = await buildMetadata({ exportsAccess: true, dataUsage: true });
    expect(created(both)).toEqual(['aws_role', 'aws_policy', 'aws_access_point']);
    expect(both.usageLevels).toEqual(['file', 'folder', 'bucket']);
    // In Glue mode usage lands on the Glue table that holds the object.
    expect((await buildMetadata({ exportsAccess: true, dataUsage: true, glue: true })).usageLevels).toEqual(['glue-table', 'folder', 'bucket']);
  });

  it('the aws-account plugin derives its metadata from its own exportsAccess flag and syncs', async () => {
    const metadata = await awsAccountPlugin.metadata({});
    const expected = await buildMetadata({ exportsAccess: awsAccountPlugin.exportsAccess === true, dataUsage: awsAccountPlugin.syncs.dataUsage !== undefined, organization: false, glue: false });
    expect(metadata).toEqual(expected);
    const original = awsAccountPlugin.exportsAccess;
    try {
      awsAccountPlugin.exportsAccess = !original;
      const flipped = await awsAccountPlugin.metadata({});
      expect(flipped.accessProviderTypes.find((t) => t.type === 'aws_role')?.canBeCreated).toBe(!original);
    } finally {
      awsAccountPlugin.exportsAccess = original;
    }
  });

  it('declares permission sets (aws_sso_role, who from the aws-organization identity store) only with the aws-organization-* parameters', async () => {
    const without = await awsAccountPlugin.metadata({});
    expect(without.accessProviderTypes.some((t) => t.type === 'aws_sso_role')).toBe(false);
    expect(without.accessProviderTypes.find((t) => t.type === 'aws_policy')?.whoAccessProviderTypes).toEqual(['aws_role']);

    const withOrganization = await awsAccountPlugin.metadata({ 'aws-organization-profile': 'management' });
    const types = new Map(withOrganization.accessProviderTypes.map((t) => [t.type, t]));
    expect(types.get('aws_sso_role')).toEqual({
      type: 'aws_sso_role',
      label: 'AWS Permission Set',
      // The plugin exports access, so permission sets can be created (src/exporter/permission-sets.ts).
      canBeCreated: true,
      canBeInternalized: true,
      isNamedEntity: true,
      // inheritFrom names managed policies, attached to the permission set.
      whoAccessProviderTypes: ['aws_policy'],
      identityStoreTypeForWho: 'aws-organization',
    });
    expect(types.get('aws_policy')?.whoAccessProviderTypes).toEqual(['aws_role', 'aws_sso_role']);
    expect(types.get('aws_access_point')?.whoAccessProviderTypes).toEqual(['aws_role', 'aws_sso_role']);
    expect(DataSourceMetadata.parse(withOrganization)).toEqual(withOrganization);
  });
});
