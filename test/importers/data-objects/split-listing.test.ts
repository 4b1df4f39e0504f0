import { describe, expect, it } from 'vitest';
import type { FakeBucket } from '../../../src/demo/fake-aws/types.js';
import { boundaryBefore, folderLevels } from '../../../src/importers/data-objects/bucket-listing.js';
import { compareKeys } from '../../../src/importers/data-objects/key-order.js';
import { ACCOUNT, bucket, expectWellFormedTree, fakeAccount, syncFake, virtualBucket } from './scenario.js';

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Lists the bucket once with one reader (concurrency 1 never splits) and once with many, and compares. */
async function compareWithSequential(b: FakeBucket, params: Record<string, unknown> = {}) {
  const sequential = await syncFake(fakeAccount([b]), { ...params, 'aws-concurrency': 1 });
  const parallel = await syncFake(fakeAccount([b]), { ...params, 'aws-concurrency': 8 });
  expectWellFormedTree(parallel.sink.items);
  const names = (items: { fullName: string }[]) => items.map((o) => o.fullName).sort();
  expect(names(parallel.sink.items)).toEqual(names(sequential.sink.items));
  expect(parallel.sink.items.length).toBe(sequential.sink.items.length);
  // The parallel run split (a delimiter probe, and a partial page per new reader): more list calls than pages.
  expect(parallel.ctx.calls.get('S3.ListObjectsV2')).toBeGreaterThan(sequential.ctx.calls.get('S3.ListObjectsV2'));
  return { sequential, parallel };
}

describe('one large bucket is split so it lists in parallel', () => {
  it('splits by top-level folders and writes the same tree as a single listing', async () => {
    // 40 top-level folders of 600 keys each: 24 pages.
    const b = virtualBucket('lake', 'eu-central-1', 24_000, (i) => `tenant-${pad(Math.floor(i / 600), 3)}/2024/${pad(Math.floor((i % 600) / 100), 2)}/part-${pad(i % 100, 5)}.parquet`);
    const { parallel, sequential } = await compareWithSequential(b);
    expect(parallel.sink.items.filter((o) => o.type === 'file')).toHaveLength(24_000);
    expect(sequential.ctx.calls.get('S3.ListObjectsV2')).toBe(24);
  });

  it('shares the folders out with the reader that splits, so a big bucket needs few extra calls', async () => {
    // 200 top-level folders of 500 keys: 100 pages. Each split costs a delimiter probe and a partly
    // read page per boundary; a reader that gave all its folders away would soon split again.
    const b = virtualBucket('lake', 'eu-central-1', 100_000, (i) => `tenant-${pad(Math.floor(i / 500), 3)}/part-${pad(i % 500, 5)}.parquet`);
    const run = await syncFake(fakeAccount([b]), { 'aws-concurrency': 4 });
    expect(run.sink.items.filter((o) => o.type === 'file')).toHaveLength(100_000);
    const calls = run.ctx.calls.get('S3.ListObjectsV2');
    expect(calls).toBeGreaterThan(100);
    expect(calls).toBeLessThanOrEqual(110);
  });

  it('splits deeper when everything sits under one top-level folder', async () => {
    const b = virtualBucket('events', 'eu-west-1', 20_000, (i) => `events/day=${pad(Math.floor(i / 500), 3)}/hour=${pad(Math.floor((i % 500) / 50), 2)}/f-${pad(i % 50, 3)}.json`);
    const { parallel } = await compareWithSequential(b);
    expect(parallel.sink.items.filter((o) => o.type === 'file')).toHaveLength(20_000);
    expect(parallel.sink.items.filter((o) => o.fullName === `${ACCOUNT}:eu-west-1:events/events`)).toHaveLength(1);
  });

  it('keeps folders whose names sort around each other apart (a/b-x/, a/b.txt, a/b, a/b/)', async () => {
    const keys: string[] = [];
    for (let i = 0; i < 2_500; i++) keys.push(`a/b-x/${pad(i, 5)}`, `a/b/${pad(i, 5)}`, `a/b.${pad(i, 5)}`, `a/c/${pad(i, 5)}/d`);
    keys.push('a/b', 'a/b-x', 'a/b/', 'z');
    const { parallel } = await compareWithSequential(bucket('tricky', 'eu-central-1', keys));
    expect(parallel.sink.items.filter((o) => o.type === 'file')).toHaveLength(keys.length - 1);
    // The objects `a/b` and `a/b-x` stand for their folder twins: one record each, the folders' keys under them.
    const T = `${ACCOUNT}:eu-central-1:tricky`;
    expect(parallel.byName.get(`${T}/a/b`)).toMatchObject({ type: 'file', parentExternalId: `${T}/a` });
    expect(parallel.byName.get(`${T}/a/b/00007`)).toMatchObject({ type: 'file', parentExternalId: `${T}/a/b` });
    expect(parallel.byName.get(`${T}/a/b-x`)).toMatchObject({ type: 'file' });
    expect(parallel.byName.get(`${T}/a/c/00042`)).toMatchObject({ type: 'folder', parentExternalId: `${T}/a/c` });
  });

  it('splits with a max depth and without folder emulation as well', async () => {
    const b = virtualBucket('deep', 'eu-central-1', 12_000, (i) => `p${pad(Math.floor(i / 1000), 2)}/q${pad(Math.floor((i % 1000) / 100), 2)}/r/${pad(i % 100, 3)}.csv`);
    await compareWithSequential(b, { 'aws-s3-max-folder-depth': 2 });
    await compareWithSequential(b, { 'aws-s3-emulate-folder-structure': false });
  });
});

describe('split boundaries', () => {
  it('keep the order of their folders and sit between a folder and what sorts before it', () => {
    const folders = ['a/b-x/', 'a/b/', 'a/c/'];
    const bounds = folders.map(boundaryBefore);
    expect([...bounds].sort(compareKeys)).toEqual(bounds);
    expect(compareKeys('a/b.txt', boundaryBefore('a/b/'))).toBeLessThan(0);
    expect(compareKeys('a/b', boundaryBefore('a/b/'))).toBeLessThan(0);
    expect(compareKeys('a/b/', boundaryBefore('a/b/'))).toBeGreaterThan(0);
  });

  it('folder levels of a key', () => {
    expect(folderLevels('a/b/c.txt')).toEqual(['', 'a/', 'a/b/']);
    expect(folderLevels('top')).toEqual(['']);
  });

  it('keys compare in code point order (as S3 orders UTF-8), not UTF-16 order', () => {
    expect(compareKeys('\u{1F600}', '\uFFFD')).toBeGreaterThan(0);
    expect('\u{1F600}' < '\uFFFD').toBe(true);
    expect(compareKeys('a', 'ab')).toBeLessThan(0);
  });
});
