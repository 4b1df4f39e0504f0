import { GetAccountAuthorizationDetailsCommand, IAMClient } from '@aws-sdk/client-iam';
import fc from 'fast-check';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { documentTextsAsCdata, longTextsAsCdata } from '../../src/aws/xml-text.js';

const rewrite = (xml: string, minBytes = 8): string => Buffer.from(longTextsAsCdata(Buffer.from(xml), minBytes)).toString();
const base64 = Buffer.from('user,arn,mfa_active\nalice,arn:aws:iam::111122223333:user/alice,false\n').toString('base64');

describe('long texts of an XML answer as CDATA', () => {
  it('writes the credential report base64 as CDATA and leaves the root element with its xmlns and the short texts alone', () => {
    const xml = `<GetCredentialReportResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetCredentialReportResult><Content>${base64}</Content><ReportFormat>text/csv</ReportFormat></GetCredentialReportResult></GetCredentialReportResponse>`;
    expect(rewrite(xml, 64)).toBe(xml.replace(`<Content>${base64}</Content>`, `<Content><![CDATA[${base64}]]></Content>`));
  });

  it('leaves text with an entity, text with ]]> and text followed by a child element as it is', () => {
    const xml = '<a><b>x &amp; y and more</b><c>12345678]]>9</c><d>123456789<e/></d></a>';
    expect(rewrite(xml)).toBe(xml);
  });

  it('reads an attribute value that holds > as part of its tag', () => {
    const xml = `<a note="1 > 0, and a long value"><b>${'x'.repeat(20)}</b></a>`;
    expect(rewrite(xml)).toBe(`<a note="1 > 0, and a long value"><b><![CDATA[${'x'.repeat(20)}]]></b></a>`);
  });

  it('leaves a body with comments, CDATA, a declaration or a tag that does not end exactly as it came', () => {
    for (const xml of [`<a><!-- c --><b>${'x'.repeat(20)}</b></a>`, `<?xml version="1.0"?><a><b>${'x'.repeat(20)}</b></a>`, `<a><b>${'x'.repeat(20)}</b><c`, `<a x="${'y'.repeat(20)}><b>1</b></a>`]) {
      const body = Buffer.from(xml);
      expect(longTextsAsCdata(body, 8)).toBe(body);
    }
  });

  it('keeps the bytes of text in other scripts', () => {
    const xml = `<a><b>${'ü€😀'.repeat(10)}</b></a>`;
    expect(rewrite(xml)).toBe(`<a><b><![CDATA[${'ü€😀'.repeat(10)}]]></b></a>`);
  });
});

