import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArnPattern } from '../../src/policy/resources.js';
import { directArnMatch } from './oracle.js';

describe('ArnPattern', () => {
  it.each([
    ['*', 'arn:aws:iam::111122223333:role/x', true],
    ['arn:aws:s3:::*', 'arn:aws:s3:::acme-sales/a/b.csv', true],
    ['arn:aws:s3:::acme-*', 'arn:aws:s3:::acme-sales', true],
    ['arn:aws:s3:::acme-*', 'arn:aws:s3:::other', false],
    ['arn:aws:s3:::acme-sales/*', 'arn:aws:s3:::acme-sales', false],
    ['arn:*:s3:::acme-sales', 'arn:aws-cn:s3:::acme-sales', true],
    // A wildcard in a leading segment stays inside it.
    ['arn:aws:s3:*:acme', 'arn:aws:s3:eu:111:acme', false],
    ['arn:aws:s3:*:*:accesspoint/*', 'arn:aws:s3:eu-central-1:111122223333:accesspoint/ap/object/k', true],
    ['arn:aws:s3:::Acme', 'arn:aws:s3:::acme', false],
    ['acme-sales', 'acme-sales', false],
  ])('%s matches %s: %s', (pattern, arn, expected) => {
    expect(new ArnPattern(pattern).matches(arn)).toBe(expected);
  });

  it('agrees with a direct segment-by-segment match on generated ARNs', () => {
    const segment = fc.array(fc.constantFrom('a', 'b', '/', '-'), { maxLength: 4 }).map((c) => c.join(''));
    const arn = fc.tuple(segment, segment, segment, fc.array(fc.constantFrom('a', 'b', '/', ':'), { maxLength: 6 }).map((c) => c.join(''))).map(
      ([partition, region, account, resource]) => `arn:${partition}:s3:${region}:${account}:${resource}`,
    );
    const mutate = (s: string, edits: [number, string][]): string => {
      const chars = [...s];
      for (const [pos, ch] of edits) chars.splice(pos % (chars.length + 1), ch === 'x' ? 1 : 0, ch === 'x' ? '' : ch);
      return chars.join('');
    };
    fc.assert(
      fc.property(arn, arn, fc.array(fc.tuple(fc.nat(), fc.constantFrom('*', '?', 'x', 'a')), { maxLength: 4 }), (target, other, edits) => {
        for (const pattern of [mutate(target, edits), mutate(other, edits)]) {
          expect(new ArnPattern(pattern).matches(target)).toBe(directArnMatch(pattern, target));
        }
      }),
      { numRuns: 3000 },
    );
  });
});
