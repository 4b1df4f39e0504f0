import { describe, expect, it } from 'vitest';
import { ACCOUNT, doc, scenario, statement } from './scenario.js';

const sales = `${ACCOUNT}:eu-central-1:acme-sales`;
const keys = ['reports/2024/q1.csv', 'reports/2024/q2.csv', 'reports/summary.txt', 'raw/2024/01/events.json', 'readme.md'];
const account = () =>
  scenario()
    .bucket('acme-sales', 'eu-central-1', undefined, keys)
    .managedPolicy('Csv', doc(statement('Allow', 's3:GetObject', 'arn:aws:s3:::acme-sales/*.csv'), statement('Deny', 's3:GetObject', 'arn:aws:s3:::acme-sales/raw/2024/01/*')))
    .user('alice', { attached: ['Csv'] });

describe('the access import resolves policies against the data objects known in the run', () => {
  it('uses what the data source sync of the same run wrote: no second listing', async () => {
    const { ctx, byId, dataObjects } = await account().run({}, { withDataSource: true });
    expect(dataObjects.items.filter((d) => d.type === 'file').map((d) => d.name)).toEqual(['events.json', 'readme.md', 'q1.csv', 'q2.csv', 'summary.txt']);
    // One listing, by the data source sync.
    expect(ctx.calls.get('S3.ListObjectsV2')).toBe(1);
    const policy = byId.get(`policy:arn:aws:iam::${ACCOUNT}:policy/Csv`);
    expect(policy?.what).toEqual([
      { dataObject: { fullName: `${sales}/reports/2024/q1.csv`, type: 'file' }, permissions: ['s3:GetObject'] },
      { dataObject: { fullName: `${sales}/reports/2024/q2.csv`, type: 'file' }, permissions: ['s3:GetObject'] },
    ]);
    expect(byId.get(`policy:arn:aws:iam::${ACCOUNT}:policy/Csv#deny`)?.what).toEqual([{ dataObject: { fullName: `${sales}/raw/2024/01`, type: 'folder' }, permissions: ['s3:GetObject'] }]);
  });

  it('lists once itself when the data source sync did not run, with the same result', async () => {
    const { ctx, byId } = await account().run();
    expect(ctx.calls.get('S3.ListObjectsV2')).toBe(1);
    expect(byId.get(`policy:arn:aws:iam::${ACCOUNT}:policy/Csv`)?.what.map((w) => w.dataObject.fullName)).toEqual([`${sales}/reports/2024/q1.csv`, `${sales}/reports/2024/q2.csv`]);
  });

  it('a tree cut by aws-s3-max-folder-depth: the deny below the cut is not shown, and the provider says which folder', async () => {
    const { byId } = await account().run({ 'aws-s3-max-folder-depth': 2 }, { withDataSource: true });
    const deny = byId.get(`policy:arn:aws:iam::${ACCOUNT}:policy/Csv#deny`);
    expect(deny?.what).toEqual([]);
    expect(deny?.incomplete).toBe(true);
    expect(deny?.reasons).toEqual([
      'statement 2: arn:aws:s3:::acme-sales/raw/2024/01/* covers only part of folder raw/2024 of bucket acme-sales, whose keys are not all known as data objects; no permissions are shown there',
    ]);
    // The csv files below the cut are not known either: the grant names the folder it cannot show.
    const grant = byId.get(`policy:arn:aws:iam::${ACCOUNT}:policy/Csv`);
    expect(grant?.what).toEqual([]);
    expect(grant?.reasons).toContain(
      'statement 1: arn:aws:s3:::acme-sales/*.csv covers only part of folder raw/2024 of bucket acme-sales, folder reports/2024 of bucket acme-sales, whose keys are not all known as data objects; no permissions are shown there',
    );
  });

  it('a bucket that could not be listed is not fully known: a pattern inside it is not shown, and says so', async () => {
    const { byId } = await account().denied('S3.ListObjectsV2:acme-sales').run({}, { withDataSource: true });
    const grant = byId.get(`policy:arn:aws:iam::${ACCOUNT}:policy/Csv`);
    expect(grant?.what).toEqual([]);
    expect(grant?.reasons).toContain('statement 1: arn:aws:s3:::acme-sales/*.csv covers only part of bucket acme-sales, whose keys are not all known as data objects; no permissions are shown there');
  });
});
