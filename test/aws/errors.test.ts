import { IAMServiceException } from '@aws-sdk/client-iam';
import { NoSuchBucket } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { classifyAwsError, describeAwsError, iamActionFor, type AwsErrorClass } from '../../src/aws/errors.js';
import { awsError } from '../../src/demo/fake-aws/errors.js';
import { ConnectorError } from '../../src/errors.js';

describe('classifyAwsError', () => {
  const byName: [string, number, AwsErrorClass][] = [
    ['AccessDenied', 403, 'access-denied'],
    ['AccessDeniedException', 400, 'access-denied'],
    ['UnauthorizedOperation', 403, 'access-denied'],
    ['NoSuchBucket', 404, 'not-found'],
    ['NoSuchEntity', 404, 'not-found'],
    ['NotFound', 404, 'not-found'],
    ['ResourceNotFoundException', 400, 'not-found'],
    ['EntityNotFoundException', 400, 'not-found'],
    ['Throttling', 400, 'throttled'],
    ['ThrottlingException', 400, 'throttled'],
    ['TooManyRequestsException', 400, 'throttled'],
    ['SlowDown', 503, 'throttled'],
    ['RequestLimitExceeded', 503, 'throttled'],
    ['InternalError', 500, 'unavailable'],
    ['ServiceUnavailable', 503, 'unavailable'],
    ['ValidationException', 400, 'other'],
    ['InvalidAccessKeyId', 403, 'credentials'],
    ['SignatureDoesNotMatch', 403, 'credentials'],
    ['ExpiredToken', 400, 'credentials'],
    ['ExpiredTokenException', 403, 'credentials'],
    ['PermanentRedirect', 301, 'redirect'],
  ];
  it.each(byName)('%s (%i) is %s', (name, status, expected) => {
    expect(classifyAwsError(awsError(name, status, 'msg'))).toBe(expected);
  });

  const byStatus: [number, AwsErrorClass][] = [
    [403, 'access-denied'],
    [404, 'not-found'],
    [429, 'throttled'],
    [500, 'unavailable'],
    [502, 'unavailable'],
    [301, 'redirect'],
    [400, 'other'],
  ];
  it.each(byStatus)('an unknown error name with status %i is %s', (status, expected) => {
    expect(classifyAwsError(awsError('SomethingNew', status, 'msg'))).toBe(expected);
  });

  it('classifies the SDK exception classes themselves', () => {
    const denied = new IAMServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'no' });
    expect(classifyAwsError(denied)).toBe('access-denied');
    expect(classifyAwsError(new NoSuchBucket({ $metadata: { httpStatusCode: 404 }, message: 'gone' }))).toBe('not-found');
  });

  it('treats network failures as unavailable and other things that are not SDK errors as other', () => {
    expect(classifyAwsError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe('unavailable');
    expect(classifyAwsError(Object.assign(new Error('timed out'), { name: 'TimeoutError' }))).toBe('unavailable');
    expect(classifyAwsError(new Error('socket hang up'))).toBe('other');
    expect(classifyAwsError('a string')).toBe('other');
    expect(classifyAwsError(undefined)).toBe('other');
  });

  describe('invalid tokens: a region that cannot be read, or bad credentials', () => {
    const invalid = (name: string) => awsError(name, 400, 'The security token included in the request is invalid.');
    for (const name of ['UnrecognizedClientException', 'InvalidClientTokenId', 'AuthFailure']) {
      it(`${name} outside the default region is region-unreadable`, () => {
        expect(classifyAwsError(invalid(name), { region: 'us-west-2', defaultRegion: 'eu-central-1' })).toBe('region-unreadable');
      });
    }
    it('an invalid token in an opt-in region is region-unreadable even without a default region', () => {
      expect(classifyAwsError(invalid('UnrecognizedClientException'), { region: 'me-south-1' })).toBe('region-unreadable');
    });
    it('a message that mentions a region does not make bad credentials a region problem', () => {
      const err = awsError('InvalidClientTokenId', 403, 'The security token included in the request is invalid (region eu-south-2 is not enabled)');
      expect(classifyAwsError(err, { region: 'eu-central-1', defaultRegion: 'eu-central-1' })).toBe('credentials');
    });
    it('an invalid token in the default region, or of an unknown region, is bad credentials', () => {
      const err = invalid('InvalidClientTokenId');
      expect(classifyAwsError(err, { region: 'eu-central-1', defaultRegion: 'eu-central-1' })).toBe('credentials');
      expect(classifyAwsError(err)).toBe('credentials');
    });
    it('revoked or mistyped keys are bad credentials wherever the call went, never access denied', () => {
      for (const name of ['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken']) {
        expect(classifyAwsError(awsError(name, 403, 'no'), { region: 'us-west-2', defaultRegion: 'eu-central-1' })).toBe('credentials');
      }
    });
  });
});

