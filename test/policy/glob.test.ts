import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Glob } from '../../src/policy/glob.js';
import { directMatch } from './oracle.js';

const alphabet = fc.constantFrom('a', 'b', '/', '.', 'A');
const text = fc.array(alphabet, { maxLength: 8 }).map((cs) => cs.join(''));
const pattern = fc.array(fc.constantFrom('a', 'b', '/', '.', 'A', '*', '?'), { maxLength: 8 }).map((cs) => cs.join(''));

describe('Glob', () => {
  it.each([
    ['*', '', true],
    ['*', 'any/thing:at all', true],
    ['s3:Get*', 's3:GetObject', true],
    ['s3:Get*', 's3:PutObject', false],
    ['s3:?etObject', 's3:GetObject', true],
    ['s3:?etObject', 's3:etObject', false],
    ['a*b*c', 'a/x/b/y/c', true],
    ['a*b*c', 'a/x/c/y/b', false],
  ])('%s matches %s: %s', (p, value, expected) => {
    expect(new Glob(p).matches(value)).toBe(expected);
  });

  it('matches any case when asked', () => {
    expect(new Glob('S3:getobj*', { caseInsensitive: true }).matches('s3:GetObjectAcl')).toBe(true);
    expect(new Glob('S3:getobj*').matches('s3:GetObjectAcl')).toBe(false);
  });

  it('reads policy variables as * and escapes as literals', () => {
    const g = new Glob('home/${aws:username}/${*}x', { policyVariables: true });
    expect(g.variables).toEqual(['aws:username']);
    expect(g.matches('home/alice/*x')).toBe(true);
    expect(g.matches('home/alice/yx')).toBe(false);
  });

  it('knows the folder every match lies in', () => {
    expect(new Glob('b/reports/2024/*.csv').forcedContinuation('b/')).toBe('reports/2024/');
    // From the start: the text before the first wildcard, or all of a pattern without one.
    expect(new Glob('b/reports/2024/*.csv').forcedContinuation('')).toBe('b/reports/2024/');
    expect(new Glob('b/jobs/?/x').forcedContinuation('')).toBe('b/jobs/');
    expect(new Glob('b/key.txt').forcedContinuation('')).toBe('b/key.txt');
    expect(new Glob('*b').forcedContinuation('')).toBe('');
    expect(new Glob('').forcedContinuation('')).toBe('');
    expect(new Glob('b/home/${aws:username}/*', { policyVariables: true }).forcedContinuation('')).toBe('b/home/');
    expect(new Glob('b/reports/*').coversAllStartingWith('b/reports/')).toBe(true);
    expect(new Glob('b/reports/*.csv').coversAllStartingWith('b/reports/')).toBe(false);
    expect(new Glob('b/key.txt').singleMatchStartingWith('b/')).toBe('key.txt');
    expect(new Glob('b/key?.txt').singleMatchStartingWith('b/')).toBeUndefined();
  });

  describe('agrees with a direct pattern match', () => {
    it('matches', () => {
      fc.assert(
        fc.property(pattern, fc.array(text, { minLength: 1, maxLength: 8 }), (p, values) => {
          // One glob for many values: the first uses run the NFA, later ones a compiled regex.
          const g = new Glob(p);
          for (const s of values) expect(g.matches(s)).toBe(directMatch(p, s));
        }),
        { numRuns: 2000 },
      );
    });

    it('matchesSomeStartingWith, coversAllStartingWith and forcedContinuation are sound on sampled suffixes', () => {
      fc.assert(
        fc.property(pattern, text, fc.array(text, { maxLength: 12 }), (p, prefix, suffixes) => {
          const g = new Glob(p);
          const matching = suffixes.filter((w) => directMatch(p, prefix + w));
          if (matching.length > 0) expect(g.matchesSomeStartingWith(prefix)).toBe(true);
          if (!g.matchesSomeStartingWith(prefix)) expect(matching).toEqual([]);
          if (g.coversAllStartingWith(prefix)) for (const w of suffixes) expect(directMatch(p, prefix + w)).toBe(true);
          const forced = g.forcedContinuation(prefix);
          for (const w of matching) expect(w.startsWith(forced as string)).toBe(true);
          const single = g.singleMatchStartingWith(prefix);
          if (single !== undefined) for (const w of matching) expect(w).toBe(single);
        }),
        { numRuns: 2000 },
      );
    });

    it('a pattern ending in * after its forced part covers it', () => {
      fc.assert(
        fc.property(text, text, (prefix, rest) => {
          const g = new Glob(`${prefix}${rest}*`);
          expect(g.coversAllStartingWith(prefix + rest)).toBe(true);
          expect(g.forcedContinuation(prefix)).toBe(rest);
        }),
      );
    });
  });
});
