import { ActionCatalogue } from '../../src/policy/actions.js';
import type { EvaluationContext } from '../../src/policy/evaluate.js';
import { KnownTree } from '../../src/policy/known-tree.js';
import { S3Resolver, type KnownAccessPoint, type KnownBucket } from '../../src/policy/s3-resources.js';
import { loadS3Permissions, type S3ResourceType } from '../../src/policy/s3-permissions.js';
import { dataObjectFullName } from '../../src/model/names.js';

export const account = '111122223333';

export const buckets: KnownBucket[] = [
  { name: 'acme-sales', region: 'eu-central-1' },
  { name: 'acme-hr', region: 'eu-west-1' },
  { name: 'acme-logs', region: 'us-east-1' },
];

export const accessPoints: KnownAccessPoint[] = [
  { name: 'reports-ap', bucket: 'acme-sales', region: 'eu-central-1', accountId: account, arn: `arn:aws:s3:eu-central-1:${account}:accesspoint/reports-ap` },
];

/**
 * The known tree as the data object sync writes it for these keys: each bucket, the folders on
 * the way to each key (up to `maxDepth`), and the key as a file when it is within the depth
 * (a `folder/` marker key writes only its folder).
 */
export function treeOf(keys: Record<string, string[]>, list: KnownBucket[] = buckets, maxDepth = 20): KnownTree {
  const tree = new KnownTree(maxDepth);
  for (const bucket of list) {
    const full = (path?: string): string => dataObjectFullName(account, bucket.region, bucket.name, path);
    tree.add({ fullName: full(), type: 'bucket', parentExternalId: account });
    const seen = new Set<string>();
    for (const key of [...(keys[bucket.name] ?? [])].sort()) {
      const segments = key.split('/');
      let parent: string | undefined;
      for (let depth = 1; depth < segments.length && depth <= maxDepth; depth++) {
        const path = segments.slice(0, depth).join('/');
        if (!seen.has(path)) tree.add({ fullName: full(path), type: 'folder', parentExternalId: parent === undefined ? full() : full(parent) });
        seen.add(path);
        parent = path;
      }
      if (!key.endsWith('/') && segments.length <= maxDepth) tree.add({ fullName: full(key), type: 'file', parentExternalId: parent === undefined ? full() : full(parent) });
    }
  }
  return tree.complete();
}

/** The objects of the sample buckets in these tests. */
export const knownKeys: Record<string, string[]> = {
  'acme-sales': ['reports/2024/q1.csv', 'reports/2024/q2.csv', 'reports/summary.txt', 'reports/', 'q1/orders.csv', 'home/alice/notes.txt', 'home/bob/notes.txt', 'readme.md'],
  'acme-hr': ['salaries/2024.csv', 'reviews/2024/alice.pdf', 'public/handbook.pdf'],
  'acme-logs': ['2024/app.log', '2024/db.log', '2025/app.log'],
};

let resourceTypes: readonly S3ResourceType[] = [];

/** Call once (beforeAll) so resolvers know S3's resource types and their ARN formats. */
export async function loadResourceTypes(): Promise<void> {
  resourceTypes = (await loadS3Permissions()).resourceTypes;
}

export function resolver(list: KnownBucket[] = buckets, aps: KnownAccessPoint[] = accessPoints, tree: KnownTree = treeOf(knownKeys, list)): S3Resolver {
  return new S3Resolver({ accountId: account, buckets: new Map(list.map((b) => [b.name, b])), accessPoints: aps, tree, resourceTypes });
}

let catalogue: Promise<ActionCatalogue> | undefined;

export async function evaluationContext(): Promise<EvaluationContext> {
  catalogue ??= ActionCatalogue.load();
  await loadResourceTypes();
  return { actions: await catalogue, s3: resolver() };
}

/** Full names as the data object import writes them. */
export const fn = {
  ds: account,
  sales: `${account}:eu-central-1:acme-sales`,
  hr: `${account}:eu-west-1:acme-hr`,
  logs: `${account}:us-east-1:acme-logs`,
};
