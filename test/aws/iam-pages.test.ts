import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prepareAuthorizationDetails, plainDocument } from '../../src/aws/iam-pages.js';
import { parsePolicyDocument } from '../../src/policy/index.js';

const encoded = (document: unknown) => encodeURIComponent(JSON.stringify(document));

/** What reading a text gives: the document, or the error's message. */
function read(text: string): unknown {
  try {
    return parsePolicyDocument(text);
  } catch (err) {
    return `error: ${(err as Error).message}`;
  }
}

describe('policy documents as IAM sends them, as plain JSON text', () => {
  it('decodes what IAM URL-encodes, once: a literal %41 in a resource stays %41', () => {
    const document = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::sales/100%41 done/*' }] };
    const text = plainDocument(encoded(document));
    expect(text).toBe(JSON.stringify(document));
    expect(read(text!)).toEqual(read(encoded(document)));
    // Decoding again would have made it "100A done".
    expect(parsePolicyDocument(text!).statements[0]?.resources).toEqual(['arn:aws:s3:::sales/100%41 done/*']);
  });

  it('leaves JSON text, text that does not decode and text that is no JSON object as IAM sent it', () => {
    const json = '{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::sales/100%41 done/*"}]}';
    expect(plainDocument(json)).toBe(json);
    expect(plainDocument('%E0%A4%A')).toBe('%E0%A4%A');
    expect(plainDocument('%5B%5D')).toBe('%5B%5D');
    expect(plainDocument(undefined)).toBeUndefined();
  });

  it('reads to the same document, or the same error, as the text IAM sent, whatever that text is', () => {
    const statement = fc.record({ Effect: fc.constantFrom('Allow', 'Deny', 'allow', 'Maybe'), Action: fc.oneof(fc.string(), fc.array(fc.string())), Resource: fc.string() });
    const document = fc.oneof(fc.record({ Version: fc.constant('2012-10-17'), Statement: fc.array(statement) }), fc.array(fc.string()), fc.string());
    const text = fc.oneof(document.map((d) => encoded(d)), document.map((d) => JSON.stringify(d)), fc.string(), fc.string().map((s) => `%${s}`), document.map((d) => `  ${encoded(d)}`));
    fc.assert(
      fc.property(text, (t) => {
        expect(read(plainDocument(t)!)).toEqual(read(t));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps the default version of each managed policy and decodes the four kinds of documents of a page of authorization details; a second time changes nothing', () => {
    const trust = { Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'glue.amazonaws.com' } }] };
    const allow = (resource: string) => ({ Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: resource }] });
    const page = {
      UserDetailList: [{ UserName: 'alice', UserPolicyList: [{ PolicyName: 'own', PolicyDocument: encoded(allow('arn:aws:s3:::a/*')) }] }],
      GroupDetailList: [{ GroupName: 'analysts', GroupPolicyList: [{ PolicyName: 'shared', PolicyDocument: encoded(allow('arn:aws:s3:::g/*')) }] }],
      RoleDetailList: [{ RoleName: 'etl', AssumeRolePolicyDocument: encoded(trust), RolePolicyList: [{ PolicyName: 'inline', PolicyDocument: encoded(allow('arn:aws:s3:::r/*')) }] }],
      Policies: [
        {
          PolicyName: 'read',
          PolicyVersionList: [
            { VersionId: 'v3', IsDefaultVersion: false, Document: encoded(allow('arn:aws:s3:::p3/*')) },
            { VersionId: 'v2', IsDefaultVersion: true, Document: encoded(allow('arn:aws:s3:::p/*')) },
            { VersionId: 'v1', IsDefaultVersion: false, Document: encoded(allow('arn:aws:s3:::p1/*')) },
          ],
        },
        // No version flagged as the default: the one DefaultVersionId names.
        { PolicyName: 'write', DefaultVersionId: 'v1', PolicyVersionList: [{ VersionId: 'v2', Document: encoded(allow('arn:aws:s3:::w2/*')) }, { VersionId: 'v1', Document: encoded(allow('arn:aws:s3:::w/*')) }] },
      ],
    };
    prepareAuthorizationDetails(page);
    const once = structuredClone(page);
    expect(page.UserDetailList[0]!.UserPolicyList[0]!.PolicyDocument).toBe(JSON.stringify(allow('arn:aws:s3:::a/*')));
    expect(page.GroupDetailList[0]!.GroupPolicyList[0]!.PolicyDocument).toBe(JSON.stringify(allow('arn:aws:s3:::g/*')));
    expect(page.RoleDetailList[0]!.AssumeRolePolicyDocument).toBe(JSON.stringify(trust));
    expect(page.RoleDetailList[0]!.RolePolicyList[0]!.PolicyDocument).toBe(JSON.stringify(allow('arn:aws:s3:::r/*')));
    expect(page.Policies.map((p) => p.PolicyVersionList.map((v) => [v.VersionId, v.Document]))).toEqual([
      [['v2', JSON.stringify(allow('arn:aws:s3:::p/*'))]],
      [['v1', JSON.stringify(allow('arn:aws:s3:::w/*'))]],
    ]);
    prepareAuthorizationDetails(page);
    expect(page).toEqual(once);
  });
});
