import { beforeAll, describe, expect, it } from 'vitest';
import { absentKeyResult, conditionVerdict, keyMayBePresent } from '../../src/policy/conditions.js';
import { loadS3Permissions, type S3PermissionCatalogue } from '../../src/policy/s3-permissions.js';
import { parsePolicyDocument } from '../../src/policy/document.js';
import { AccessDraft, evaluatePolicy, type EvaluationContext } from '../../src/policy/evaluate.js';
import { evaluationContext, fn } from './fixtures.js';

let s3: S3PermissionCatalogue;
let ctx: EvaluationContext;
beforeAll(async () => {
  s3 = await loadS3Permissions();
  ctx = await evaluationContext();
});

const action = (name: string) => {
  const p = s3.get(name);
  if (!p) throw new Error(`no ${name}`);
  return p;
};

describe('which condition keys a request can carry', () => {
  it.each([
    ['s3:prefix', 's3:ListBucket', true],
    ['s3:prefix', 's3:GetObject', false],
    ['s3:x-amz-acl', 's3:PutObject', true],
    ['s3:x-amz-acl', 's3:GetObject', false],
    ['s3:ExistingObjectTag/classification', 's3:GetObject', true],
    ['s3:ExistingObjectTag/classification', 's3:ListBucket', false],
    ['S3:PREFIX', 's3:ListBucket', true],
    // Global keys may be in any request; every aws: key counts as one.
    ['aws:SourceIp', 's3:GetObject', true],
    ['aws:PrincipalTag/team', 's3:GetObject', true],
    ['aws:SomeFutureKey', 's3:GetObject', true],
    ['sts:ExternalId', 's3:GetObject', false],
  ])('%s on %s: %s', (key, name, present) => {
    expect(keyMayBePresent(key, action(name))).toBe(present);
  });
});

describe('a condition on an absent key, as AWS decides it', () => {
  it.each([
    ['StringEquals', ['a'], false],
    ['StringLike', ['reports/*'], false],
    ['StringNotEquals', ['a'], false],
    ['StringEqualsIfExists', ['a'], true],
    ['StringNotLikeIfExists', ['a'], true],
    ['Null', ['true'], true],
    ['Null', ['false'], false],
    ['ForAnyValue:StringEquals', ['a'], false],
    ['ForAllValues:StringEquals', ['a'], true],
    ['ForAnyValue:StringLikeIfExists', ['a'], true],
    ['Bool', ['true'], false],
    ['NumericLessThan', ['5'], false],
  ])('%s %o is %s', (operator, values, result) => {
    expect(absentKeyResult({ operator, key: 's3:prefix', values })).toBe(result);
  });

  it('a statement applies always, never or under conditions, per action', () => {
    const prefix = { operator: 'StringLike', key: 's3:prefix', values: ['reports/*'] };
    const ip = { operator: 'IpAddress', key: 'aws:SourceIp', values: ['10.0.0.0/8'] };
    expect(conditionVerdict([prefix], action('s3:GetObject'))).toEqual({ kind: 'never', clause: prefix });
    expect(conditionVerdict([prefix], action('s3:ListBucket'))).toEqual({ kind: 'conditional', keys: ['s3:prefix'] });
    expect(conditionVerdict([{ ...prefix, operator: 'StringLikeIfExists' }, ip], action('s3:GetObject'))).toEqual({ kind: 'conditional', keys: ['aws:SourceIp'] });
    expect(conditionVerdict([{ operator: 'Null', key: 's3:prefix', values: ['true'] }], action('s3:GetObject'))).toEqual({ kind: 'always' });
  });
});

describe('conditions that cannot apply, in evaluated policies', () => {
  async function evaluate(statement: object): Promise<{ grant: string[]; deny: string[]; reasons: string[]; incomplete: boolean }> {
    const draft = new AccessDraft();
    await evaluatePolicy(parsePolicyDocument({ Statement: [statement] }), ctx, draft);
    const show = (items: ReturnType<typeof draft.grant.items>): string[] => items.map((i) => `${i.dataObject.fullName}${i.conditional ? ' (conditional)' : ''}: ${i.permissions.join(' ')}`);
    const reasons = [...draft.grantReasons.messages(), ...draft.denyReasons.messages()];
    return { grant: show(draft.grant.items()), deny: show(draft.deny.items()), reasons, incomplete: draft.grantReasons.incomplete || draft.denyReasons.incomplete };
  }

  it('s3:prefix on GetObject and ListBucket: GetObject is dropped (false), ListBucket stays conditional', async () => {
    const result = await evaluate({ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::acme-hr', 'arn:aws:s3:::acme-hr/*'], Condition: { StringLike: { 's3:prefix': 'public/*' } } });
    expect(result.grant).toEqual([`${fn.hr} (conditional): s3:ListBucket`]);
    expect(result.reasons[0]).toBe('statement 1 has condition StringLike s3:prefix, a key the request of s3:GetObject never carries: it is false there, so the statement does not apply to it');
  });

  it('...IfExists on a key GetObject never carries: the grant holds without condition and the provider stays complete', async () => {
    const result = await evaluate({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme-hr/*', Condition: { StringEqualsIfExists: { 's3:x-amz-acl': 'private' } } });
    expect(result.grant).toEqual([`${fn.hr}: s3:GetObject`]);
    expect(result.incomplete).toBe(false);
  });

  it('a Deny with Null true on an absent key applies as written', async () => {
    const result = await evaluate({ Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme-hr/*', Condition: { Null: { 's3:x-amz-server-side-encryption': 'true' } } });
    expect(result.deny).toEqual([`${fn.hr}: s3:GetObject`]);
  });

  it('a Deny whose condition is false on an absent key denies nothing', async () => {
    const result = await evaluate({ Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme-hr/*', Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } } });
    expect(result.deny).toEqual([]);
  });
});
