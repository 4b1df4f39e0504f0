import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AccessProviderToExport, type DataObjectType, type WhatItem } from '../../src/model/index.js';
import { loadS3Permissions, type S3Permission } from '../../src/policy/index.js';
import { ACCOUNT, REGION, emptyAccount, exportThenImport, isMutating, withIdentityCenter } from './fake-account.js';

/**
 * Round trip: what the export writes, the connector's own import reads back as the same `what`,
 * for generated providers (roles, managed policies, access points, permission sets) over generated
 * data-object trees.
 */

interface Tree {
  buckets: string[];
  objects: { fullName: string; type: DataObjectType; bucket?: string }[];
}

const tree = fc
  .record({
    buckets: fc.uniqueArray(fc.constantFrom('sales', 'hr-data', 'logs', 'finance'), { minLength: 1, maxLength: 3 }),
    folders: fc.uniqueArray(fc.constantFrom('2026', 'eu', 'eu/q1', 'raw/in'), { maxLength: 3 }),
    files: fc.uniqueArray(fc.constantFrom('a.csv', 'eu/b.parquet', '2026/c.json'), { maxLength: 2 }),
  })
  .map(({ buckets, folders, files }): Tree => {
    const objects: Tree['objects'] = [{ fullName: ACCOUNT, type: 'datasource' }];
    for (const b of buckets) {
      objects.push({ fullName: `${ACCOUNT}:${REGION}:${b}`, type: 'bucket', bucket: b });
      for (const f of folders) objects.push({ fullName: `${ACCOUNT}:${REGION}:${b}/${f}`, type: 'folder', bucket: b });
      for (const f of files) objects.push({ fullName: `${ACCOUNT}:${REGION}:${b}/${f}`, type: 'file', bucket: b });
    }
    return { buckets, objects };
  });

const relative = (t: Tree, type: DataObjectType): string[] => [...new Set(t.objects.filter((o) => o.type === type && o.bucket === t.buckets[0]).map((o) => o.fullName.slice(o.fullName.indexOf('/') + 1)))];
const files = (t: Tree): string[] => relative(t, 'file');
const folders = (t: Tree): string[] => relative(t, 'folder');

/** The permissions an access provider of this kind can carry on a data object of this type. */
function allowed(all: readonly S3Permission[], type: DataObjectType, viaAccessPoint: boolean): string[] {
  return all
    .filter((p) => p.dataObjectTypes.includes(type))
    .filter((p) => !viaAccessPoint || (type === 'bucket' ? p.resourceTypes.includes('accesspoint') || p.resourceTypes.includes('accesspointobject') : p.resourceTypes.includes('accesspointobject')))
    .map((p) => p.action);
}

/** How the import writes a what: one item per data object, permissions sorted, items by full name. */
function normalised(what: readonly WhatItem[]): WhatItem[] {
  const byName = new Map<string, { type: DataObjectType; permissions: Set<string> }>();
  for (const item of what) {
    const entry = byName.get(item.dataObject.fullName) ?? { type: item.dataObject.type as DataObjectType, permissions: new Set<string>() };
    for (const p of item.permissions) entry.permissions.add(p);
    byName.set(item.dataObject.fullName, entry);
  }
  return [...byName.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([fullName, { type, permissions }]) => ({ dataObject: { fullName, type }, permissions: [...permissions].sort() }));
}

describe('export then import: the same what', () => {
  it('holds for generated roles, managed policies, deny policies, access points and permission sets over generated trees', async () => {
    const permissions = (await loadS3Permissions()).all;
    const scenario = tree.chain((t) => {
      const item = (viaAccessPoint: boolean, bucket?: string) =>
        fc
          .constantFrom(...t.objects.filter((o) => (viaAccessPoint ? o.bucket !== undefined && o.bucket === bucket : true)))
          .chain((o) => fc.uniqueArray(fc.constantFrom(...allowed(permissions, o.type, viaAccessPoint)), { minLength: 1, maxLength: 3 }).map((perms): WhatItem => ({ dataObject: { fullName: o.fullName, type: o.type }, permissions: perms })));
      const provider = fc.oneof(
        fc.record({ kind: fc.constant('aws_role' as const), what: fc.array(item(false), { minLength: 1, maxLength: 4 }) }),
        fc.record({ kind: fc.constant('aws_policy' as const), what: fc.array(item(false), { minLength: 1, maxLength: 4 }) }),
        fc.record({ kind: fc.constant('deny' as const), what: fc.array(item(false), { minLength: 1, maxLength: 4 }) }),
        fc.record({ kind: fc.constant('aws_sso_role' as const), what: fc.array(item(false), { minLength: 1, maxLength: 4 }) }),
        fc.constantFrom(...t.buckets).chain((b) => fc.record({ kind: fc.constant('aws_access_point' as const), what: fc.array(item(true, b), { minLength: 1, maxLength: 3 }) })),
      );
      return fc.record({ tree: fc.constant(t), providers: fc.array(provider, { minLength: 1, maxLength: 4 }) });
    });

    await fc.assert(
      fc.asyncProperty(scenario, async ({ tree: t, providers }) => {
        const account = emptyAccount();
        account.iam.users.push({ UserName: 'ann', Arn: `arn:aws:iam::${ACCOUNT}:user/ann`, GroupList: [] });
        // ann is an Identity Center user too, so permission sets have an assignment.
        const params = withIdentityCenter(account, ['ann']);
        // The import places policies on the objects that exist: the bucket holds the tree's files, and
        // every folder (and the bucket's root) one more key that no provider names, so a grant on one
        // file is never read back as its whole folder.
        const keys = [...files(t), 'zz-keep', ...folders(t).map((f) => `${f}/zz-keep`)];
        for (const b of t.buckets) account.s3.buckets.push({ name: b, region: REGION, objects: keys.map((key) => ({ key, size: 1 })) });
        const inputs = providers.map((p, i) =>
          AccessProviderToExport.parse({ id: `p${i}`, name: `${p.kind} ${i}`, type: p.kind === 'deny' ? undefined : p.kind, action: p.kind === 'deny' ? 'deny' : 'grant', who: { users: ['ann'] }, what: p.what }),
        );
        const { feedback, imported } = await exportThenImport(account, inputs, { importAfter: true, params });
        expect(feedback.map((f) => f.errors)).toEqual(inputs.map(() => []));
        const byExternalId = new Map(imported.map((p) => [p.externalId, p]));
        for (const [i, f] of feedback.entries()) {
          // The import shows the Deny statements of a policy as its `#deny` access provider.
          const externalId = inputs[i]!.action === 'deny' ? `${f.externalId}#deny` : f.externalId!;
          expect(byExternalId.get(externalId)?.what, `${inputs[i]!.type ?? 'deny'} ${externalId}`).toEqual(normalised(inputs[i]!.what));
        }
        // And a second export of the same input changes nothing.
        const again = await exportThenImport(account, inputs, { params });
        expect(again.calls.filter(isMutating)).toEqual([]);
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
