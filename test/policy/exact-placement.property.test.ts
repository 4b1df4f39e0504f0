import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ActionCatalogue } from '../../src/policy/actions.js';
import { parsePolicyDocument } from '../../src/policy/document.js';
import { AccessDraft, evaluatePolicy } from '../../src/policy/evaluate.js';
import type { KnownBucket } from '../../src/policy/s3-resources.js';
import { account, loadResourceTypes, resolver, treeOf } from './fixtures.js';
import { directArnMatch, directMatch } from './oracle.js';

/**
 * The invariant of exact placement, stated directly: for random trees and random policies,
 * every (permission, data object) the grant side claims is allowed for every key beneath that
 * data object by a small reference evaluator (exact glob matching, deny wins, keys beneath a deny
 * of the same provider aside), and every deny placed holds for every key beneath it.
 */

const BUCKETS: KnownBucket[] = [
  { name: 'b1', region: 'eu-west-1' },
  { name: 'b2', region: 'eu-west-1' },
];
const CHECKED = ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'];

let actions: ActionCatalogue;
beforeAll(async () => {
  actions = await ActionCatalogue.load();
  await loadResourceTypes();
});

interface Statement {
  Effect: 'Allow' | 'Deny';
  Action: string[];
  Resource?: string[];
  NotResource?: string[];
}

/** The reference: does this statement reach (action, bucket, key)? */
function reaches(s: Statement, action: string, bucket: string, key: string): boolean {
  if (!s.Action.some((a) => directMatch(a.toLowerCase(), action.toLowerCase()))) return false;
  const arn = `arn:aws:s3:::${bucket}/${key}`;
  if (s.Resource) return s.Resource.some((r) => directArnMatch(r, arn));
  return !(s.NotResource ?? []).some((r) => directArnMatch(r, arn));
}

const segment = fc.constantFrom('a', 'b', 'ab', 'ba');
const key = fc.array(segment, { minLength: 1, maxLength: 3 }).chain((segs) => fc.boolean().map((marker) => `${segs.join('/')}${marker && segs.length > 1 ? '/' : ''}`));
const keyPattern = fc.array(fc.constantFrom('a', 'b', '/', '*', '?', 'ab/'), { maxLength: 5 }).map((c) => c.join(''));
const pattern = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(fc.constantFrom('b1', 'b2', 'b*', '*', 'b?'), keyPattern).map(([b, k]) => `arn:aws:s3:::${b}/${k}`) },
  { weight: 1, arbitrary: fc.constantFrom('*', 'arn:aws:s3:::*', 'arn:aws:s3:::b1', 'arn:aws:s3:::*/*') },
);
const statement: fc.Arbitrary<Statement> = fc
  .record({
    Effect: fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Deny'),
    Action: fc.array(fc.constantFrom('s3:GetObject', 's3:PutObject', 's3:*Object', 's3:Get*', 's3:DeleteObject'), { minLength: 1, maxLength: 2 }),
    patterns: fc.array(pattern, { minLength: 1, maxLength: 2 }),
    negated: fc.boolean(),
  })
  .map(({ Effect, Action, patterns, negated }) => (negated ? { Effect, Action, NotResource: patterns } : { Effect, Action, Resource: patterns }));
const suffix = fc.array(fc.constantFrom('a', 'b', '/', 'x'), { maxLength: 4 }).map((c) => c.join(''));

/** Keys beneath a data object: the known ones under it, and random others (new keys, folder markers). */
function keysBeneath(fullName: string, known: Record<string, string[]>, extra: string[], type = 'folder'): { bucket: string; key: string }[] {
  const out: { bucket: string; key: string }[] = [];
  const prefix = `${account}:eu-west-1:`;
  if (fullName === account) {
    for (const b of BUCKETS) for (const k of [...(known[b.name] ?? []), ...extra]) if (k) out.push({ bucket: b.name, key: k });
    return out;
  }
  const rest = fullName.slice(prefix.length);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? '' : rest.slice(slash + 1);
  // A file is its one key; a bucket or folder holds every key below it, known or not (a folder marker too).
  // (A file that is also a folder, `x` and `x/...`, is one data object: the file, with the folder's keys beneath it.)
  const all = [...(known[bucket] ?? []), ...extra, ...extra.map((e) => `${path}/${e}`)];
  const twin = (known[bucket] ?? []).some((k) => k.startsWith(`${path}/`));
  if (type === 'file') out.push({ bucket, key: path });
  if (type === 'file' && !twin) return out;
  for (const k of all) {
    if (!k) continue;
    if (path === '' || k.startsWith(`${path}/`)) out.push({ bucket, key: k });
  }
  return out;
}

