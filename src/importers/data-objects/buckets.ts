import { GetBucketLocationCommand, paginateListBuckets } from '../../aws/sdk/s3.js';
import { awsContextFor } from '../../aws/index.js';
import { describeAwsError } from '../../aws/errors.js';
import type { SyncContext } from '../../plugin-api/contract.js';
import { sharedRead, stateKey } from '../../plugin-api/shared-state.js';
import { compareKeys } from './key-order.js';
import { bucketRegion, dataObjectFullName } from '../../model/names.js';
import { dataObjectOptions } from './parameters.js';

/** A bucket of the account with its real region and its data object full name. */
export interface BucketInfo {
  name: string;
  region: string;
  /** `<account>:<region>:<bucket>` */
  fullName: string;
  creationDate?: Date;
  /** False when neither ListBuckets nor GetBucketLocation told the region (then it is the default region until S3 redirects). */
  regionKnown: boolean;
}

/** The account's buckets, and those that aws-s3-include-buckets / aws-s3-exclude-buckets keep: every importer reads the same scope. */
export interface BucketScope {
  /** Every bucket of the account (to map bucket ARNs in policies to their region). */
  all: BucketInfo[];
  /** The buckets the connector reads: their objects, their policies. */
  inScope: BucketInfo[];
}

const INDEX = stateKey<Promise<BucketInfo[]>>('data-objects:bucket-index');

/**
 * All buckets of the account with their regions, listed once per target run and shared (the data
 * source sync lists their objects, the access import maps bucket ARNs to full names). ListBuckets
 * reports each bucket's region; GetBucketLocation is asked only for buckets where it is missing
 * (older S3-compatible endpoints). A failed listing is not kept: a later sync reads again.
 */
export function bucketIndex(ctx: SyncContext): Promise<BucketInfo[]> {
  return sharedRead(ctx, INDEX, () => loadBucketIndex(ctx));
}

/** The bucket index split by the include/exclude parameters of this target. */
export async function bucketScope(ctx: SyncContext): Promise<BucketScope> {
  const all = await bucketIndex(ctx);
  const { bucketInScope } = dataObjectOptions(ctx.params);
  return { all, inScope: all.filter((b) => bucketInScope(b.name)) };
}

async function loadBucketIndex(ctx: SyncContext): Promise<BucketInfo[]> {
  const aws = awsContextFor(ctx);
  const account = await aws.accountId();
  const client = aws.s3(aws.defaultRegion);
  const listed: { name: string; region?: string; creationDate?: Date }[] = [];
  const pages = paginateListBuckets({ client, pageSize: 1000 }, {}, { abortSignal: ctx.signal })[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await aws.limit(() => pages.next());
      if (next.done) break;
      for (const b of next.value.Buckets ?? []) {
        if (b.Name) listed.push({ name: b.Name, region: b.BucketRegion || undefined, creationDate: b.CreationDate });
      }
    }
  } catch (err) {
    throw describeAwsError(err, { service: 'S3', operation: 'ListBuckets', region: aws.defaultRegion, defaultRegion: aws.defaultRegion });
  }

  const buckets = await Promise.all(
    listed.map(async ({ name, region, creationDate }): Promise<BucketInfo> => {
      let known = region;
      if (known === undefined) {
        // The SDK retries throttling and server errors; what is left leaves the region unknown, and
        // the listing then follows S3's redirect to the real region.
        try {
          const location = await aws.limit(() => client.send(new GetBucketLocationCommand({ Bucket: name }), { abortSignal: ctx.signal }));
          known = bucketRegion(location.LocationConstraint);
        } catch (err) {
          ctx.signal.throwIfAborted();
          ctx.logger.warn({ bucket: name, err: describeAwsError(err, { service: 'S3', operation: 'GetBucketLocation', resource: name }).message }, 'bucket region unknown; assuming the default region');
        }
      }
      const where = known ?? aws.defaultRegion;
      return { name, region: where, fullName: dataObjectFullName(account, where, name), creationDate, regionKnown: known !== undefined };
    }),
  );
  return buckets.sort((a, b) => compareKeys(a.name, b.name));
}

/** Bucket name -> region, for callers that resolve many names (Glue locations, ARNs). */
export async function bucketRegions(ctx: SyncContext): Promise<Map<string, string>> {
  return new Map((await bucketIndex(ctx)).map((b) => [b.name, b.region]));
}
