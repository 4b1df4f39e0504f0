import { awsError } from './errors.js';
import type { FakeService } from './types.js';

/** CloudTrail of the fake account: its trails and whether they log S3 data events. */
export const cloudTrailService: FakeService = {
  DescribeTrails: (_input, { account }) => ({
    trailList: (account.cloudTrail?.trails ?? []).map((t) => ({
      Name: t.name,
      TrailARN: `arn:aws:cloudtrail:${t.homeRegion}:${account.accountId}:trail/${t.name}`,
      S3BucketName: t.bucket,
      ...(t.prefix ? { S3KeyPrefix: t.prefix } : {}),
      HomeRegion: t.homeRegion,
      IsMultiRegionTrail: true,
    })),
  }),
  GetEventSelectors: (input, { account }) => {
    const name = String(input.TrailName ?? '');
    const trail = (account.cloudTrail?.trails ?? []).find((t) => t.name === name || name.endsWith(`:trail/${t.name}`));
    if (!trail) throw awsError('TrailNotFoundException', 400, `Unknown trail: ${name}`);
    return {
      TrailARN: `arn:aws:cloudtrail:${trail.homeRegion}:${account.accountId}:trail/${trail.name}`,
      EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: trail.s3DataEvents ? [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] : [] }],
    };
  },
};
