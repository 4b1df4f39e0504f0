import { describe, expect, it } from 'vitest';
import { coerceParameters } from '../../../src/plugin-api/parameters.js';
import { usageOptions, usageParameters, validateUsageParameters } from '../../../src/importers/usage/parameters.js';

const coerce = (raw: Record<string, unknown>) => coerceParameters(usageParameters, raw).params;

describe('usage parameters', () => {
  it('defaults: no bucket (discover the trail), no prefix, 90 days', () => {
    expect(usageOptions(coerce({}))).toEqual({ bucket: undefined, prefix: '', startDays: 90, regions: [] });
  });

  it('a prefix is kept without slashes at its ends; aws-regions comes along', () => {
    expect(usageOptions({ ...coerce({ 'aws-s3-cloudtrail-bucket': 'logs', 'aws-s3-cloudtrail-prefix': '/audit/trail/', 'aws-usage-start-days': '7' }), 'aws-regions': ['eu-west-1'] })).toEqual({
      bucket: 'logs',
      prefix: 'audit/trail',
      startDays: 7,
      regions: ['eu-west-1'],
    });
  });

  it('rejects a start window out of range and a prefix without a bucket, naming the parameter', () => {
    expect(validateUsageParameters(coerce({ 'aws-usage-start-days': '0' }))).toEqual([{ parameter: 'aws-usage-start-days', message: 'must be from 1 to 3650 days, got 0' }]);
    expect(validateUsageParameters(coerce({ 'aws-s3-cloudtrail-prefix': 'audit' }))).toEqual([
      { parameter: 'aws-s3-cloudtrail-prefix', message: 'is only used with aws-s3-cloudtrail-bucket, which is not set (a discovered trail brings its own prefix)' },
    ]);
    expect(validateUsageParameters(coerce({ 'aws-s3-cloudtrail-bucket': 'logs', 'aws-s3-cloudtrail-prefix': 'audit' }))).toEqual([]);
  });
});
