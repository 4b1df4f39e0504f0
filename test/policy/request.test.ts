import { beforeAll, describe, expect, it } from 'vitest';
import { parsePolicyDocument } from '../../src/policy/document.js';
import { explainRequest, type PolicyKind, type RequestPolicy, type RequestPrincipal } from '../../src/policy/request.js';
import { loadS3Permissions, type S3PermissionCatalogue } from '../../src/policy/s3-permissions.js';

const ACCOUNT = '111122223333';
const alice: RequestPrincipal = { arn: `arn:aws:iam::${ACCOUNT}:user/alice`, type: 'user', name: 'alice', accountId: ACCOUNT };
const etl: RequestPrincipal = { arn: `arn:aws:iam::${ACCOUNT}:role/EtlRole`, type: 'role', name: 'EtlRole', accountId: ACCOUNT };
const object = 'arn:aws:s3:::acme-sales/reports/q1.csv';

let s3: S3PermissionCatalogue;
beforeAll(async () => {
  s3 = await loadS3Permissions();
});

const policy = (kind: PolicyKind, name: string, ...Statement: object[]): RequestPolicy => ({ kind, name, document: parsePolicyDocument({ Statement }) });
const allow = (extra: object = {}) => ({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme-sales/*', ...extra });
const deny = (extra: object = {}) => ({ Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme-sales/*', ...extra });

function ask(policies: RequestPolicy[], options: { principal?: RequestPrincipal; action?: string; resource?: string; boundary?: boolean } = {}) {
  const answer = explainRequest({
    principal: options.principal ?? alice,
    action: s3.get(options.action ?? 's3:GetObject')!,
    resource: options.resource ?? object,
    policies,
    hasBoundary: options.boundary ?? policies.some((p) => p.kind === 'boundary'),
  });
  return { decision: answer.decision, statements: answer.statements.map((s) => `${s.effect} ${s.policy} ${s.index}${s.sid ? ` ${s.sid}` : ''}${s.conditionKeys.length ? ` [${s.conditionKeys.join(',')}]` : ''}`), keys: answer.conditionKeys, notes: answer.notes };
}

describe('one request, evaluated as the IAM guide describes it (same account)', () => {
  it.each([
    {
      name: 'nothing allows it: implicit deny',
      policies: [policy('identity', 'P', { Effect: 'Allow', Action: 's3:PutObject', Resource: '*' })],
      decision: 'not-allowed',
      statements: [],
    },
    { name: 'an identity policy allows it', policies: [policy('identity', 'P', allow({ Sid: 'Read' }))], decision: 'allowed', statements: ['Allow P 1 Read'] },
    {
      name: 'an explicit deny in any policy overrides the allow',
      policies: [policy('identity', 'P', allow()), policy('bucket', 'B', deny({ Principal: '*' }))],
      decision: 'denied',
      statements: ['Deny B 1'],
    },
    {
      name: 'a deny with a condition on a key the request may carry: depends on it',
      policies: [policy('identity', 'P', allow(), deny({ Condition: { Bool: { 'aws:SecureTransport': 'false' } } }))],
      decision: 'conditional',
      statements: ['Allow P 1', 'Deny P 2 [aws:SecureTransport]'],
      keys: ['aws:SecureTransport'],
    },
    {
      name: 'a deny on a key GetObject never carries (s3:prefix) is false: allowed',
      policies: [policy('identity', 'P', allow(), deny({ Condition: { StringNotLike: { 's3:prefix': 'public/*' } } }))],
      decision: 'allowed',
      statements: ['Allow P 1'],
    },
    {
      name: 'an allow under a condition: depends on it',
      policies: [policy('identity', 'P', allow({ Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }))],
      decision: 'conditional',
      statements: ['Allow P 1 [aws:SourceIp]'],
      keys: ['aws:SourceIp'],
    },
    {
      name: 'NotAction and NotResource',
      policies: [policy('identity', 'P', { Effect: 'Allow', NotAction: 's3:Delete*', NotResource: 'arn:aws:s3:::acme-hr/*' })],
      decision: 'allowed',
      statements: ['Allow P 1'],
    },
    {
      name: 'a wildcard in the resource segment does not widen the service segment',
      policies: [policy('identity', 'P', { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3-object-lambda:*:*:*' })],
      decision: 'not-allowed',
      statements: [],
    },
    {
      name: 'the boundary does not allow it: the identity allow does not count',
      policies: [policy('identity', 'P', allow()), policy('boundary', 'Bd', { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme-hr/*' })],
      decision: 'not-allowed',
      statements: [],
      notes: ['identity policies allow it, but the permission boundary does not', 'no policy allows it: AWS denies by default (implicit deny)'],
    },
    {
      name: 'identity policy and boundary both allow it',
      policies: [policy('identity', 'P', allow()), policy('boundary', 'Bd', { Effect: 'Allow', Action: 's3:*', Resource: '*' })],
      decision: 'allowed',
      statements: ['Allow P 1', 'Allow Bd 1'],
    },
    {
      name: 'a bucket policy naming the user allows it, whatever the boundary says',
      policies: [policy('boundary', 'Bd', { Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }), policy('bucket', 'B', allow({ Principal: { AWS: alice.arn } }))],
      decision: 'allowed',
      statements: ['Allow B 1'],
    },
    {
      name: 'a bucket policy naming the role ARN is limited by the role\'s boundary',
      principal: etl,
      policies: [policy('boundary', 'Bd', { Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }), policy('bucket', 'B', allow({ Principal: { AWS: etl.arn } }))],
      decision: 'not-allowed',
      statements: [],
    },
    {
      name: 'a bucket policy naming a session of the role is not limited by the boundary',
      principal: etl,
      policies: [policy('boundary', 'Bd', { Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }), policy('bucket', 'B', allow({ Principal: { AWS: `arn:aws:sts::${ACCOUNT}:assumed-role/EtlRole/nightly` } }))],
      decision: 'allowed',
      statements: ['Allow B 1'],
    },
    {
      name: 'a bucket policy naming the account alone leaves it to identity policies',
      policies: [policy('bucket', 'B', allow({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }))],
      decision: 'not-allowed',
      statements: [],
    },
    {
      name: 'a bucket policy for another principal does not apply',
      policies: [policy('bucket', 'B', allow({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/bob` } }), deny({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/bob` } }))],
      decision: 'not-allowed',
      statements: [],
    },
    {
      name: 'a NotPrincipal deny that leaves the user out does not apply',
      policies: [policy('identity', 'P', allow()), policy('bucket', 'B', deny({ NotPrincipal: { AWS: alice.arn } }))],
      decision: 'allowed',
      statements: ['Allow P 1'],
    },
  ])('$name', ({ policies, principal, decision, statements, keys, notes }) => {
    const answer = ask(policies, { principal });
    expect(answer.decision).toBe(decision);
    expect(answer.statements).toEqual(statements);
    if (keys) expect(answer.keys).toEqual(keys);
    if (notes) expect(answer.notes).toEqual(notes);
  });

  it('an access point request: the access point policy allows, the bucket policy is read on the bucket ARN for its denies', () => {
    const apArn = `arn:aws:s3:eu-central-1:${ACCOUNT}:accesspoint/reports/object/q1.csv`;
    const ap = policy('access-point', 'AP', { Effect: 'Allow', Principal: { AWS: alice.arn }, Action: 's3:GetObject', Resource: `arn:aws:s3:eu-central-1:${ACCOUNT}:accesspoint/reports/object/*` });
    const bucketDeny = { ...policy('bucket', 'B', deny({ Principal: '*', Resource: 'arn:aws:s3:::acme-sales/q1.csv' })), resource: 'arn:aws:s3:::acme-sales/q1.csv' };
    expect(ask([ap], { resource: apArn }).decision).toBe('allowed');
    expect(ask([ap, bucketDeny], { resource: apArn })).toMatchObject({ decision: 'denied', statements: ['Deny B 1'] });
  });
});
