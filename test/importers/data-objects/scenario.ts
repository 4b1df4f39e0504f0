import { awsConnectionParameters } from '../../../src/aws/index.js';
import { fakeAwsInterceptor } from '../../../src/demo/fake-aws/interceptor.js';
import { glueService } from '../../../src/demo/fake-aws/glue.js';
import { stsService } from '../../../src/demo/fake-aws/iam.js';
import { s3Service } from '../../../src/demo/fake-aws/s3.js';
import type { FakeAccount, FakeBucket, FakeObjectList } from '../../../src/demo/fake-aws/types.js';
import type { SyncContext } from '../../../src/plugin-api/contract.js';
import { syncDataObjects } from '../../../src/importers/data-objects/index.js';
import { compareKeys } from '../../../src/importers/data-objects/key-order.js';
import { dataObjectParameters } from '../../../src/importers/data-objects/parameters.js';
import type { DataObject } from '../../../src/model/index.js';
import { testContext } from '../../helpers/context.js';
import { memoryOutputs, type MemorySink } from '../../helpers/sinks.js';

export const ACCOUNT = '123456789012';
export const specs = [...awsConnectionParameters, ...dataObjectParameters];

/** A bucket holding these keys (sorted as S3 lists them). */
export function bucket(name: string, region: string, keys: string[], extra: Partial<FakeBucket> = {}): FakeBucket {
  const objects = [...keys].sort(compareKeys).map((key) => ({ key, size: 1 }));
  return { name, region, objects, ...extra };
}

/** A bucket of `count` generated keys, made on demand (never held as an array). */
export function virtualBucket(name: string, region: string, count: number, keyAt: (i: number) => string): FakeBucket {
  const objects: FakeObjectList = { length: count, at: (i) => (i >= 0 && i < count ? { key: keyAt(i), size: 1 } : undefined) };
  return { name, region, objects };
}

export function fakeAccount(buckets: FakeBucket[], extra: Partial<FakeAccount> = {}): FakeAccount {
  return {
    accountId: ACCOUNT,
    callerArn: `arn:aws:iam::${ACCOUNT}:user/connector`,
    iam: { users: [], groups: [], roles: [], policies: [] },
    s3: { buckets, accessPoints: [] },
    glue: {},
    ...extra,
  };
}

export interface SyncResult {
  sink: MemorySink<DataObject>;
  ctx: SyncContext;
  byName: Map<string, DataObject>;
}

/** Runs the data source sync against a fake account answered through the SDK clients. */
export async function syncFake(account: FakeAccount, params: Record<string, unknown> = {}): Promise<SyncResult> {
  const interceptor = fakeAwsInterceptor(account, { S3: s3Service, Glue: glueService, STS: stsService });
  const ctx = testContext({ specs, params, awsInterceptor: interceptor });
  const out = memoryOutputs();
  await syncDataObjects(ctx, out);
  const sink = out['data-objects'];
  return { sink, ctx, byName: new Map(sink.items.map((o) => [o.fullName, o])) };
}

/** Every record's parent was written before it, and no full name appears twice. */
export function expectWellFormedTree(items: DataObject[]): void {
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.externalId)) throw new Error(`written twice: ${item.externalId}`);
    if (item.type !== 'datasource' && (item.parentExternalId === undefined || !seen.has(item.parentExternalId))) {
      throw new Error(`${item.fullName} written before its parent ${item.parentExternalId}`);
    }
    seen.add(item.externalId);
  }
}

/** Full names by type, sorted, for compact assertions. */
export function namesOf(items: DataObject[], type: DataObject['type']): string[] {
  return items.filter((o) => o.type === type).map((o) => o.fullName).sort();
}
