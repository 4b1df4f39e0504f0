import { describe, expect, it } from 'vitest';
import { DataSourceMetadata } from '../../../src/model/index.js';
import { PluginRegistry } from '../../../src/host/registry.js';
import { builtInPlugins } from '../../../src/plugins/index.js';
import { awsOrganizationPlugin } from '../../../src/plugins/aws-organization/index.js';
import { coerceParameters } from '../../../src/plugin-api/parameters.js';

function problems(raw: Record<string, unknown>) {
  const { params } = coerceParameters(awsOrganizationPlugin.parameters, raw);
  return awsOrganizationPlugin.validate!(params);
}

describe('aws-organization plugin', () => {
  it('is built in under its name and the Raito plugin name', async () => {
    const registry = new PluginRegistry(builtInPlugins);
    expect(await registry.resolve('aws-organization', [])).toBe(awsOrganizationPlugin);
    expect(await registry.resolve('raito-io/cli-plugin-aws-organization', [])).toBe(awsOrganizationPlugin);
    expect(Object.keys(awsOrganizationPlugin.syncs)).toEqual(['identityStore']);
  });

  it('takes the AWS connection parameters of aws-account with one region, the identity store and the rate limit', () => {
    expect(awsOrganizationPlugin.parameters.map((p) => p.name)).toEqual([
      'aws-account-id',
      'aws-profile',
      'aws-assume-role-arn',
      'aws-assume-role-external-id',
      'aws-endpoint-url',
      'aws-concurrency',
      'aws-connect-timeout',
      'aws-attempt-timeout',
      'aws-region',
      'aws-identity-store-id',
      'aws-identity-center-rate-limit',
    ]);
    expect(awsOrganizationPlugin.parameters.find((p) => p.name === 'aws-identity-center-rate-limit')?.default).toBe(20);
  });

  it('says it can be linked and be a master identity store', async () => {
    const metadata = await awsOrganizationPlugin.metadata({});
    expect(DataSourceMetadata.parse(metadata)).toEqual(metadata);
    expect(metadata).toEqual({ type: 'aws-organization', dataObjectTypes: [], accessProviderTypes: [], usageLevels: [], identityStore: { canBeLinked: true, canBeMasterIdentityStore: true } });
  });

  it('accepts an identity store id or ARN and refuses other values, a bad region and a rate of 0', () => {
    expect(problems({ 'aws-identity-store-id': 'd-1234567890', 'aws-region': 'eu-west-1' })).toEqual([]);
    expect(problems({ 'aws-identity-store-id': 'arn:aws:identitystore::123456789012:identitystore/d-1234567890' })).toEqual([]);
    expect(problems({ 'aws-identity-store-id': 'arn:aws:sso:::instance/ssoins-1', 'aws-region': 'Ireland', 'aws-identity-center-rate-limit': 0 })).toEqual([
      { parameter: 'aws-region', message: '"Ireland" does not look like an AWS region (for example eu-central-1)' },
      {
        parameter: 'aws-identity-store-id',
        message: 'must be an identity store id (d-xxxxxxxxxx) or its ARN (arn:aws:identitystore::<account>:identitystore/d-xxxxxxxxxx), got "arn:aws:sso:::instance/ssoins-1"',
      },
      { parameter: 'aws-identity-center-rate-limit', message: 'must be a whole number from 1 to 1000, got "0"' },
    ]);
  });
});
