import { beforeAll, describe, expect, it } from 'vitest';
import { ActionCatalogue } from '../../src/policy/actions.js';
import { parsePolicyDocument } from '../../src/policy/document.js';
import { AccessDraft, evaluatePolicy } from '../../src/policy/evaluate.js';
import { KnownTree } from '../../src/policy/known-tree.js';
import type { KnownBucket } from '../../src/policy/s3-resources.js';
import { account, loadResourceTypes, resolver, treeOf } from './fixtures.js';

/** The patterns of issue 11, on a bucket `b` with a known tree, as grants and as denies. */
const BUCKETS: KnownBucket[] = [{ name: 'b', region: 'eu-west-1' }];
const b = `${account}:eu-west-1:b`;
const KEYS = ['folder1/x.csv', 'folder2/y.csv', 'fold.txt', 'other/z.csv', 'logs/app.log', 'logs/', 'logs/2024/app.log', 'logs/2024/db.log', 'team/reports/r.csv', 'reports/top.csv'];

let actions: ActionCatalogue;
beforeAll(async () => {
  actions = await ActionCatalogue.load();
  await loadResourceTypes();
});

async function place(effect: 'Allow' | 'Deny', resource: { Resource?: string | string[]; NotResource?: string | string[] }, tree: KnownTree = treeOf({ b: KEYS }, BUCKETS)) {
  const draft = new AccessDraft();
  await evaluatePolicy(parsePolicyDocument({ Statement: [{ Effect: effect, Action: 's3:GetObject', ...resource }] }), { actions, s3: resolver(BUCKETS, [], tree) }, draft);
  const side = effect === 'Allow' ? draft.grant : draft.deny;
  const reasons = effect === 'Allow' ? draft.grantReasons : draft.denyReasons;
  return { objects: side.items().map((i) => `${i.dataObject.type} ${i.dataObject.fullName.replace(`${b}`, 'b')}`), reasons: reasons.messages(), incomplete: reasons.incomplete };
}

