import type { GetEventSelectorsCommandOutput } from '@aws-sdk/client-cloudtrail';
import { DescribeTrailsCommand, GetEventSelectorsCommand } from '../../aws/sdk/cloudtrail.js';
import type { AwsCall } from '../../aws/errors.js';
import type { AwsReads } from '../../aws/reads.js';
import type { StreamSink } from '../../plugin-api/contract.js';
import type { UsageStatement } from '../../model/index.js';
import { trailDiscoveryFailures } from './failures.js';
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
 * cloudtrail:GetEventSelectors. Undefined when there is none. A region or trail that cannot be
 * read is a warning (see trailDiscoveryFailures); bad credentials fail the sync.
 */
export async function discoverTrail(reads: AwsReads, out: StreamSink<UsageStatement>): Promise<TrailLocation | undefined> {
  const { aws } = reads;
  const seen = new Set<string>();
  for (const region of aws.regions) {
    const call: AwsCall = { service: 'CloudTrail', operation: 'DescribeTrails', region };
    const described = await reads.guard(call, out, `usage: the trails of region ${region}`, () =>
      reads.call((signal) => aws.cloudTrail(region).send(new DescribeTrailsCommand({ includeShadowTrails: true }), { abortSignal: signal })),
      trailDiscoveryFailures,
    );
    if (!described.ok) continue;
    for (const trail of described.value.trailList ?? []) {
      const id = trail.TrailARN ?? trail.Name;
      if (!id || !trail.S3BucketName || seen.has(id)) continue;
      seen.add(id);
      const home = trail.HomeRegion ?? region;
      const selectorsCall: AwsCall = { service: 'CloudTrail', operation: 'GetEventSelectors', resource: id, region: home };
      const selectors = await reads.guard(selectorsCall, out, `usage: the event selectors of trail ${id}`, () =>
        reads.call((signal) => aws.cloudTrail(home).send(new GetEventSelectorsCommand({ TrailName: id }), { abortSignal: signal })),
        trailDiscoveryFailures,
      );
      if (selectors.ok && logsS3DataEvents(selectors.value)) return { bucket: trail.S3BucketName, prefix: trimSlashes(trail.S3KeyPrefix ?? ''), trail: trail.Name ?? id };
    }
  }
  return undefined;
}
