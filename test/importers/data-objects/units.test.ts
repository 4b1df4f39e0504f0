import { describe, expect, it } from 'vitest';
import { coerceParameters } from '../../../src/plugin-api/parameters.js';
import { bucketFilter, wildcardToRegExp } from '../../../src/importers/data-objects/filters.js';
import { FolderTrail, TwinGuard } from '../../../src/importers/data-objects/folders.js';
import { bucketRegion, columnFullName, dataObjectFullName, lastSegment } from '../../../src/model/names.js';
import { dataObjectOptions, dataObjectParameters, validateDataObjectParameters } from '../../../src/importers/data-objects/parameters.js';

const coerce = (raw: Record<string, unknown>) => coerceParameters(dataObjectParameters, raw).params;

describe('data source parameters', () => {
  it('have the documented defaults', () => {
    const options = dataObjectOptions(coerce({}));
    expect(options).toMatchObject({ s3Enabled: true, glueEnabled: false, emulateFolders: true, maxFolderDepth: 20, includeBuckets: ['*'], excludeBuckets: [] });
    expect(validateDataObjectParameters(coerce({}))).toEqual([]);
  });

  it('S3 and Glue both enabled is a config error that says to choose one', () => {
    const problems = validateDataObjectParameters(coerce({ 'aws-glue-enabled': 'true' }));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.parameter).toBe('aws-glue-enabled');
    expect(problems[0]!.message).toMatch(/aws-s3-enabled/);
    expect(problems[0]!.message).toMatch(/choose one/);
    expect(validateDataObjectParameters(coerce({ 'aws-glue-enabled': true, 'aws-s3-enabled': false }))).toEqual([]);
  });

  it('a max folder depth below 1 is a problem', () => {
    expect(validateDataObjectParameters(coerce({ 'aws-s3-max-folder-depth': 0 }))[0]!.parameter).toBe('aws-s3-max-folder-depth');
  });

  it('Glue excludes are regular expressions matched against the whole name', () => {
    const { excludeDatabases } = dataObjectOptions(coerce({ 'aws-glue-exclude-databases': 'tmp_.*, staging' }));
    expect(excludeDatabases.map((r) => r.test('tmp_x'))).toEqual([true, false]);
    expect(excludeDatabases.some((r) => r.test('my_staging'))).toBe(false);
  });
});

describe('bucket filters', () => {
  it('* matches any characters, none included; everything else is literal; full match', () => {
    expect(wildcardToRegExp('acme-*').test('acme-')).toBe(true);
    expect(wildcardToRegExp('acme-*').test('acme-sales')).toBe(true);
    expect(wildcardToRegExp('acme-*').test('x-acme-sales')).toBe(false);
    expect(wildcardToRegExp('a.b').test('axb')).toBe(false);
    expect(wildcardToRegExp('*logs*').test('logs')).toBe(true);
  });

  it('an empty include list includes all; excludes win over includes', () => {
    expect(bucketFilter([], [])('anything')).toBe(true);
    const wanted = bucketFilter(['acme-*'], ['acme-secret*']);
    expect(['acme-sales', 'acme-secret-hr', 'other'].filter(wanted)).toEqual(['acme-sales']);
  });
});

describe('names', () => {
  it('maps location constraints to real regions', () => {
    expect(bucketRegion('')).toBe('us-east-1');
    expect(bucketRegion(undefined)).toBe('us-east-1');
    expect(bucketRegion(null)).toBe('us-east-1');
    expect(bucketRegion('EU')).toBe('eu-west-1');
    expect(bucketRegion('ap-south-1')).toBe('ap-south-1');
  });

  it('builds full names', () => {
    expect(dataObjectFullName('1', 'us-east-1', 'b', 'x/y/')).toBe('1:us-east-1:b/x/y');
    expect(columnFullName('1:r:b/t', 'id')).toBe('1:r:b/t#id');
    expect(lastSegment('a/b/c.txt')).toBe('c.txt');
    expect(lastSegment('a/b/')).toBe('b');
  });
});

describe('folder trail', () => {
  it('opens each folder once along a sorted listing and closes what the next key leaves', () => {
    const trail = new FolderTrail(20);
    const seen = ['a/b/1', 'a/b/2', 'a/c/1', 'b', 'c/d/e/f'].map((k) => {
      const p = trail.enter(k);
      return { fresh: [...p.fresh], parent: p.parent, listed: p.listed };
    });
    expect(seen).toEqual([
      { fresh: ['a', 'a/b'], parent: 'a/b', listed: true },
      { fresh: [], parent: 'a/b', listed: true },
      { fresh: ['a/c'], parent: 'a/c', listed: true },
      { fresh: [], parent: undefined, listed: true },
      { fresh: ['c', 'c/d', 'c/d/e'], parent: 'c/d/e', listed: true },
    ]);
  });

  it('folder markers open a folder but are no file; empty segments add no level', () => {
    const trail = new FolderTrail(20);
    expect(trail.enter('x/')).toMatchObject({ fresh: ['x'], listed: false });
    expect(trail.enter('x//y')).toMatchObject({ fresh: [], parent: 'x', listed: true });
  });

  it('stops at the max depth', () => {
    const trail = new FolderTrail(2);
    expect(trail.enter('a/b/c/d')).toMatchObject({ fresh: ['a', 'a/b'], parent: 'a/b', listed: false });
    expect(trail.enter('a/x')).toMatchObject({ fresh: [], parent: 'a', listed: true });
    expect(FolderTrail.chainOf('a/b/c/', 2)).toEqual(['a', 'a/b']);
  });

  it('twin guard: an object followed by a folder of the same name', () => {
    const guard = new TwinGuard();
    expect(guard.check('a')).toBeUndefined();
    guard.fileWritten('a');
    expect(guard.check('a-1')).toBeUndefined();
    guard.fileWritten('a-1');
    expect(guard.check('a/x')).toBe('a');
    expect(guard.check('b')).toBeUndefined();
  });
});
