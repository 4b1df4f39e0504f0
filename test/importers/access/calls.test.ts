import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SyncContext } from '../../../src/plugin-api/contract.js';
import { doc, scenario, statement, trust, type Scenario } from './scenario.js';

const ALLOWED = new Set([
  'IAM.GetAccountAuthorizationDetails',
  'STS.GetCallerIdentity',
  'S3.ListBuckets',
  'S3.GetBucketPolicy',
  'S3Control.ListAccessPoints',
  'S3Control.GetAccessPointPolicy',
  'S3.ListObjectsV2',
]);
const REGIONS = ['eu-central-1', 'us-east-1'];

interface Shape {
  users: number;
  groups: number;
  roles: number;
  policies: number;
  buckets: number;
  accessPoints: number;
  withPolicy: boolean[];
}

function build(shape: Shape): Scenario {
  const s = scenario();
  for (let p = 0; p < shape.policies; p++) s.managedPolicy(`P${p}`, doc(statement('Allow', 's3:GetObject', `arn:aws:s3:::b${p % Math.max(shape.buckets, 1)}/*`), statement('Deny', 's3:DeleteObject', '*')));
  for (let g = 0; g < shape.groups; g++) s.group(`g${g}`, { attached: shape.policies > 0 ? [`P${g % shape.policies}`] : [], inline: { own: doc(statement('Allow', 's3:ListBucket', 'arn:aws:s3:::b0')) } });
  for (let u = 0; u < shape.users; u++) s.user(`u${u}`, { groups: shape.groups > 0 ? [`g${u % shape.groups}`] : [], attached: shape.policies > 0 ? [`P${u % shape.policies}`] : [] });
  for (let r = 0; r < shape.roles; r++) s.role(`r${r}`, trust({ AWS: `arn:aws:iam::111122223333:user/u${r}` }), { inline: { own: doc(statement('Allow', 's3:*', '*')) } });
  for (let b = 0; b < shape.buckets; b++) s.bucket(`b${b}`, REGIONS[b % 2] as string, shape.withPolicy[b] ? doc(statement('Allow', 's3:GetObject', `arn:aws:s3:::b${b}/*`, { Principal: '*' })) : undefined);
  for (let a = 0; a < shape.accessPoints && shape.buckets > 0; a++) s.accessPoint(`ap${a}`, `b${a % shape.buckets}`, REGIONS[a % 2] as string, a % 2 === 0 ? doc(statement('Allow', 's3:GetObject', '*', { Principal: '*' })) : undefined);
  return s;
}

/** The snapshot's pages: one chain per entity type, each at least one call (the AWS managed policies' chain finds none here). */
function snapshotPages(shape: Shape): number {
  const byType = [shape.users, shape.groups, shape.roles, shape.policies, 0];
  return byType.reduce((sum, n) => sum + Math.max(1, Math.ceil(n / 1000)), 0);
}

/** The lower bound the access import should meet: snapshot pages, one STS, one ListBuckets, then one call per S3 resource. */
function expectedCalls(shape: Shape): Record<string, number> {
  const aps = shape.buckets > 0 ? shape.accessPoints : 0;
  const calls: Record<string, number> = {
    'IAM.GetAccountAuthorizationDetails': snapshotPages(shape),
    'S3.ListBuckets': 1,
    'S3Control.ListAccessPoints': REGIONS.length,
    'STS.GetCallerIdentity': 1,
  };
  if (shape.buckets > 0) calls['S3.GetBucketPolicy'] = shape.buckets;
  // The data source sync did not run here: the access import lists each bucket once (one page each) to place policies exactly.
  if (shape.buckets > 0) calls['S3.ListObjectsV2'] = shape.buckets;
  if (aps > 0) calls['S3Control.GetAccessPointPolicy'] = aps;
  return calls;
}

describe('the access import adds no IAM calls beyond the shared snapshot', () => {
  it('holds for generated accounts', async () => {
    const shape = fc.record({
      users: fc.nat({ max: 25 }),
      groups: fc.nat({ max: 6 }),
      roles: fc.nat({ max: 25 }),
      policies: fc.nat({ max: 25 }),
      buckets: fc.nat({ max: 6 }),
      accessPoints: fc.nat({ max: 4 }),
      withPolicy: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
    });
    await fc.assert(
      fc.asyncProperty(shape, async (s) => {
        const { ctx } = await build(s).run({ 'aws-regions': REGIONS.join(',') });
        for (const [operation] of ctx.calls.entries()) expect(ALLOWED.has(operation), operation).toBe(true);
        expect(ctx.calls.toJSON()).toEqual(expectedCalls(s));
      }),
      { numRuns: 25 },
    );
  });

  it('pages GetAccountAuthorizationDetails 1000 entities at a time and nothing else grows with IAM', async () => {
    const s: Shape = { users: 900, groups: 100, roles: 800, policies: 700, buckets: 3, accessPoints: 2, withPolicy: [true, false, true, false, false, false] };
    const { ctx, providers } = await build(s).run({ 'aws-regions': REGIONS.join(',') });
    expect(ctx.calls.toJSON()).toEqual(expectedCalls(s));
    // One page each of users, groups, roles, customer managed and AWS managed policies.
    expect(ctx.calls.get('IAM.GetAccountAuthorizationDetails')).toBe(5);
    // 800 roles, 700 policies (+ their deny side), 100 group inline policies, 2 access points, 2 bucket policies.
    expect(providers.length).toBe(800 + 700 * 2 + 100 + 2 + 2);
  });

  it('reads the IAM snapshot only once the credentials proved themselves: a refused GetCallerIdentity costs no IAM call', async () => {
    const s = build({ users: 3, groups: 1, roles: 2, policies: 2, buckets: 1, accessPoints: 0, withPolicy: [false] }).denied('STS.GetCallerIdentity');
    let ctx: SyncContext | undefined;
    await expect(s.run({}, { context: (c) => (ctx = c) })).rejects.toThrow(/GetCallerIdentity/);
    expect(ctx?.calls.get('STS.GetCallerIdentity')).toBe(1);
    expect(ctx?.calls.get('IAM.GetAccountAuthorizationDetails')).toBe(0);
  });
});
