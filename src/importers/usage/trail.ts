import { DescribeTrailsCommand, GetEventSelectorsCommand, type GetEventSelectorsCommandOutput, type Trail } from '@aws-sdk/client-cloudtrail';
import type { AwsContext } from '../../aws/index.js';
import { classifyAwsError, describeAwsError } from '../../aws/errors.js';
import type { StreamSink, SyncContext } from '../../plugin-api/contract.js';
import type { UsageStatement } from '../../model/index.js';
import { trimSlashes } from './parameters.js';

/** Where the log files of the trail that records S3 data events are. */
export interface TrailLocation {
  bucket: string;
  /** Key prefix without slashes at the ends ('' for none). */
  prefix: string;
  /** The trail's name, when it was discovered (for the log). */
  trail?: string;
}

/** Does this trail record data events on S3 objects (basic or advanced event selectors)? */
export function logsS3DataEvents(selectors: Pick<GetEventSelectorsCommandOutput, 'EventSelectors' | 'AdvancedEventSelectors'>): boolean {
  const basic = (selectors.EventSelectors ?? []).some((s) => (s.DataResources ?? []).some((r) => r.Type === 'AWS::S3::Object'));
  const advanced = (selectors.AdvancedEventSelectors ?? []).some((s) => {
    const fields = s.FieldSelectors ?? [];
    const data = fields.some((f) => f.Field === 'eventCategory' && (f.Equals ?? []).includes('Data'));
    const s3 = fields.some((f) => f.Field === 'resources.type' && (f.Equals ?? []).includes('AWS::S3::Object'));
    return data && s3;
  });
  return basic || advanced;
}

/**
 * Finds the trail that logs S3 data events with cloudtrail:DescribeTrails (in each configured
 * region, until one is found; multi-region and organisation trails show up in every region) and
 * cloudtrail:GetEventSelectors. Undefined when there is none; a denied call is a warning.
 */
export async function discoverTrail(ctx: SyncContext, aws: AwsContext, out: StreamSink<UsageStatement>): Promise<TrailLocation | undefined> {
  const seen = new Set<string>();
  for (const region of aws.regions) {
    const call = { service: 'CloudTrail', operation: 'DescribeTrails', region, defaultRegion: aws.defaultRegion };
    let trails: Trail[];
    try {
      const answer = await aws.limit(() => aws.cloudTrail(region).send(new DescribeTrailsCommand({ includeShadowTrails: true }), { abortSignal: ctx.signal }));
      trails = answer.trailList ?? [];
    } catch (err) {
      const kind = classifyAwsError(err, call);
      if (kind === 'access-denied' || kind === 'region-unreadable') {
        out.warn(`usage: the trails of region ${region} could not be read: ${describeAwsError(err, call).message}`);
        continue;
      }
      throw describeAwsError(err, call);
    }
    for (const trail of trails) {
      const id = trail.TrailARN ?? trail.Name;
      if (!id || !trail.S3BucketName || seen.has(id)) continue;
      seen.add(id);
      const home = trail.HomeRegion ?? region;
      const selectorsCall = { service: 'CloudTrail', operation: 'GetEventSelectors', resource: id, region: home, defaultRegion: aws.defaultRegion };
      try {
        const selectors = await aws.limit(() => aws.cloudTrail(home).send(new GetEventSelectorsCommand({ TrailName: id }), { abortSignal: ctx.signal }));
        if (logsS3DataEvents(selectors)) return { bucket: trail.S3BucketName, prefix: trimSlashes(trail.S3KeyPrefix ?? ''), trail: trail.Name ?? id };
      } catch (err) {
        const kind = classifyAwsError(err, selectorsCall);
        if (kind === 'other' || kind === 'throttled') throw describeAwsError(err, selectorsCall);
        out.warn(`usage: the event selectors of trail ${id} could not be read: ${describeAwsError(err, selectorsCall).message}`);
      }
    }
  }
  return undefined;
}
