import { describe, expect, it } from 'vitest';
import { coerceParameters } from '../../../src/plugin-api/parameters.js';
import { awsAccountPlugin } from '../../../src/plugins/aws-account/index.js';

function problems(raw: Record<string, unknown>) {
  const { params, problems: typeProblems } = coerceParameters(awsAccountPlugin.parameters, raw);
  expect(typeProblems).toEqual([]);
  return awsAccountPlugin.validate!(params);
}

describe('aws-account: the aws-organization-* parameters', () => {
  it('takes the four parameters of the first-sync guide plus the assume-role pair and the rate limit', () => {
    const names = awsAccountPlugin.parameters.map((p) => p.name);
    for (const name of [
      'aws-organization-profile',
      'aws-organization-region',
      'aws-organization-identity-center-instance-arn',
      'aws-organization-identity-store',
      'aws-organization-assume-role-arn',
      'aws-organization-assume-role-external-id',
      'aws-identity-center-rate-limit',
    ]) {
      expect(names, name).toContain(name);
    }
    expect(awsAccountPlugin.parameters.find((p) => p.name === 'aws-organization-assume-role-external-id')?.secret).toBe(true);
  });

  it('accepts the guide configuration, with the identity store as an id or an ARN', () => {
    const guide = {
      'aws-organization-profile': 'master',
      'aws-organization-region': 'eu-west-1',
      'aws-organization-identity-center-instance-arn': 'arn:aws:sso:::instance/ssoins-6804a1b2c3d4e5f6',
      'aws-organization-identity-store': 'd-93671a2b3c',
    };
    expect(problems(guide)).toEqual([]);
    expect(problems({ ...guide, 'aws-organization-identity-store': 'arn:aws:identitystore::123456789012:identitystore/d-93671a2b3c' })).toEqual([]);
  });

  it('names each wrong aws-organization-* value', () => {
    expect(
      problems({
        'aws-organization-profile': 'master',
        'aws-organization-region': 'west',
        'aws-organization-identity-center-instance-arn': 'ssoins-6804',
        'aws-organization-identity-store': 'store one',
        'aws-organization-assume-role-external-id': 'x',
      }),
    ).toEqual([
      { parameter: 'aws-organization-region', message: '"west" does not look like an AWS region (for example eu-central-1)' },
      {
        parameter: 'aws-organization-identity-store',
        message: 'must be an identity store id (d-xxxxxxxxxx) or its ARN (arn:aws:identitystore::<account>:identitystore/d-xxxxxxxxxx), got "store one"',
      },
      { parameter: 'aws-organization-assume-role-external-id', message: 'is only used with aws-organization-assume-role-arn, which is not set' },
      { parameter: 'aws-organization-identity-center-instance-arn', message: 'must be an Identity Center instance ARN (arn:aws:sso:::instance/ssoins-...), got "ssoins-6804"' },
    ]);
  });

  it('says a region alone does nothing', () => {
    expect(problems({ 'aws-organization-region': 'eu-west-1' })).toEqual([
      { parameter: 'aws-organization-region', message: 'is only used with aws-organization-profile (or another aws-organization-* connection parameter), which is not set' },
    ]);
  });
});
