import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Placement } from '../../src/policy/s3-resources.js';
import { account, buckets, fn, resolver } from './fixtures.js';
import { directArnMatch } from './oracle.js';

const short = (placements: Placement[]): string[] => placements.map((p) => `${p.dataObject.type} ${p.dataObject.fullName} ${p.scope}`);

describe('S3Resolver.resolve', () => {
  it.each([
    ['*', [`datasource ${fn.ds} any`], []],
    ['arn:aws:s3:::*', [`datasource ${fn.ds} bucket`, `datasource ${fn.ds} object`], []],
    ['arn:aws:s3:*:*:*', [`datasource ${fn.ds} resource`], []],
    ['arn:aws:s3:::*/*', [`datasource ${fn.ds} object`], []],
    ['arn:aws:s3:::acme-sales', [`bucket ${fn.sales} bucket`], []],
    ['arn:aws:s3:::acme-sales/*', [`bucket ${fn.sales} object`], []],
    ['arn:aws:s3:::acme-sales/reports/*', [`folder ${fn.sales}/reports object`], []],
    ['arn:aws:s3:::acme-sales/reports/2024/q1.csv', [`file ${fn.sales}/reports/2024/q1.csv object`], []],
    ['arn:aws:s3:::acme-sales/reports/', [`folder ${fn.sales}/reports object`], ['!arn:aws:s3:::acme-sales/reports/ is shown as folder reports of bucket acme-sales, the deepest data object that covers every match; the grant is narrower']],
    [
      'arn:aws:s3:::acme-sales/reports/*.csv',
      [`folder ${fn.sales}/reports object`],
      ['!arn:aws:s3:::acme-sales/reports/*.csv is shown as folder reports of bucket acme-sales, the deepest data object that covers every match; the grant is narrower'],
    ],
    [
      'arn:aws:s3:::acme-sales/*/reports/*',
      [`bucket ${fn.sales} object`],
      ['!arn:aws:s3:::acme-sales/*/reports/* is shown as bucket acme-sales, the deepest data object that covers every match; the grant is narrower'],
    ],
    [
      'arn:aws:s3:::acme-sales/rep?rts/*',
      [`bucket ${fn.sales} object`],
      ['!arn:aws:s3:::acme-sales/rep?rts/* is shown as bucket acme-sales, the deepest data object that covers every match; the grant is narrower'],
    ],
    [
      'arn:aws:s3:::acme-??-reports/*',
      [`bucket ${fn.hr.replace('acme-hr', 'acme-hr-reports')} object`],
      ['arn:aws:s3:::acme-??-reports/* matches bucket acme-hr-reports; it also covers buckets with matching names created later'],
    ],
    [
      'arn:aws:s3:::acme-*/*',
      [`bucket ${fn.sales} object`, `bucket ${fn.hr} object`, `bucket ${fn.logs} object`],
      ['arn:aws:s3:::acme-*/* matches 3 buckets: acme-sales, acme-hr, acme-logs; it also covers buckets with matching names created later'],
    ],
    [
      // AWS's * also matches "/": acme-sales/2024/reports/x matches too, so the folder alone would be too narrow.
      'arn:aws:s3:::acme-*/reports/*',
      [`bucket ${fn.sales} object`, `bucket ${fn.hr} object`, `bucket ${fn.logs} object`],
      [
        '!arn:aws:s3:::acme-*/reports/* is shown as bucket acme-sales, the deepest data object that covers every match; the grant is narrower',
        '!arn:aws:s3:::acme-*/reports/* is shown as bucket acme-hr, the deepest data object that covers every match; the grant is narrower',
        '!arn:aws:s3:::acme-*/reports/* is shown as bucket acme-logs, the deepest data object that covers every match; the grant is narrower',
        'arn:aws:s3:::acme-*/reports/* matches 3 buckets: acme-sales, acme-hr, acme-logs; it also covers buckets with matching names created later',
      ],
    ],
    [
      'arn:aws:s3:::ACME-*/reports/*',
      [],
      ['!arn:aws:s3:::ACME-*/reports/* matches no bucket of this account; its permissions are not shown'],
    ],
    [
      'arn:aws:s3:::acme-sal*',
      [`bucket ${fn.sales} bucket`, `bucket ${fn.sales} object`],
      ['arn:aws:s3:::acme-sal* matches bucket acme-sales; it also covers buckets with matching names created later'],
    ],
    ['arn:aws:s3:::acme-archive/*', [], ['!arn:aws:s3:::acme-archive/* names bucket acme-archive, which is not in this account\'s bucket list; its permissions are not shown']],
    ['arn:aws:s3:::acme-archive', [], ['!arn:aws:s3:::acme-archive names bucket acme-archive, which is not in this account\'s bucket list; its permissions are not shown']],
    [`arn:aws:s3:eu-central-1:${account}:accesspoint/reports-ap`, [`bucket ${fn.sales} accesspoint`], []],
    [`arn:aws:s3:eu-central-1:${account}:accesspoint/reports-ap/object/*`, [`bucket ${fn.sales} accesspointobject`], []],
    [`arn:aws:s3:eu-central-1:${account}:accesspoint/reports-ap/object/q1/*`, [`folder ${fn.sales}/q1 accesspointobject`], []],
    [`arn:aws:s3:*:*:accesspoint/*`, [`bucket ${fn.sales} accesspoint`, `bucket ${fn.sales} accesspointobject`], []],
    [`arn:aws:s3:eu-central-1:${account}:accesspoint/other-ap/object/*`, [], []],
    [
      'arn:aws:s3:::acme-sales/home/${aws:username}/*',
      [`folder ${fn.sales}/home object`],
      ['!arn:aws:s3:::acme-sales/home/${aws:username}/* uses the policy variable ${aws:username}, which depends on the request; it is read as *'],
    ],
    ['arn:aws:iam::111122223333:role/etl', [], []],
    ['acme-sales', [], ['acme-sales is not an ARN and matches nothing']],
  ])('%s', (pattern, placements, notes) => {
    const withReports = [...buckets, { name: 'acme-sales-reports', region: 'eu-central-1' }, { name: 'acme-hr-reports', region: 'eu-west-1' }];
    const resolution = (pattern.includes('-reports/') ? resolver(withReports) : resolver()).resolve(pattern);
    expect(short(resolution.placements)).toEqual(placements);
    expect(resolution.notes.map((n) => `${n.incomplete ? '!' : ''}${n.message}`)).toEqual(notes);
  });
});

