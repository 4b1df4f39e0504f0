import { beforeAll, describe, expect, it } from 'vitest';
import type { Placement } from '../../src/policy/s3-resources.js';
import { account, buckets as fixtureBuckets, fn, loadResourceTypes, resolver } from './fixtures.js';

beforeAll(loadResourceTypes);

const OTHER_TYPES = 'accessgrant,accessgrantsinstance,accessgrantslocation,job,multiregionaccesspoint,multiregionaccesspointrequestarn,storagelensconfiguration,storagelensgroup';
const OTHER_TYPES_NOT = 'accesspoint,accessgrant,accessgrantsinstance,accessgrantslocation,job,multiregionaccesspoint,multiregionaccesspointrequestarn,objectlambdaaccesspoint,storagelensconfiguration,storagelensgroup';
const short = (placements: Placement[]): string[] => placements.map((p) => `${p.dataObject.type} ${p.dataObject.fullName} ${p.scope}${p.resourceTypes ? ` ${p.resourceTypes.join(',')}` : ''}`);

describe('S3Resolver.resolve', () => {
  it.each([
    ['*', [`datasource ${fn.ds} any`], []],
    ['arn:aws:s3:::*', [`datasource ${fn.ds} bucket`, `datasource ${fn.ds} object`], []],
    // Every S3 resource type but Object Lambda access points: their ARNs have service s3-object-lambda.
    [
      'arn:aws:s3:*:*:*',
      [`datasource ${fn.ds} types ${OTHER_TYPES}`, `datasource ${fn.ds} accesspoint`, `datasource ${fn.ds} accesspointobject`, `datasource ${fn.ds} bucket`, `datasource ${fn.ds} object`],
      [],
    ],
    [`arn:aws:s3:*:${account}:job/*`, [`datasource ${fn.ds} types job`], []],
    [`arn:aws:s3-object-lambda:*:*:*`, [`datasource ${fn.ds} types objectlambdaaccesspoint`], []],
    [`arn:aws:s3:us-east-1:${account}:storage-lens/*`, [`datasource ${fn.ds} types storagelensconfiguration`], []],
    // The account segment is matched: another account's jobs are no resource of this one.
    [`arn:aws:s3:*:999999999999:job/*`, [], []],
    ['arn:aws:s3:::*/*', [`datasource ${fn.ds} object`], []],
    ['arn:aws:s3:::acme-sales', [`bucket ${fn.sales} bucket`], []],
    ['arn:aws:s3:::acme-sales/*', [`bucket ${fn.sales} object`], []],
    ['arn:aws:s3:::acme-sales/reports/*', [`folder ${fn.sales}/reports object`], []],
    ['arn:aws:s3:::acme-sales/reports/2024/q1.csv', [`file ${fn.sales}/reports/2024/q1.csv object`], []],
    // The folder marker object alone: no data object is all of it.
    [
      'arn:aws:s3:::acme-sales/reports/',
      [],
      [
        '!arn:aws:s3:::acme-sales/reports/ covers only part of folder reports of bucket acme-sales (only its folder marker object reports/), whose keys are not all known as data objects; no permissions are shown there',
      ],
    ],
    // Only the csv files, not the folder: each known file that matches, nothing wider.
    ['arn:aws:s3:::acme-sales/reports/*.csv', [`file ${fn.sales}/reports/2024/q1.csv object`, `file ${fn.sales}/reports/2024/q2.csv object`], []],
    ['arn:aws:s3:::acme-sales/re*', [`folder ${fn.sales}/reports object`, `file ${fn.sales}/readme.md object`], []],
    ['arn:aws:s3:::acme-sales/*/notes.txt', [`file ${fn.sales}/home/alice/notes.txt object`, `file ${fn.sales}/home/bob/notes.txt object`], []],
    // `*` spans `/`: every folder named like `x/reports` at any depth; acme-sales has none but the top-level one, which `*/` does not reach.
    ['arn:aws:s3:::acme-sales/*/reports/*', [], []],
    ['arn:aws:s3:::acme-sales/rep?rts/*', [`folder ${fn.sales}/reports object`], []],
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
      // AWS's * also matches "/": acme-sales/x/reports/y matches too; on the known tree that is folder reports of acme-sales only.
      'arn:aws:s3:::acme-*/reports/*',
      [`folder ${fn.sales}/reports object`],
      ['arn:aws:s3:::acme-*/reports/* matches 3 buckets: acme-sales, acme-hr, acme-logs; it also covers buckets with matching names created later'],
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
    // Multi-region access points also have `accesspoint/` ARNs (with an empty region).
    [`arn:aws:s3:*:*:accesspoint/*`, [`datasource ${fn.ds} types multiregionaccesspoint`, `bucket ${fn.sales} accesspoint`, `bucket ${fn.sales} accesspointobject`], []],
    [`arn:aws:s3:eu-central-1:${account}:accesspoint/other-ap/object/*`, [], []],
    [
      'arn:aws:s3:::acme-sales/home/${aws:username}/*',
      [],
      ['!arn:aws:s3:::acme-sales/home/${aws:username}/* uses the policy variable ${aws:username}, which takes its value from each request; its permissions within folder home of bucket acme-sales are not shown'],
    ],
    ['arn:aws:iam::111122223333:role/etl', [], []],
    ['acme-sales', [], ['acme-sales is not an ARN and matches nothing']],
  ])('%s', (pattern, placements, notes) => {
    const withReports = [...fixtureBuckets, { name: 'acme-sales-reports', region: 'eu-central-1' }, { name: 'acme-hr-reports', region: 'eu-west-1' }];
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
      [`datasource ${fn.ds} wildcard-only`, `datasource ${fn.ds} types ${OTHER_TYPES_NOT}`, `bucket ${fn.sales} bucket`, `bucket ${fn.sales} object`, `bucket ${fn.logs} bucket`, `bucket ${fn.logs} object`],
      [],
    ],
    [
      'objects of one bucket out, its bucket-level ARN in',
      ['arn:aws:s3:::acme-hr/*'],
      [`datasource ${fn.ds} wildcard-only`, `datasource ${fn.ds} types ${OTHER_TYPES_NOT}`, `bucket ${fn.sales} bucket`, `bucket ${fn.sales} object`, `bucket ${fn.hr} bucket`, `bucket ${fn.logs} bucket`, `bucket ${fn.logs} object`],
      [],
    ],
    [
      'a folder out',
      ['arn:aws:s3:::acme-hr/salaries/*'],
      // The rest of acme-hr, exactly: its other folders.
      [
        `datasource ${fn.ds} wildcard-only`,
        `datasource ${fn.ds} types ${OTHER_TYPES_NOT}`,
        `bucket ${fn.sales} bucket`,
        `bucket ${fn.sales} object`,
        `bucket ${fn.hr} bucket`,
        `folder ${fn.hr}/public object`,
        `folder ${fn.hr}/reviews object`,
        `bucket ${fn.logs} bucket`,
        `bucket ${fn.logs} object`,
      ],
      [],
    ],
    [
      'one file out of a folder',
      ['arn:aws:s3:::acme-logs/2024/db.log'],
      [`datasource ${fn.ds} wildcard-only`, `datasource ${fn.ds} types ${OTHER_TYPES_NOT}`, `bucket ${fn.sales} bucket`, `bucket ${fn.sales} object`, `bucket ${fn.hr} bucket`, `bucket ${fn.hr} object`, `bucket ${fn.logs} bucket`, `file ${fn.logs}/2024/app.log object`, `folder ${fn.logs}/2025 object`],
      [],
    ],
    [
      'jobs out: every other resource type stays on the account',
      ['arn:aws:s3:*:*:job/*'],
      [`datasource ${fn.ds} wildcard-only`, `datasource ${fn.ds} types ${OTHER_TYPES_NOT.replace('job,', '')}`, `bucket ${fn.sales} bucket`, `bucket ${fn.sales} object`, `bucket ${fn.hr} bucket`, `bucket ${fn.hr} object`, `bucket ${fn.logs} bucket`, `bucket ${fn.logs} object`],
      [],
    ],
  ])('%s', (_, patterns, placements, notes) => {
    const resolution = resolver().resolveNot(patterns);
    expect(short(resolution.placements)).toEqual(placements);
    expect(resolution.notes.map((n) => `${n.incomplete ? '!' : ''}${n.message}`)).toEqual(notes);
  });
});
