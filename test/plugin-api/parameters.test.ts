import { describe, expect, it } from 'vitest';
import { coerceParameters, splitRegexList, warnUnmatched } from '../../src/plugin-api/parameters.js';
import type { ParameterSpec } from '../../src/plugin-api/contract.js';

const excludes: ParameterSpec = { name: 'aws-user-excludes', description: 'users to leave out', type: 'regex-list' };

function regexes(value: unknown): RegExp[] {
  const { params, problems } = coerceParameters([excludes], { 'aws-user-excludes': value });
  expect(problems).toEqual([]);
  return params['aws-user-excludes'] as RegExp[];
}

describe('regex lists', () => {
  it('a comma inside {} [] () belongs to the expression', () => {
    expect(splitRegexList('svc-[a-z]{1,10}, (ci|cd),terraform')).toEqual(['svc-[a-z]{1,10}', '(ci|cd)', 'terraform']);
    expect(splitRegexList('a[,]b,c')).toEqual(['a[,]b', 'c']);
  });

  it('an escaped comma belongs to the expression', () => {
    expect(splitRegexList('a\\,b,c')).toEqual(['a\\,b', 'c']);
  });

  it('svc-[a-z]{1,10} excludes svc-build and not svc-toolongname123', () => {
    const [svc] = regexes('svc-[a-z]{1,10}');
    expect(svc!.test('svc-build')).toBe(true);
    expect(svc!.test('svc-abcdefghijk')).toBe(false);
  });

  it('a YAML list is taken item by item, commas and all', () => {
    expect(regexes(['svc-[a-z]{1,10}', 'x{2,}']).map((r) => r.source)).toEqual(['^(?:svc-[a-z]{1,10})$', '^(?:x{2,})$']);
  });
});

describe('warnUnmatched', () => {
  function warnings(patterns: RegExp[], names: string[]): string[] {
    const out: string[] = [];
    warnUnmatched({ warn: (m) => out.push(m) }, 'aws-user-excludes', patterns, names, 'IAM user name');
    return out;
  }

  it('names the parameter and the entries that matched nothing', () => {
    expect(warnings(regexes('svc-.+,terraform,ci-[0-9]{2}'), ['svc-build', 'alice'])).toEqual([
      'aws-user-excludes: "terraform", "ci-[0-9]{2}" matched no IAM user name of this run; check the expression (it must match the whole name)',
    ]);
  });

  it('says nothing when every entry matched, or when the list is empty', () => {
    expect(warnings(regexes('svc-.+,alice'), ['svc-build', 'alice'])).toEqual([]);
    expect(warnings([], ['alice'])).toEqual([]);
  });
});