describe('policy documents of an IAM page as CDATA', () => {
  const encoded = (statement: object): string => encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [statement] }));
  const managed = encoded({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::sales/*' });
  const trust = encoded({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'glue.amazonaws.com' } });
  const inline = encoded({ Effect: 'Deny', Action: 's3:*', Resource: '*' });
  const cdata = (text: string): string => `<![CDATA[${text}]]>`;
  const rewrite = (xml: string, minBytes?: number): string => Buffer.from(documentTextsAsCdata(Buffer.from(xml), minBytes)).toString();

  it('writes Document, PolicyDocument and AssumeRolePolicyDocument as CDATA, and nothing else', () => {
    const description = 'x'.repeat(300);
    const xml = `<GetAccountAuthorizationDetailsResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetAccountAuthorizationDetailsResult><RoleDetailList><member><RoleName>etl</RoleName><Description>${description}</Description><AssumeRolePolicyDocument>${trust}</AssumeRolePolicyDocument><RolePolicyList><member><PolicyName>own</PolicyName><PolicyDocument>${inline}</PolicyDocument></member></RolePolicyList></member></RoleDetailList><Policies><member><PolicyVersionList><member><Document>${managed}</Document></member></PolicyVersionList></member></Policies></GetAccountAuthorizationDetailsResult></GetAccountAuthorizationDetailsResponse>`;
    const expected = xml
      .replace(`<AssumeRolePolicyDocument>${trust}<`, `<AssumeRolePolicyDocument>${cdata(trust)}<`)
      .replace(`<PolicyDocument>${inline}<`, `<PolicyDocument>${cdata(inline)}<`)
      .replace(`<Document>${managed}<`, `<Document>${cdata(managed)}<`);
    expect(rewrite(xml)).toBe(expected);
  });

  it('leaves short documents, documents with an entity or ]]>, text that only holds the word, and an element with children', () => {
    const xml = [
      '<a>',
      '<Document>%7B%7D</Document>',
      `<Document>{"Statement":"a &amp; b ${'y'.repeat(80)}"}</Document>`,
      `<Document>${'z'.repeat(80)}]]>${'z'.repeat(10)}</Document>`,
      `<Description>see the PolicyDocument> element, ${'w'.repeat(80)}</Description>`,
      `<PolicyDocument>${'v'.repeat(80)}<Inner/></PolicyDocument>`,
      `<Document>${'u'.repeat(80)}</OtherDocument>`,
      '</a>',
    ].join('');
    expect(rewrite(xml)).toBe(xml);
  });

  it('takes a leading XML declaration; a comment, CDATA, DOCTYPE or another processing instruction leaves the body as it came', () => {
    const document = `<Document>${managed}</Document>`;
    expect(rewrite(`<?xml version="1.0"?><a>${document}</a>`)).toBe(`<?xml version="1.0"?><a><Document>${cdata(managed)}</Document></a>`);
    for (const xml of [`<a><!-- c -->${document}</a>`, `<a><![CDATA[x]]>${document}</a>`, `<!DOCTYPE a><a>${document}</a>`, `<a><?pi x?>${document}</a>`, `<?xml version="1.0"?><a><?pi?>${document}</a>`]) {
      const body = Buffer.from(xml);
      expect(documentTextsAsCdata(body)).toBe(body);
    }
  });

  it('gives the SDK the very same output for any document text, escaped as XML escapes it', async () => {
    const answer = (body: string) => ({
      handle: async () => ({ response: { statusCode: 200, headers: { 'content-type': 'text/xml' }, body: Readable.from([Buffer.from(body)]) } }),
      updateHttpClientConfig() {},
      httpHandlerConfigs: () => ({}),
    });
    const read = (body: string) => new IAMClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1, requestHandler: answer(body) }).send(new GetAccountAuthorizationDetailsCommand({}));
    const xmlText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const page = (documents: string[]): string =>
      `<GetAccountAuthorizationDetailsResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetAccountAuthorizationDetailsResult><Policies>${documents
        .map((d, i) => `<member><PolicyName>p${i}</PolicyName><PolicyVersionList><member><Document>${d}</Document></member></PolicyVersionList></member>`)
        .join('')}</Policies><RoleDetailList><member><RoleName>r</RoleName><AssumeRolePolicyDocument>${documents[0] ?? ''}</AssumeRolePolicyDocument></member></RoleDetailList></GetAccountAuthorizationDetailsResult></GetAccountAuthorizationDetailsResponse>`;
    // Texts as IAM writes them (URL-encoded JSON), and any text at all (with < > & ]]> and line breaks), escaped.
    const text = fc.oneof(fc.json().map((j) => encodeURIComponent(j)), fc.string({ unit: fc.constantFrom('a', ' ', '\n', '\r', '<', '>', '&', ']', '%', '"', 'é', 'Document>'), maxLength: 120 }).map(xmlText));
    await fc.assert(
      fc.asyncProperty(fc.array(text, { minLength: 1, maxLength: 4 }), async (documents) => {
        const xml = page(documents);
        const rewritten = Buffer.from(documentTextsAsCdata(Buffer.from(xml), 1)).toString();
        expect(await read(rewritten)).toEqual(await read(xml));
      }),
      { numRuns: 150 },
    );
  });
});
