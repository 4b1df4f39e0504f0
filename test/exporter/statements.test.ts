import { describe, expect, it } from 'vitest';
import { canonicalDocument, sameDocument } from '../../src/exporter/documents.js';
import { statementsFor, type StatementTarget } from '../../src/exporter/statements.js';
import type { WhatItem } from '../../src/model/index.js';
import { loadS3Permissions } from '../../src/policy/index.js';
import { ACCOUNT, REGION, apArn, obj } from './scenario.js';

async function write(what: WhatItem[], target: StatementTarget = { kind: 'identity' }, effect: 'Allow' | 'Deny' = 'Allow') {
  return statementsFor({ what, effect, accountId: ACCOUNT, partition: 'aws', permissions: await loadS3Permissions(), target });
}

describe('statements from what', () => {
  it('file -> the object ARN', async () => {
    expect(await write([{ dataObject: obj('sales/2026/orders.csv', 'file'), permissions: ['s3:GetObject'] }])).toEqual({
      statements: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::sales/2026/orders.csv' }],
      errors: [],
    });
  });

  it('folder -> object actions on p/*, bucket-level actions on the bucket limited by the s3:prefix condition', async () => {
    expect(await write([{ dataObject: obj('sales/2026', 'folder'), permissions: ['s3:GetObject', 's3:ListBucket', 's3:PutObject'] }])).toEqual({
      statements: [
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::sales/2026/*' },
        { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::sales', Condition: { StringLike: { 's3:prefix': '2026/*' } } },
      ],
      errors: [],
    });
  });

  it('bucket -> bucket-level actions on the bucket ARN, object actions on bucket/*', async () => {
    expect(await write([{ dataObject: obj('sales'), permissions: ['s3:GetObject', 's3:ListBucket'] }])).toEqual({
      statements: [
        { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::sales/*' },
        { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::sales' },
      ],
      errors: [],
    });
  });

  it('the account -> * for the permissions asked', async () => {
    expect(await write([{ dataObject: obj('', 'datasource'), permissions: ['s3:ListAllMyBuckets', 's3:GetObject'] }])).toEqual({
      statements: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListAllMyBuckets'], Resource: '*' }],
      errors: [],
    });
  });

  it('merges identical action sets into one statement and never writes a wildcard action', async () => {
    const { statements } = await write([
      { dataObject: obj('a/x.csv', 'file'), permissions: ['s3:GetObject'] },
      { dataObject: obj('b/y.csv', 'file'), permissions: ['s3:GetObject'] },
      { dataObject: obj('c'), permissions: ['s3:GetObject', 's3:PutObject'] },
    ]);
    expect(statements).toEqual([
      { Effect: 'Allow', Action: 's3:GetObject', Resource: ['arn:aws:s3:::a/x.csv', 'arn:aws:s3:::b/y.csv'] },
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::c/*' },
    ]);
    const actions = statements.flatMap((st) => [st.Action].flat());
    expect(actions.filter((a) => /[*?]/.test(a))).toEqual([]);
  });

  it('refuses what cannot be written exactly: a bucket-level action on a file, an unknown permission, a column, another account', async () => {
    const { statements, errors } = await write([
      { dataObject: obj('sales/a.csv', 'file'), permissions: ['s3:ListBucket', 's3:GetObjekt'] },
      { dataObject: { fullName: `${ACCOUNT}:${REGION}:sales/t#col`, type: 'column' }, permissions: ['s3:GetObject'] },
      { dataObject: { fullName: `999988887777:${REGION}:other`, type: 'bucket' }, permissions: ['s3:GetObject'] },
    ]);
    expect(statements).toEqual([]);
    expect(errors).toEqual([
      `s3:ListBucket cannot be granted on file ${ACCOUNT}:${REGION}:sales/a.csv (it applies to accesspoint, bucket)`,
      `s3:GetObjekt on ${ACCOUNT}:${REGION}:sales/a.csv is not an S3 permission the connector knows`,
      `${ACCOUNT}:${REGION}:sales/t#col is a column: AWS cannot grant access to single columns through IAM`,
      `999988887777:${REGION}:other belongs to account 999988887777, not to this account ${ACCOUNT}`,
    ]);
  });

  it('writes Deny statements for deny providers', async () => {
    expect((await write([{ dataObject: obj('hr'), permissions: ['s3:GetObject'] }], { kind: 'identity' }, 'Deny')).statements).toEqual([
      { Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::hr/*' },
    ]);
  });

  it('through an access point: access point ARNs, its principals, one bucket only', async () => {
    const arn = apArn('sales-ap');
    const target: StatementTarget = { kind: 'access-point', arn, principals: ['arn:aws:iam::111122223333:user/bob', 'arn:aws:iam::111122223333:user/alice'] };
    expect(await write([{ dataObject: obj('sales/2026', 'folder'), permissions: ['s3:GetObject', 's3:ListBucket'] }], target)).toEqual({
      statements: [
        { Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111122223333:user/alice', 'arn:aws:iam::111122223333:user/bob'] }, Action: 's3:GetObject', Resource: `${arn}/object/2026/*` },
        {
          Effect: 'Allow',
          Principal: { AWS: ['arn:aws:iam::111122223333:user/alice', 'arn:aws:iam::111122223333:user/bob'] },
          Action: 's3:ListBucket',
          Resource: arn,
          Condition: { StringLike: { 's3:prefix': '2026/*' } },
        },
      ],
      errors: [],
    });
    const two = await write(
      [
        { dataObject: obj('sales'), permissions: ['s3:GetObject'] },
        { dataObject: obj('hr'), permissions: ['s3:GetObject'] },
      ],
      target,
    );
    expect(two.errors).toEqual(['an access point serves one bucket, but the what names buckets sales and hr']);
  });
});

describe('documents compared by meaning', () => {
  const a = { Version: '2012-10-17', Statement: [{ Sid: 'one', Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject'], Resource: 'arn:aws:s3:::b/*' }, { Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' }] };
  const b = { Version: '2012-10-17', Statement: [{ Effect: 'deny', Action: ['s3:deleteobject'], Resource: ['*'] }, { Effect: 'ALLOW', Action: ['s3:GetObject', 's3:PutObject', 's3:GetObject'], Resource: ['arn:aws:s3:::b/*'] }] };

  it('ignores order, Effect case, single values vs lists, Sid and URL encoding', () => {
    expect(sameDocument(encodeURIComponent(JSON.stringify(a)), b)).toBe(true);
    expect(canonicalDocument(a)).toBe(canonicalDocument(JSON.stringify(b)));
  });

  it('sees a different resource, action, principal or condition', () => {
    expect(sameDocument(a, { ...a, Statement: [a.Statement[0], { Effect: 'Deny', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::x' }] })).toBe(false);
    expect(sameDocument({ Statement: { Effect: 'Allow', Principal: { AWS: 'x' }, Action: 'sts:AssumeRole' } }, { Statement: { Effect: 'Allow', Principal: { AWS: 'y' }, Action: 'sts:AssumeRole' } })).toBe(false);
    expect(sameDocument(undefined, a)).toBe(false);
    expect(sameDocument('not json', a)).toBe(false);
  });
});