describe('exact placement on the known tree', () => {
  it('claims only what holds for every key beneath, for grants and denies', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ b1: fc.uniqueArray(key, { maxLength: 8 }), b2: fc.uniqueArray(key, { maxLength: 4 }) }),
        fc.integer({ min: 1, max: 3 }),
        fc.array(statement, { minLength: 1, maxLength: 3 }),
        fc.array(suffix, { minLength: 3, maxLength: 6 }),
        async (known, maxDepth, statements, extra) => {
          const s3 = resolver(BUCKETS, [], treeOf(known, BUCKETS, maxDepth));
          const draft = new AccessDraft();
          await evaluatePolicy(parsePolicyDocument({ Statement: statements }), { actions, s3 }, draft);
          const denies = draft.deny.items();
          const deniedHere = (permission: string, bucket: string, k: string): boolean =>
            denies.some((d) => d.permissions.includes(permission) && keysBeneath(d.dataObject.fullName, { [bucket]: [k] }, [], d.dataObject.type).some((x) => x.bucket === bucket && x.key === k));
          for (const item of draft.grant.items()) {
            for (const permission of item.permissions.filter((p) => CHECKED.includes(p))) {
              for (const { bucket, key: k } of keysBeneath(item.dataObject.fullName, known, extra, item.dataObject.type)) {
                // Never wider than the Allow statements, for any key beneath, known or not.
                expect(statements.some((s) => s.Effect === 'Allow' && reaches(s, permission, bucket, k)), `${permission} on ${bucket}/${k} claimed by ${item.dataObject.fullName}`).toBe(true);
                // Deny wins: an object that exists and that a Deny reaches is shown denied, or the deny side says what it could not show.
                // (Folder marker objects `x/` are no data objects: the data object sync does not write them.)
                const exists = !k.endsWith('/') && ((known as Record<string, string[]>)[bucket] ?? []).includes(k);
                if (!exists || deniedHere(permission, bucket, k) || draft.denyReasons.incomplete) continue;
                expect(statements.some((s) => s.Effect === 'Deny' && reaches(s, permission, bucket, k)), `${permission} on ${bucket}/${k} denied but not shown`).toBe(false);
              }
            }
          }
          for (const item of denies) {
            for (const permission of item.permissions.filter((p) => CHECKED.includes(p))) {
              for (const { bucket, key: k } of keysBeneath(item.dataObject.fullName, known, extra, item.dataObject.type)) {
                expect(statements.some((s) => s.Effect === 'Deny' && reaches(s, permission, bucket, k)), `deny ${permission} on ${bucket}/${k} placed on ${item.dataObject.fullName}`).toBe(true);
              }
            }
          }
        },
      ),
      { numRuns: 800 },
    );
  });

  it('a known object a pattern matches is placed, or the provider says which data object it could not show', async () => {
    await fc.assert(
      fc.asyncProperty(fc.record({ b1: fc.uniqueArray(key, { minLength: 1, maxLength: 8 }), b2: fc.constant([] as string[]) }), fc.integer({ min: 1, max: 3 }), pattern, async (known, maxDepth, p) => {
        const s3 = resolver(BUCKETS, [], treeOf(known, BUCKETS, maxDepth));
        const draft = new AccessDraft();
        await evaluatePolicy(parsePolicyDocument({ Statement: [{ Effect: 'Deny', Action: 's3:GetObject', Resource: p }] }), { actions, s3 }, draft);
        const placed = draft.deny.items();
        for (const k of known.b1) {
          if (k.endsWith('/') || !directArnMatch(p, `arn:aws:s3:::b1/${k}`)) continue;
          const shown = placed.some((d) => keysBeneath(d.dataObject.fullName, { b1: [k] }, [], d.dataObject.type).some((x) => x.key === k));
          if (!shown) expect(draft.denyReasons.incomplete, `${p} matches b1/${k}, not shown and not said`).toBe(true);
        }
      }),
      { numRuns: 800 },
    );
  });
});
