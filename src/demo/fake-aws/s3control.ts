import { awsError } from './errors.js';
import type { FakeAccessPoint, FakeAccount, FakeService } from './types.js';

function arnOf(account: FakeAccount, ap: FakeAccessPoint): string {
  return `arn:aws:s3:${ap.region}:${account.accountId}:accesspoint/${ap.name}`;
}

function findAccessPoint(account: FakeAccount, region: string, name: unknown): FakeAccessPoint {
  const ap = account.s3.accessPoints.find((a) => a.name === name && a.region === region);
  if (!ap) throw awsError('NoSuchAccessPoint', 404, `The specified accesspoint does not exist: ${String(name)}`);
  return ap;
}

/** S3 Control of the fake account: access points of the called region, paged by NextToken. */
export const s3ControlService: FakeService = {
  ListAccessPoints(input, { account, region }) {
    const inRegion = account.s3.accessPoints
      .filter((ap) => ap.region === region && (typeof input.Bucket !== 'string' || ap.bucket === input.Bucket))
      .sort((a, b) => a.name.localeCompare(b.name));
    const start = typeof input.NextToken === 'string' ? Number(input.NextToken) : 0;
    const max = typeof input.MaxResults === 'number' ? Math.max(1, Math.min(1000, input.MaxResults)) : 1000;
    const page = inRegion.slice(start, start + max);
    const next = start + page.length;
    return {
      AccessPointList: page.map((ap) => ({
        Name: ap.name,
        NetworkOrigin: 'Internet',
        Bucket: ap.bucket,
        AccessPointArn: arnOf(account, ap),
        Alias: `${ap.name}-${account.accountId.slice(0, 6)}-s3alias`,
        BucketAccountId: account.accountId,
      })),
      ...(next < inRegion.length ? { NextToken: String(next) } : {}),
    };
  },
  GetAccessPointPolicy(input, { account, region }) {
    const ap = findAccessPoint(account, region, input.Name);
    if (!ap.policy) throw awsError('NoSuchAccessPointPolicy', 404, `The specified accesspoint does not have an access point policy: ${ap.name}`);
    return { Policy: ap.policy };
  },
};
