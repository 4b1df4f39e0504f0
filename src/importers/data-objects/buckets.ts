import { GetBucketLocationCommand, paginateListBuckets } from '@aws-sdk/client-s3';
import { awsContextFor } from '../../aws/index.js';
import { describeAwsError } from '../../aws/errors.js';
import type { SyncContext } from '../../plugin-api/contract.js';
import { compareKeys } from './key-order.js';
import { bucketRegion, dataObjectFullName } from '../../model/names.js';

/** A bucket of the account with its real region and its data object full name. */
export interface BucketInfo {
  name: string;
  region: string;
  /** `<account>:<region>:<bucket>` */
  fullName: string;
  creationDate?: Date;
  /** False when neither ListBuckets nor GetBucketLocation told the region (then it is the default region). */
  regionKnown: boolean;
}

const STATE_KEY = 'data-objects:bucket-index';

/**
 * All buckets of the account with their regions, listed once per target run and shared (the data
 * source sync lists their objects, the access import maps bucket ARNs to full names). ListBuckets
 * reports each bucket's region; GetBucketLocation is asked only for buckets where it is missing
 * (older S3-compatible endpoints).
 */
export function bucketIndex(ctx: SyncContext): Promise<BucketInfo[]> {
  let index = ctx.state.get(STATE_KEY) as Promise<BucketInfo[]> | undefined;
  if (!index) {
    index = loadBucketIndex(ctx);
    ctx.state.set(STATE_KEY, index);
    // A failed listing may be retried by a later sync of the run.
    index.catch(() => ctx.state.delete(STATE_KEY));
  }
  return index;
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
        try {
          const location = await aws.limit(() => client.send(new GetBucketLocationCommand({ Bucket: name }), { abortSignal: ctx.signal }));
          known = bucketRegion(location.LocationConstraint);
        } catch (err) {
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