describe('S3Resolver.resolveNot', () => {
  it.each([
    ['* excludes everything', ['*'], [], []],
    ['another service leaves all of S3', ['arn:aws:iam::*:*'], [`datasource ${fn.ds} any`], []],
    [
      'one bucket out',
      ['arn:aws:s3:::acme-hr', 'arn:aws:s3:::acme-hr/*'],
      [`datasource ${fn.ds} wildcard-only`, `bucket ${fn.sales} bucket`, `bucket ${fn.sales} object`, `bucket ${fn.logs} bucket`, `bucket ${fn.logs} object`],
      [],
    ],
    [
      'objects of one bucket out, its bucket-level ARN in',
      ['arn:aws:s3:::acme-hr/*'],
      [`datasource ${fn.ds} wildcard-only`, `bucket ${fn.sales} bucket`, `bucket ${fn.sales} object`, `bucket ${fn.hr} bucket`, `bucket ${fn.logs} bucket`, `bucket ${fn.logs} object`],
      [],
    ],
    [
      'a folder out',
      ['arn:aws:s3:::acme-hr/salaries/*'],
      [`datasource ${fn.ds} wildcard-only`, `bucket ${fn.sales} bucket`, `bucket ${fn.sales} object`, `bucket ${fn.hr} bucket`, `bucket ${fn.hr} object`, `bucket ${fn.logs} bucket`, `bucket ${fn.logs} object`],
      ['!NotResource arn:aws:s3:::acme-hr/salaries/* leaves out part of bucket acme-hr; the grant on the bucket is shown whole'],
    ],
  ])('%s', (_, patterns, placements, notes) => {
    const resolution = resolver().resolveNot(patterns);
    expect(short(resolution.placements)).toEqual(placements);
    expect(resolution.notes.map((n) => `${n.incomplete ? '!' : ''}${n.message}`)).toEqual(notes);
  });
});

describe('S3 mapping agrees with a direct pattern match', () => {
  const names = ['ab', 'abb', 'b.a'];
  const r = resolver(names.map((name) => ({ name, region: 'eu-west-1' })), []);
  const fullName = (bucket: string, path?: string): string => `${account}:eu-west-1:${bucket}${path ? `/${path}` : ''}`;
  const key = fc.array(fc.constantFrom('a', 'b', '/', '.'), { minLength: 1, maxLength: 7 }).map((c) => c.join(''));
  const mutate = (s: string, edits: [number, string][]): string => {
    const chars = [...s];
    for (const [pos, ch] of edits) chars.splice(pos % (chars.length + 1), ch === 'x' ? 1 : 0, ch === 'x' ? '' : ch);
    return chars.join('');
  };

  /** Does a placement for object actions hold this object? */
  const holds = (p: Placement, bucket: string, k: string): boolean => {
    if (p.dataObject.type === 'datasource') return true;
    if (p.dataObject.type === 'bucket') return p.dataObject.fullName === fullName(bucket);
    if (p.dataObject.type === 'folder') return p.dataObject.fullName.startsWith(`${fullName(bucket)}/`) && `${fullName(bucket, k)}`.startsWith(`${p.dataObject.fullName}/`);
    return p.dataObject.fullName === fullName(bucket, k);
  };

  it('every object and bucket the pattern matches lies in a placement; exact placements hold only matches', () => {
    fc.assert(
      fc.property(fc.constantFrom(...names), key, fc.array(fc.tuple(fc.nat(), fc.constantFrom('*', '?', 'x', '/')), { maxLength: 3 }), fc.array(key, { maxLength: 10 }), (bucket, k, edits, sample) => {
        const pattern = `arn:aws:s3:::${mutate(`${bucket}/${k}`, edits)}`;
        const resolution = r.resolve(pattern);
        const objectPlacements = resolution.placements.filter((p) => p.scope === 'object' || p.scope === 'any' || p.scope === 'resource');
        const bucketPlacements = resolution.placements.filter((p) => p.scope === 'bucket' || p.scope === 'any' || p.scope === 'resource');
        const exact = !resolution.notes.some((n) => n.incomplete);
        for (const b of names) {
          if (directArnMatch(pattern, `arn:aws:s3:::${b}`)) expect(bucketPlacements.some((p) => p.dataObject.type === 'datasource' || p.dataObject.fullName === fullName(b))).toBe(true);
          for (const candidate of [k, ...sample, ...sample.map((s) => `${k}${s}`)]) {
            const matched = directArnMatch(pattern, `arn:aws:s3:::${b}/${candidate}`);
            if (matched) expect(objectPlacements.some((p) => holds(p, b, candidate))).toBe(true);
            else if (exact) expect(objectPlacements.some((p) => holds(p, b, candidate))).toBe(false);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });
});
