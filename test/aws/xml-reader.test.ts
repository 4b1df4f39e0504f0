import { GetAccountAuthorizationDetailsCommand, GetCredentialReportCommand, IAMClient } from '@aws-sdk/client-iam';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { GlueClient } from '@aws-sdk/client-glue';
import fc from 'fast-check';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { readXml, useXmlReader } from '../../src/aws/xml-reader.js';
import { inMemoryEndpoint } from '../helpers/aws-endpoint.js';

const credentials = { accessKeyId: 'a', secretAccessKey: 'b' };
const answering = (body: string) => inMemoryEndpoint([{ status: 200, body }]);

/** The SDK's own reading of an XML text (parseXML, then its text-node folding), from a client left as it is. */
const sdkDeserializer = (new IAMClient({ region: 'us-east-1', credentials }).config as unknown as { protocol: { deserializer: { parseXml(xml: string): unknown } } }).protocol.deserializer;
const sdkRead = (xml: string): { value?: unknown; error?: string } => {
  try {
    return { value: sdkDeserializer.parseXml(xml) };
  } catch (err) {
    return { error: (err as Error).message };
  }
};
/** Equal values with their keys in the same order (JSON keeps the order; toStrictEqual checks the rest). */
const expectSame = (ours: unknown, sdk: unknown) => {
  expect(JSON.stringify(ours)).toBe(JSON.stringify(sdk));
  expect(ours).toStrictEqual(sdk);
};

