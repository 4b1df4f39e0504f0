import { describe, expect, it } from 'vitest';
import { awsConnectionParameters, validateAwsParameters } from '../../src/aws/parameters.js';
import { coerceParameters } from '../../src/plugin-api/parameters.js';

function validate(raw: Record<string, unknown>) {
  const { params, problems } = coerceParameters(awsConnectionParameters, raw);
  return [...problems, ...validateAwsParameters(params)];
}

describe('awsConnectionParameters', () => {
  it('declares the connection parameters with descriptions, the external id as secret', () => {
    const names = awsConnectionParameters.map((p) => p.name);
    expect(names).toEqual([
      'aws-account-id',
      'aws-profile',
      'aws-regions',
      'aws-assume-role-arn',
      'aws-assume-role-external-id',
      'aws-endpoint-url',
      'aws-concurrency',
      'aws-connect-timeout',
      'aws-attempt-timeout',
    ]);
    for (const spec of awsConnectionParameters) expect(spec.description.length).toBeGreaterThan(20);
    expect(awsConnectionParameters.filter((p) => p.secret).map((p) => p.name)).toEqual(['aws-assume-role-external-id']);
  });

  it('defaults aws-concurrency to 5 and reads aws-regions as a list', () => {
    const { params, problems } = coerceParameters(awsConnectionParameters, { 'aws-regions': 'eu-central-1, us-east-1' });
    expect(problems).toEqual([]);
    expect(params['aws-concurrency']).toBe(5);
    expect(params['aws-regions']).toEqual(['eu-central-1', 'us-east-1']);
  });
});

describe('validateAwsParameters', () => {
  it('accepts a complete, sensible set', () => {
    expect(
      validate({
        'aws-account-id': '123456789012',
        'aws-regions': 'eu-central-1,us-gov-west-1',
        'aws-assume-role-arn': 'arn:aws:iam::123456789012:role/path/raito-read',
        'aws-assume-role-external-id': 'x',
        'aws-endpoint-url': 'http://localhost:4566',
        'aws-concurrency': '100',
      }),
    ).toEqual([]);
  });

  it.each(['0', '101', '-3'])('rejects aws-concurrency %s', (value) => {
    expect(validate({ 'aws-concurrency': value })).toEqual([{ parameter: 'aws-concurrency', message: expect.stringContaining('from 1 to 100') }]);
  });

  it('reports each malformed value with its parameter', () => {
    const problems = validate({
      'aws-account-id': '1234',
      'aws-regions': 'eu-central-1,Frankfurt',
      'aws-assume-role-arn': 'raito-read',
      'aws-endpoint-url': 'localhost:4566',
    });
    expect(problems.map((p) => p.parameter).sort()).toEqual(['aws-account-id', 'aws-assume-role-arn', 'aws-endpoint-url', 'aws-regions']);
  });

  it('flags an external id without a role to assume', () => {
    expect(validate({ 'aws-assume-role-external-id': 'secret' })).toEqual([{ parameter: 'aws-assume-role-external-id', message: expect.stringContaining('aws-assume-role-arn') }]);
  });
});