describe('patterns narrower than a data object land exactly on the known tree, for Allow and for Deny alike', () => {
  it.each([
    { pattern: 'arn:aws:s3:::b/fold*', objects: ['file b/fold.txt', 'folder b/folder1', 'folder b/folder2'] },
    { pattern: 'arn:aws:s3:::b/*/app.log', objects: ['file b/logs/2024/app.log', 'file b/logs/app.log'] },
    // The first `*` takes the bucket name and may span `/`: reports at the top and team/reports.
    { pattern: 'arn:aws:s3:::*/reports/*', objects: ['folder b/reports', 'folder b/team/reports'] },
    { pattern: 'arn:aws:s3:::b/logs/2024/*', objects: ['folder b/logs/2024'] },
    {
      pattern: 'arn:aws:s3:::b/logs/',
      objects: [],
      reasons: [
        'statement 1: arn:aws:s3:::b/logs/ covers only part of folder logs of bucket b (only its folder marker object logs/), whose keys are not all known as data objects; no permissions are shown there',
      ],
    },
  ])('$pattern', async ({ pattern, objects, reasons = [] }) => {
    for (const effect of ['Allow', 'Deny'] as const) {
      const result = await place(effect, { Resource: pattern });
      expect(result.objects).toEqual(objects);
      expect(result.reasons.filter((r) => !r.includes('it also covers buckets'))).toEqual(reasons);
      expect(result.incomplete).toBe(reasons.length > 0);
    }
  });

  it.each([
    { notResource: 'arn:aws:s3:::b/logs/*', objects: ['file b/fold.txt', 'folder b/folder1', 'folder b/folder2', 'folder b/other', 'folder b/reports', 'folder b/team'] },
    { notResource: 'arn:aws:s3:::b/logs/2024/db.log', objects: ['file b/fold.txt', 'folder b/folder1', 'folder b/folder2', 'file b/logs/2024/app.log', 'file b/logs/app.log', 'folder b/other', 'folder b/reports', 'folder b/team'] },
  ])('NotResource $notResource leaves out exactly what it names', async ({ notResource, objects }) => {
    for (const effect of ['Allow', 'Deny'] as const) {
      const result = await place(effect, { NotResource: notResource });
      // The account-level placements (actions without a resource type) are not data objects of b.
      expect(result.objects.filter((o) => !o.startsWith('datasource'))).toEqual(objects);
      expect(result.incomplete).toBe(false);
    }
  });

  it('a tree cut by aws-s3-max-folder-depth: a folder at the cut is covered whole or not shown, with a reason naming it', async () => {
    const cut = treeOf({ b: KEYS }, BUCKETS, 1);
    const whole = await place('Deny', { Resource: 'arn:aws:s3:::b/logs/*' }, cut);
    expect(whole.objects).toEqual(['folder b/logs']);
    const part = await place('Deny', { Resource: 'arn:aws:s3:::b/logs/2024/*' }, cut);
    expect(part.objects).toEqual([]);
    expect(part.reasons).toEqual([
      'statement 1: arn:aws:s3:::b/logs/2024/* covers only part of folder logs of bucket b, whose keys are not all known as data objects; no permissions are shown there',
    ]);
    expect(part.incomplete).toBe(true);
  });

  it('a bucket whose listing did not finish shows only what covers it whole', async () => {
    const tree = new KnownTree();
    tree.add({ fullName: b, type: 'bucket', parentExternalId: account });
    tree.markBucketIncomplete('b');
    tree.complete();
    expect((await place('Allow', { Resource: 'arn:aws:s3:::b/*' }, tree)).objects).toEqual(['bucket b']);
    const part = await place('Allow', { Resource: 'arn:aws:s3:::b/logs/*' }, tree);
    expect(part).toEqual({ objects: [], reasons: ['statement 1: arn:aws:s3:::b/logs/* covers only part of bucket b, whose keys are not all known as data objects; no permissions are shown there'], incomplete: true });
  });

  it('Glue tables stand for every key beneath their location', async () => {
    const tree = new KnownTree();
    tree.add({ fullName: b, type: 'bucket', parentExternalId: account });
    tree.add({ fullName: `${b}/warehouse`, type: 'folder', parentExternalId: b });
    tree.add({ fullName: `${b}/warehouse/orders`, type: 'glue-table', parentExternalId: `${b}/warehouse` });
    tree.complete();
    expect((await place('Allow', { Resource: 'arn:aws:s3:::b/warehouse/*' }, tree)).objects).toEqual(['folder b/warehouse']);
    expect((await place('Allow', { Resource: 'arn:aws:s3:::b/warehouse/orders/*' }, tree)).objects).toEqual(['folder b/warehouse/orders']);
    expect((await place('Allow', { Resource: 'arn:aws:s3:::b/warehouse/orders/2024/*' }, tree)).incomplete).toBe(true);
  });

  it('one pattern over a million objects lists only the covering folders', async () => {
    const tree = new KnownTree(20);
    tree.add({ fullName: b, type: 'bucket', parentExternalId: account });
    for (let f = 0; f < 1000; f++) {
      const folder = `${b}/part-${String(f).padStart(4, '0')}`;
      tree.add({ fullName: folder, type: 'folder', parentExternalId: b });
      for (let i = 0; i < 1000; i++) tree.add({ fullName: `${folder}/obj-${i}.parquet`, type: 'file', parentExternalId: folder });
    }
    tree.complete();
    const started = performance.now();
    const result = await place('Allow', { Resource: 'arn:aws:s3:::b/part-00*' }, tree);
    expect(result.objects).toHaveLength(100);
    expect(result.objects[0]).toBe('folder b/part-0000');
    // A literal prefix opens one folder, not a thousand.
    const one = await place('Allow', { Resource: 'arn:aws:s3:::b/part-0042/obj-7.parquet' }, tree);
    expect(one.objects).toEqual(['file b/part-0042/obj-7.parquet']);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