// A page as IAM writes it: indented, with an XML declaration, dates, numbers, booleans, tags,
// instance profiles holding roles, entities in a description, and the URL-encoded documents.
const document = encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::sales/*' }] }));
const gaadPage = `<?xml version="1.0" encoding="UTF-8"?>
<GetAccountAuthorizationDetailsResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <GetAccountAuthorizationDetailsResult>
    <IsTruncated>true</IsTruncated>
    <Marker>page-2&amp;more</Marker>
    <UserDetailList>
      <member>
        <Path>/</Path>
        <UserName>alice</UserName>
        <UserId>AIDAEXAMPLE1</UserId>
        <Arn>arn:aws:iam::111122223333:user/alice</Arn>
        <CreateDate>2024-03-01T10:00:00Z</CreateDate>
        <GroupList>
          <member>analysts</member>
        </GroupList>
        <AttachedManagedPolicies>
          <member>
            <PolicyName>read-sales</PolicyName>
            <PolicyArn>arn:aws:iam::111122223333:policy/read-sales</PolicyArn>
          </member>
        </AttachedManagedPolicies>
        <PermissionsBoundary>
          <PermissionsBoundaryType>PermissionsBoundaryPolicy</PermissionsBoundaryType>
          <PermissionsBoundaryArn>arn:aws:iam::111122223333:policy/boundary</PermissionsBoundaryArn>
        </PermissionsBoundary>
        <Tags>
          <member><Key>email</Key><Value>alice@example.com</Value></member>
          <member><Key>team</Key><Value>R&amp;D &lt;east&gt;</Value></member>
        </Tags>
        <UserPolicyList/>
      </member>
    </UserDetailList>
    <GroupDetailList>
      <member>
        <GroupName>analysts</GroupName>
        <GroupPolicyList>
          <member><PolicyName>inline</PolicyName><PolicyDocument>${document}</PolicyDocument></member>
        </GroupPolicyList>
        <AttachedManagedPolicies/>
      </member>
    </GroupDetailList>
    <RoleDetailList>
      <member>
        <RoleName>etl</RoleName>
        <Path>/service/</Path>
        <AssumeRolePolicyDocument>${document}</AssumeRolePolicyDocument>
        <InstanceProfileList>
          <member>
            <InstanceProfileName>etl-profile</InstanceProfileName>
            <CreateDate>2023-01-02T03:04:05.678Z</CreateDate>
            <Roles>
              <member><RoleName>etl</RoleName><MaxSessionDuration>3600</MaxSessionDuration><CreateDate>2023-01-02T03:04:05Z</CreateDate></member>
            </Roles>
          </member>
        </InstanceProfileList>
        <RoleLastUsed><LastUsedDate>2026-11-29T08:00:00Z</LastUsedDate><Region>eu-central-1</Region></RoleLastUsed>
        <RolePolicyList/>
      </member>
    </RoleDetailList>
    <Policies>
      <member>
        <PolicyName>read-sales</PolicyName>
        <Arn>arn:aws:iam::111122223333:policy/read-sales</Arn>
        <Description>Reads "sales" &amp; nothing else &#x2014; see &#60;wiki&#62;</Description>
        <AttachmentCount>1</AttachmentCount>
        <PermissionsBoundaryUsageCount>0</PermissionsBoundaryUsageCount>
        <IsAttachable>true</IsAttachable>
        <DefaultVersionId>v2</DefaultVersionId>
        <PolicyVersionList>
          <member><Document>${document}</Document><VersionId>v2</VersionId><IsDefaultVersion>true</IsDefaultVersion><CreateDate>2025-05-05T05:05:05Z</CreateDate></member>
          <member><Document><![CDATA[${document}]]></Document><VersionId>v1</VersionId><IsDefaultVersion>false</IsDefaultVersion></member>
        </PolicyVersionList>
      </member>
    </Policies>
  </GetAccountAuthorizationDetailsResult>
  <ResponseMetadata>
    <RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId>
  </ResponseMetadata>
</GetAccountAuthorizationDetailsResponse>
`;

describe('the XML reader of AWS answers', () => {
  it('reads an IAM page exactly as the SDK reads it: the same output, dates, numbers and booleans included', async () => {
    const read = (withReader: boolean) => {
      const client = new IAMClient({ region: 'us-east-1', credentials, maxAttempts: 1, requestHandler: answering(gaadPage) });
      if (withReader) expect(useXmlReader(client)).toBe(true);
      return client.send(new GetAccountAuthorizationDetailsCommand({}));
    };
    const ours = await read(true);
    const { $metadata: _m, ...rest } = ours;
    const { $metadata: _s, ...sdk } = await read(false);
    expectSame(rest, sdk);
    expect(readXml(gaadPage)).not.toBeUndefined();
    expect(ours.Marker).toBe('page-2&more');
    expect(ours.UserDetailList?.[0]?.Tags?.[1]).toEqual({ Key: 'team', Value: 'R&D <east>' });
    expect(ours.UserDetailList?.[0]?.CreateDate).toEqual(new Date('2024-03-01T10:00:00Z'));
    expect(ours.RoleDetailList?.[0]?.InstanceProfileList?.[0]?.Roles?.[0]?.MaxSessionDuration).toBe(3600);
    expect(ours.Policies?.[0]?.Description).toBe('Reads "sales" & nothing else \u2014 see <wiki>');
    expect(ours.Policies?.[0]?.PolicyVersionList?.map((v) => [v.Document, v.IsDefaultVersion])).toEqual([
      [document, true],
      [document, false],
    ]);
  });

  it('reads an S3 listing (REST-XML) as the SDK does, keys with entities included', async () => {
    const listing = `<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>sales</Name><Prefix></Prefix><KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter><IsTruncated>false</IsTruncated><Contents><Key>a&amp;b.csv</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified><ETag>&quot;e1&quot;</ETag><Size>12</Size><StorageClass>STANDARD</StorageClass></Contents><CommonPrefixes><Prefix>2026/</Prefix></CommonPrefixes></ListBucketResult>`;
    const read = (withReader: boolean) => {
      const client = new S3Client({ region: 'eu-central-1', credentials, maxAttempts: 1, requestHandler: answering(listing) });
      if (withReader) expect(useXmlReader(client)).toBe(true);
      return client.send(new ListObjectsV2Command({ Bucket: 'sales' }));
    };
    const ours = await read(true);
    const { $metadata: _m, ...rest } = ours;
    const { $metadata: _s, ...sdk } = await read(false);
    expectSame(rest, sdk);
    expect(ours.Contents?.[0]).toMatchObject({ Key: 'a&b.csv', ETag: '"e1"', Size: 12 });
  });

  it('reads a credential report of several MB of base64 to the very bytes', async () => {
    const csv = Array.from({ length: 60_000 }, (_, u) => `user-${u},arn:aws:iam::111122223333:user/user-${u},${u % 2 === 0}`).join('\n');
    const page = `<GetCredentialReportResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetCredentialReportResult><Content>${Buffer.from(csv).toString('base64')}</Content><ReportFormat>text/csv</ReportFormat><GeneratedTime>2026-11-30T06:00:00Z</GeneratedTime></GetCredentialReportResult></GetCredentialReportResponse>`;
    const client = new IAMClient({ region: 'us-east-1', credentials, maxAttempts: 1, requestHandler: answering(page) });
    useXmlReader(client);
    const read = await client.send(new GetCredentialReportCommand({}));
    expect(Buffer.from(read.Content!).toString()).toBe(csv);
    expect(read.GeneratedTime).toEqual(new Date('2026-11-30T06:00:00Z'));
  });

  it('gives texts that do not keep their page alive: one key kept from each of 200 pages of 75,000 characters holds next to no memory', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const kept: string[] = [];
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let p = 0; p < 200; p++) {
      const contents = Array.from({ length: 1000 }, (_, k) => `<Contents><Key>reports/2026/page-${p}/object-${k}.csv</Key><Size>${k}</Size></Contents>`).join('');
      const page = readXml(`<ListBucketResult>${contents}</ListBucketResult>`) as { Contents: { Key: string }[] };
      kept.push(page.Contents[500]!.Key);
    }
    gc();
    expect(kept[7]).toBe('reports/2026/page-7/object-500.csv');
    // A slice of the page's text would keep each page (about 75,000 characters) alive: 15 MB or more.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(5 << 20);
  });

  it('leaves a client whose answers are not XML as it is', () => {
    const glue = new GlueClient({ region: 'eu-central-1', credentials });
    expect(useXmlReader(glue)).toBe(false);
  });

  it('gives up on what it does not cover (a DOCTYPE, a comment before the root, an unquoted attribute, a name of Object.prototype or #text, a document that is not well formed), so the SDK reads it', () => {
    for (const xml of ['<!DOCTYPE a><a>1</a>', '<!-- c --><a>1</a>', '<a x=1>2</a>', '<a><constructor>1</constructor></a>', '<a><__proto__>1</__proto__></a>', '<a b="1" toString="2"/>', '<a><#text><b>1</b></#text></a>', '<a><b>1</b>', '<a><b>1</c></a>', 'text', '  ']) {
      expect(readXml(xml)).toBeUndefined();
    }
    expect(readXml('')).toEqual({});
  });

  it('reads any document of elements, attributes, text, entities, CDATA, comments and line breaks as the SDK reads it', () => {
    // Now and then a name the reader leaves to the SDK (a name of Object.prototype).
    const rarely = <T>(often: fc.Arbitrary<T>, rare: fc.Arbitrary<T>) => fc.oneof({ weight: 30, arbitrary: often }, { weight: 1, arbitrary: rare });
    const name = rarely(fc.constantFrom('a', 'b', 'member', 'Key', 'Value', 'x1', 'ns:el'), fc.constantFrom('constructor', '#text'));
    const unit = fc.constantFrom('v', ' ', '\n', '\r\n', '\r', '\t', '&amp;', '&lt;', '&#x41;', '&#66;', '&bogus;', '&constructor;', 'é', '😀', '<![CDATA[x<y]]>', '<!-- c -->', '<?pi x?>');
    const text = fc.array(unit, { maxLength: 6 }).map((units) => units.join(''));
    const attribute = fc.tuple(rarely(fc.constantFrom('id', 'xmlns', 'b', '#text'), fc.constant('__proto__')), fc.constantFrom('"', "'"), fc.constantFrom('1', 'a &amp; b', '', 'x>y')).map(([n, q, v]) => ` ${n}=${q}${v}${q}`);
    const { element } = fc.letrec<{ element: string }>((tie) => ({
      element: fc
        .tuple(name, fc.array(attribute, { maxLength: 2 }), fc.array(fc.oneof({ weight: 2, arbitrary: text }, { weight: 3, arbitrary: tie('element') }), { maxLength: 4 }), fc.boolean())
        .map(([tag, attrs, content, selfClosing]) => (selfClosing && content.length === 0 ? `<${tag}${attrs.join('')}/>` : `<${tag}${attrs.join('')}>${content.join('')}</${tag}>`)),
    }));
    const prolog = fc.constantFrom('', '<?xml version="1.0" encoding="UTF-8"?>\n', ' \n', '<?xml version="1.0"?><?other?>');
    let read = 0;
    fc.assert(
      fc.property(prolog, element, fc.constantFrom('', '\n', '<after/>'), (before, root, after) => {
        const xml = `${before}${root}${after}`;
        const ours = readXml(xml);
        const sdk = sdkRead(xml);
        if (ours === undefined) return;
        read++;
        expect(sdk.error).toBeUndefined();
        expectSame(ours, sdk.value);
        // Texts left as views of the page (a worker's tree, copied when handed over) read the same.
        expectSame(readXml(xml, false), sdk.value);
      }),
      { numRuns: 600 },
    );
    // The property is about documents the reader reads, so most of them must be read.
    expect(read).toBeGreaterThan(300);
  });
});