describe('iamActionFor', () => {
  const table: [string, string, string][] = [
    ['IAM', 'GetAccountAuthorizationDetails', 'iam:GetAccountAuthorizationDetails'],
    ['IAM', 'CreateRole', 'iam:CreateRole'],
    ['S3', 'ListObjectsV2', 's3:ListBucket'],
    ['S3', 'ListBuckets', 's3:ListAllMyBuckets'],
    ['S3', 'HeadBucket', 's3:ListBucket'],
    ['S3', 'GetBucketPolicy', 's3:GetBucketPolicy'],
    ['S3', 'GetObject', 's3:GetObject'],
    ['S3', 'GetBucketLocation', 's3:GetBucketLocation'],
    ['S3Control', 'ListAccessPoints', 's3:ListAccessPoints'],
    ['S3Control', 'GetAccessPointPolicy', 's3:GetAccessPointPolicy'],
    ['S3Control', 'CreateAccessPoint', 's3:CreateAccessPoint'],
    ['SSOAdmin', 'ListPermissionSets', 'sso:ListPermissionSets'],
    ['Identitystore', 'ListUsers', 'identitystore:ListUsers'],
    ['CloudTrail', 'LookupEvents', 'cloudtrail:LookupEvents'],
    ['Glue', 'GetTables', 'glue:GetTables'],
    ['STS', 'GetCallerIdentity', 'sts:GetCallerIdentity'],
  ];
  it.each(table)('%s.%s needs %s', (service, operation, action) => {
    expect(iamActionFor(service, operation)).toBe(action);
  });
});

describe('describeAwsError', () => {
  it('names the call and the permission on access denied', () => {
    const err = describeAwsError(awsError('AccessDenied', 403, 'User is not authorized'), { service: 'IAM', operation: 'GetAccountAuthorizationDetails' });
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err.code).toBe('aws-access-denied');
    expect(err.message).toBe(
      'AWS denied IAM.GetAccountAuthorizationDetails: the credentials need iam:GetAccountAuthorizationDetails (AccessDenied: User is not authorized)',
    );
    expect(err.hint).toContain('iam:GetAccountAuthorizationDetails');
    expect(err.cause).toBeInstanceOf(Error);
  });

  it('names the resource and the mapped S3 action', () => {
    const err = describeAwsError(awsError('AccessDenied', 403, 'denied'), { service: 'S3', operation: 'ListObjectsV2', resource: 'sales' });
    expect(err.message).toContain('S3.ListObjectsV2 on sales');
    expect(err.message).toContain('s3:ListBucket on sales');
  });

  it('gives each class its code', () => {
    const call = { service: 'S3', operation: 'GetBucketPolicy', resource: 'sales' };
    expect(describeAwsError(awsError('NoSuchBucket', 404, 'gone'), call).code).toBe('aws-not-found');
    const throttled = describeAwsError(Object.assign(awsError('SlowDown', 503, 'slow'), { $metadata: { httpStatusCode: 503, attempts: 8 } }), call);
    expect(throttled.code).toBe('aws-throttled');
    expect(throttled.message).toContain('after 8 attempts');
    expect(throttled.hint).toContain('aws-concurrency');
    expect(describeAwsError(awsError('InternalError', 500, 'boom'), call).code).toBe('aws');
  });

  it('says an opt-in region is probably not enabled, and only an opt-in region', () => {
    const invalid = awsError('UnrecognizedClientException', 400, 'The security token included in the request is invalid.');
    const optIn = describeAwsError(invalid, { service: 'Glue', operation: 'GetDatabases', region: 'ap-east-1', defaultRegion: 'eu-central-1' });
    expect(optIn.code).toBe('aws');
    expect(optIn.message).toBe(
      'Region ap-east-1 could not be read: region ap-east-1 is an opt-in region and did not accept the credentials: it is probably not enabled for this account, so Glue.GetDatabases failed (UnrecognizedClientException: The security token included in the request is invalid.)',
    );
    expect(optIn.hint).toContain('aws-regions');
    const plain = describeAwsError(invalid, { service: 'Glue', operation: 'GetDatabases', region: 'us-west-2', defaultRegion: 'eu-central-1' });
    expect(plain.message).toBe(
      'Region us-west-2 could not be read: region us-west-2 did not accept the credentials, which work in eu-central-1, so Glue.GetDatabases failed (UnrecognizedClientException: The security token included in the request is invalid.)',
    );
  });

  it('says revoked keys are a credentials problem, not a missing permission', () => {
    const err = describeAwsError(awsError('InvalidAccessKeyId', 403, 'The AWS Access Key Id you provided does not exist in our records.'), {
      service: 'S3',
      operation: 'ListObjectsV2',
      resource: 'sales',
    });
    expect(err.code).toBe('aws');
    expect(err.message).toBe(
      'AWS did not accept the credentials for S3.ListObjectsV2 (revoked, inactive or mistyped access key, or a wrong secret) (InvalidAccessKeyId: The AWS Access Key Id you provided does not exist in our records.)',
    );
  });

  it('helps when there are no credentials at all', () => {
    const noCreds = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    const err = describeAwsError(noCreds, { service: 'STS', operation: 'GetCallerIdentity' });
    expect(err.message).toContain('No usable AWS credentials');
    expect(err.hint).toContain('aws-profile');
  });

  it('points at the network when AWS cannot be reached', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const err = describeAwsError(refused, { service: 'S3', operation: 'ListBuckets' });
    expect(err.code).toBe('aws');
    expect(err.message).toContain('Could not reach AWS for S3.ListBuckets');
    expect(err.hint).toContain('aws-endpoint-url');
  });

  it('passes a ConnectorError through unchanged', () => {
    const original = new ConnectorError('config', 'already explained');
    expect(describeAwsError(original, { service: 'STS', operation: 'GetCallerIdentity' })).toBe(original);
  });
});
