import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePolicyDocument, PolicyDocumentError } from '../../src/policy/document.js';

const single = {
  Version: '2012-10-17',
  Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme-sales/*' },
};

describe('parsePolicyDocument', () => {
  it.each([
    ['a JSON string', JSON.stringify(single)],
    ['URL-encoded JSON as AWS returns it', encodeURIComponent(JSON.stringify(single))],
    ['an object', single],
    ['JSON with leading whitespace', `\n  ${JSON.stringify(single)}`],
  ])('reads %s with a single statement object', (_, input) => {
    const doc = parsePolicyDocument(input);
    expect(doc.version).toBe('2012-10-17');
    expect(doc.statements).toEqual([
      { index: 1, effect: 'Allow', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::acme-sales/*'], conditions: [] },
    ]);
  });

  it('normalises lists, NotAction, NotResource, principals and conditions', () => {
    const doc = parsePolicyDocument({
      Statement: [
        { Sid: 'One', Effect: 'Deny', NotAction: ['s3:Get*', 's3:List*'], NotResource: 'arn:aws:s3:::a/*', Condition: { Bool: { 'aws:SecureTransport': false } } },
        { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: ['arn:aws:iam::111122223333:user/svc-etl'], Service: 'glue.amazonaws.com' } },
        { Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Principal: '*' },
        { Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Principal: { AWS: '*' } },
        { Effect: 'Allow', Action: 's3:GetObject', Resource: '*', NotPrincipal: { AWS: '444455556666' }, Condition: { StringLike: { 's3:prefix': ['a/', 'b/'] } } },
      ],
    });
    const [one, two, three, four, five] = doc.statements;
    expect(one).toEqual({
      index: 1,
      sid: 'One',
      effect: 'Deny',
      notActions: ['s3:Get*', 's3:List*'],
      notResources: ['arn:aws:s3:::a/*'],
      conditions: [{ operator: 'Bool', key: 'aws:SecureTransport', values: ['false'] }],
    });
    expect(two?.principal).toEqual({ all: false, byType: { AWS: ['arn:aws:iam::111122223333:user/svc-etl'], Service: ['glue.amazonaws.com'] } });
    expect(three?.principal).toEqual({ all: true });
    expect(four?.principal).toEqual({ all: true });
    expect(five?.notPrincipal).toEqual({ all: false, byType: { AWS: ['444455556666'] } });
    expect(five?.conditions).toEqual([{ operator: 'StringLike', key: 's3:prefix', values: ['a/', 'b/'] }]);
  });

  it.each([
    ['not JSON', '{"Statement": ', /not valid JSON/],
    ['bad URL encoding', '%E0%A4%A', /neither JSON nor URL-encoded/],
    ['an array', '[]', /must be a JSON object/],
    ['no Statement', '{}', /no Statement/],
    ['a bad Effect', { Statement: { Effect: 'Maybe', Action: '*', Resource: '*' } }, /statement 1: Effect must be Allow or Deny/],
    ['Action and NotAction', { Statement: [{ Effect: 'Allow', Action: '*', NotAction: '*', Resource: '*' }] }, /statement 1: has both Action and NotAction/],
    ['no Action', { Statement: [{ Effect: 'Allow', Resource: '*' }] }, /has neither Action nor NotAction/],
    ['a number as Action', { Statement: [{ Effect: 'Allow', Action: 3, Resource: '*' }] }, /Action must hold non-empty strings, found 3/],
    ['an empty Resource list', { Statement: [{ Effect: 'Allow', Action: '*', Resource: [] }] }, /Resource is an empty list/],
    ['an unknown principal type', { Statement: [{ Effect: 'Allow', Action: '*', Principal: { Robot: 'x' } }] }, /unknown principal type "Robot"/],
    ['a nested condition value', { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { k: [{}] } } }] }, /must hold strings/],
  ])('rejects %s with a clear error', (_, input, message) => {
    expect(() => parsePolicyDocument(input)).toThrow(PolicyDocumentError);
    expect(() => parsePolicyDocument(input)).toThrow(message);
  });

  describe('fuzzed bad documents', () => {
    const expectOnlyPolicyErrors = (input: string | object): void => {
      try {
        parsePolicyDocument(input);
      } catch (err) {
        expect(err).toBeInstanceOf(PolicyDocumentError);
        expect((err as Error).message.length).toBeGreaterThan(5);
      }
    };

    it('arbitrary strings throw nothing but PolicyDocumentError', () => {
      fc.assert(fc.property(fc.string(), (s) => expectOnlyPolicyErrors(s)), { numRuns: 1000 });
      fc.assert(fc.property(fc.string(), (s) => expectOnlyPolicyErrors(encodeURIComponent(s))), { numRuns: 300 });
    });

    it('arbitrary JSON values throw nothing but PolicyDocumentError', () => {
      fc.assert(fc.property(fc.jsonValue(), (v) => expectOnlyPolicyErrors(JSON.stringify(v) ?? 'null')), { numRuns: 1000 });
    });

    it('statement-shaped objects with wrong types throw nothing but PolicyDocumentError', () => {
      const anyValue = fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.constantFrom('Allow', 'Deny', '*', 's3:Get*'));
      const statement = fc.record(
        { Effect: anyValue, Action: anyValue, NotAction: anyValue, Resource: anyValue, NotResource: anyValue, Principal: anyValue, Condition: anyValue, Sid: anyValue },
        { requiredKeys: [] },
      );
      fc.assert(
        fc.property(fc.oneof(statement, fc.array(statement, { maxLength: 3 })), fc.oneof(fc.constant('2012-10-17'), anyValue), (Statement, Version) =>
          expectOnlyPolicyErrors({ Version, Statement }),
        ),
        { numRuns: 2000 },
      );
    });
  });
});
