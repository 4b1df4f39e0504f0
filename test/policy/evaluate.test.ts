import { beforeAll, describe, expect, it } from 'vitest';
import { parsePolicyDocument } from '../../src/policy/document.js';
import { AccessDraft, evaluatePolicy, type EvaluationContext } from '../../src/policy/evaluate.js';
import { evaluationContext, fn } from './fixtures.js';

let ctx: EvaluationContext;
beforeAll(async () => {
  ctx = await evaluationContext();
});

async function evaluate(statements: object[], label?: string): Promise<{ draft: AccessDraft; grant: string[]; deny: string[]; grantReasons: string[]; denyReasons: string[] }> {
  const draft = new AccessDraft();
  await evaluatePolicy(parsePolicyDocument({ Version: '2012-10-17', Statement: statements }), ctx, draft, label);
  const show = (items: ReturnType<typeof draft.grant.items>): string[] =>
    items.map((i) => `${i.dataObject.type} ${i.dataObject.fullName}${i.conditional ? ' (conditional)' : ''}: ${i.permissions.join(' ')}`);
  return { draft, grant: show(draft.grant.items()), deny: show(draft.deny.items()), grantReasons: draft.grantReasons.messages(), denyReasons: draft.denyReasons.messages() };
}

const allow = (Action: string | string[], Resource: string | string[], extra: object = {}): object => ({ Effect: 'Allow', Action, Resource, ...extra });
const deny = (Action: string | string[], Resource: string | string[], extra: object = {}): object => ({ Effect: 'Deny', Action, Resource, ...extra });

