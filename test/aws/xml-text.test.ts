import { describe, expect, it } from 'vitest';
import { longTextsAsCdata } from '../../src/aws/xml-text.js';

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