describe('evaluatePolicy: hand-checked scenarios', () => {
  it.each([
    {
      name: 'object read on a folder',
      statements: [allow('s3:GetObject', 'arn:aws:s3:::acme-sales/reports/*')],
      grant: [`folder ${fn.sales}/reports: s3:GetObject`],
    },
    {
      name: 'actions in any case, with ?',
      statements: [allow(['S3:LISTBUCKET', 's3:get?bject'], ['arn:aws:s3:::acme-sales', 'arn:aws:s3:::acme-sales/*'])],
      grant: [`bucket ${fn.sales}: s3:GetObject s3:ListBucket`],
    },
    {
      name: 'ListBucket is not a folder permission; GetObject does not apply to a bucket ARN',
      statements: [allow(['s3:ListBucket', 's3:GetObject'], 'arn:aws:s3:::acme-sales/reports/*'), allow('s3:GetObject', 'arn:aws:s3:::acme-hr')],
      grant: [`folder ${fn.sales}/reports: s3:GetObject`],
      grantReasons: ['statement 2 allows S3 actions that apply to none of its resources (arn:aws:s3:::acme-hr)'],
    },
    {
      name: 'statements on one data object merge, sorted and unique',
      statements: [allow(['s3:PutObject', 's3:GetObject'], 'arn:aws:s3:::acme-hr/*'), allow(['s3:GetObject', 's3:DeleteObject'], 'arn:aws:s3:::acme-hr/*')],
      grant: [`bucket ${fn.hr}: s3:DeleteObject s3:GetObject s3:PutObject`],
    },
    {
      name: 'a file',
      statements: [allow('s3:GetObject', 'arn:aws:s3:::acme-logs/2024/app.log')],
      grant: [`file ${fn.logs}/2024/app.log: s3:GetObject`],
    },
    {
      name: 'Deny beside Allow',
      statements: [allow('s3:GetObject', 'arn:aws:s3:::acme-hr/*'), deny('s3:GetObject', 'arn:aws:s3:::acme-hr/salaries/*')],
      grant: [`bucket ${fn.hr}: s3:GetObject`],
      deny: [`folder ${fn.hr}/salaries: s3:GetObject`],
    },
    {
      name: 'a condition keeps the permissions, marked conditional, with one reason per condition',
      statements: [allow('s3:PutObject', 'arn:aws:s3:::acme-sales/*', { Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-1', 's3:x-amz-acl': 'private' }, Bool: { 'aws:SecureTransport': 'true' } } })],
      grant: [`bucket ${fn.sales} (conditional): s3:PutObject`],
      grantReasons: [
        'policy P statement 1 has condition StringEquals aws:SourceVpc; its permissions are marked conditional',
        'policy P statement 1 has condition StringEquals s3:x-amz-acl; its permissions are marked conditional',
        'policy P statement 1 has condition Bool aws:SecureTransport; its permissions are marked conditional',
      ],
      label: 'policy P',
      incomplete: true,
    },
    {
      name: 'an unconditional permission is not repeated as conditional',
      statements: [allow(['s3:GetObject', 's3:PutObject'], 'arn:aws:s3:::acme-sales/*', { Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }), allow('s3:GetObject', 'arn:aws:s3:::acme-sales/*')],
      grant: [`bucket ${fn.sales}: s3:GetObject`, `bucket ${fn.sales} (conditional): s3:PutObject`],
      grantReasons: ['statement 1 has condition IpAddress aws:SourceIp; its permissions are marked conditional'],
      incomplete: true,
    },
    {
      name: 'ListBucket with a prefix condition: the bucket and a reason',
      statements: [allow('s3:ListBucket', 'arn:aws:s3:::acme-sales', { Sid: 'ListReports', Condition: { StringLike: { 's3:prefix': ['reports/*'] } } })],
      grant: [`bucket ${fn.sales} (conditional): s3:ListBucket`],
      grantReasons: [
        'statement 1 (ListReports) has condition StringLike s3:prefix; its permissions are marked conditional',
        `statement 1 (ListReports) limits s3:ListBucket to prefix reports/* (StringLike s3:prefix); it is shown on the bucket ${fn.sales}`,
      ],
      incomplete: true,
    },
    {
      name: 'NotResource: everything but one bucket',
      statements: [{ Effect: 'Allow', Action: 's3:GetObject', NotResource: ['arn:aws:s3:::acme-hr', 'arn:aws:s3:::acme-hr/*'] }],
      grant: [`bucket ${fn.sales}: s3:GetObject`, `bucket ${fn.logs}: s3:GetObject`],
    },
    {
      name: 'NotResource on a Deny is computed the same way',
      statements: [{ Effect: 'Deny', Action: ['s3:DeleteObject', 's3:ListAllMyBuckets'], NotResource: 'arn:aws:s3:::acme-logs/*' }],
      deny: [`datasource ${fn.ds}: s3:ListAllMyBuckets`, `bucket ${fn.sales}: s3:DeleteObject`, `bucket ${fn.hr}: s3:DeleteObject`],
    },
    {
      name: 'NotAction s3:* on a Deny denies only other services (counted)',
      statements: [{ Effect: 'Deny', NotAction: ['s3:*', 's3:NoSuchThing'], Resource: 'arn:aws:s3:::acme-hr/*' }],
      deny: [],
      denyReasons: ['statement 1 NotAction names s3:NoSuchThing, which matches no known action; it excludes nothing'],
      manyOther: true,
    },
    {
      name: 'an unknown bucket is kept as a reason',
      statements: [allow('s3:GetObject', ['arn:aws:s3:::acme-archive/*', 'arn:aws:s3:::acme-hr/*'])],
      grant: [`bucket ${fn.hr}: s3:GetObject`],
      grantReasons: ["statement 1: arn:aws:s3:::acme-archive/* names bucket acme-archive, which is not in this account's bucket list; its permissions are not shown"],
      incomplete: true,
    },
    {
      name: 'an unknown action allows nothing and says so',
      statements: [allow(['s3:GetObjekt', 's3:GetObject'], 'arn:aws:s3:::acme-hr/*')],
      grant: [`bucket ${fn.hr}: s3:GetObject`],
      grantReasons: ['statement 1 names s3:GetObjekt, which matches no known action; it allows nothing'],
      incomplete: false,
    },
    {
      name: 'non-S3 actions are left out and counted',
      statements: [allow(['ec2:DescribeInstances', 'ec2:StartInstances'], '*')],
      grant: [],
      other: 2,
    },
  ])('$name', async ({ statements, grant = [], deny: denied = [], grantReasons = [], denyReasons = [], label, incomplete, other, manyOther }) => {
    const result = await evaluate(statements, label);
    expect(result.grant).toEqual(grant);
    expect(result.deny).toEqual(denied);
    expect(result.grantReasons).toEqual(grantReasons);
    expect(result.denyReasons).toEqual(denyReasons);
    if (incomplete !== undefined) expect(result.draft.grantReasons.incomplete).toBe(incomplete);
    if (other !== undefined) expect(result.draft.otherServiceActions).toBe(other);
    if (manyOther) expect(result.draft.otherServiceActions).toBeGreaterThan(10_000);
  });

  it('Allow * on * is every S3 permission on the datasource, the rest counted', async () => {
    const result = await evaluate([allow('*', '*')]);
    const [item] = result.draft.grant.items();
    expect(item?.dataObject).toEqual({ fullName: fn.ds, type: 'datasource' });
    expect(item?.permissions).toHaveLength(ctx.actions.s3.all.length);
    expect(result.draft.otherServiceActions).toBeGreaterThan(10_000);
  });

  it('arn:aws:s3:::* is bucket and object permissions on the datasource, without account-level ones', async () => {
    const result = await evaluate([allow('s3:*', 'arn:aws:s3:::*')]);
    const [item] = result.draft.grant.items();
    expect(item?.dataObject.type).toBe('datasource');
    expect(item?.permissions).toContain('s3:GetObject');
    expect(item?.permissions).toContain('s3:ListBucket');
    expect(item?.permissions).not.toContain('s3:ListAllMyBuckets');
    expect(item?.permissions).not.toContain('s3:CreateJob');
  });

  it('NotAction on an Allow grants every other S3 action, limited to what the data object type carries', async () => {
    const result = await evaluate([{ Effect: 'Allow', NotAction: ['s3:Delete*', 'iam:*'], Resource: 'arn:aws:s3:::acme-sales/reports/*' }]);
    const [item] = result.draft.grant.items();
    expect(item?.dataObject).toEqual({ fullName: `${fn.sales}/reports`, type: 'folder' });
    expect(item?.permissions).toContain('s3:GetObject');
    expect(item?.permissions).toContain('s3:PutObject');
    expect(item?.permissions).not.toContain('s3:DeleteObject');
    expect(item?.permissions).not.toContain('s3:ListBucket');
    const folderPermissions = new Set(ctx.actions.s3.forType('folder').map((p) => p.action));
    for (const p of item?.permissions ?? []) expect(folderPermissions.has(p)).toBe(true);
    expect(result.draft.otherServiceActions).toBeGreaterThan(10_000);
  });

  it('a Deny of s3:* on one bucket denies bucket and object permissions there', async () => {
    const result = await evaluate([deny('s3:*', ['arn:aws:s3:::acme-hr', 'arn:aws:s3:::acme-hr/*'])]);
    const [item] = result.draft.deny.items();
    expect(item?.dataObject).toEqual({ fullName: fn.hr, type: 'bucket' });
    expect(item?.permissions).toEqual(ctx.actions.s3.forType('bucket').filter((p) => p.resourceTypes.includes('bucket') || p.resourceTypes.includes('object')).map((p) => p.action).sort());
    expect(result.draft.denyStatementsOnS3).toBe(1);
  });
});

describe('NotResource and the S3 resource types that are no data objects: placed on the account, as under Resource "*"', () => {
  it.each([
    ['s3:DescribeJob', 'job'],
    ['s3:GetStorageLensConfiguration', 'storagelensconfiguration'],
    ['s3:GetStorageLensGroup', 'storagelensgroup'],
    ['s3:GetAccessGrant', 'accessgrant'],
    ['s3:GetAccessGrantsInstance', 'accessgrantsinstance'],
    ['s3:GetAccessGrantsLocation', 'accessgrantslocation'],
    ['s3:GetMultiRegionAccessPoint', 'multiregionaccesspoint'],
    ['s3:DescribeMultiRegionAccessPointOperation', 'multiregionaccesspointrequestarn'],
    ['s3:GetAccessPointForObjectLambda', 'objectlambdaaccesspoint'],
    ['s3:GetAccessPointPolicy', 'accesspoint'],
  ])('%s (%s), for Allow and Deny', async (action) => {
    for (const Effect of ['Allow', 'Deny'] as const) {
      const draft = new AccessDraft();
      await evaluatePolicy(parsePolicyDocument({ Statement: [{ Effect, Action: [action, 's3:GetObject'], NotResource: 'arn:aws:s3:::acme-hr/*' }] }), ctx, draft);
      const items = (Effect === 'Allow' ? draft.grant : draft.deny).items().map((i) => `${i.dataObject.type} ${i.dataObject.fullName}: ${i.permissions.join(' ')}`);
      // The action on the account; GetObject only where NotResource leaves room (not acme-hr).
      expect(items).toEqual([`datasource ${fn.ds}: ${action}`, `bucket ${fn.sales}: s3:GetObject`, `bucket ${fn.logs}: s3:GetObject`]);
    }
  });

  it('excluding the type itself leaves nothing on the account', async () => {
    const draft = new AccessDraft();
    await evaluatePolicy(parsePolicyDocument({ Statement: [{ Effect: 'Deny', Action: 's3:DescribeJob', NotResource: ['arn:aws:s3:*:*:job/*'] }] }), ctx, draft);
    expect(draft.deny.items()).toEqual([]);
  });
});
