import { GetAccessPointPolicyCommand, ListAccessPointsCommand } from '../../aws/sdk/s3-control.js';
import type { AwsReads } from '../../aws/reads.js';
import type { StreamSink } from '../../plugin-api/contract.js';
import type { AccessProvider } from '../../model/index.js';
import { AccessDraft, emptyWho, type KnownAccessPoint, type Reason } from '../../policy/index.js';
import type { AccessImport } from './context.js';
import { readDocument, timed, writeProviders } from './provider.js';
import { evaluateResourcePolicy } from './resource-policy.js';

export interface AccessPointInfo extends KnownAccessPoint {
  networkOrigin?: string;
  vpcId?: string;
}

/** The policy of one access point, or why it could not be read. */
export interface AccessPointPolicy {
  accessPoint: AccessPointInfo;
  policy?: string;
  problem?: string;
}

/**
 * ListAccessPoints in every region of `aws-regions` (pages of 1000). A region that cannot be read
 * is a warning and marks the stream incomplete; an access point listed twice (S3 Control may list
 * one again under another region) is kept once, with one warning.
 */
export async function listAccessPoints(reads: AwsReads, accountId: string, sink: StreamSink<AccessProvider>): Promise<AccessPointInfo[]> {
  const byArn = new Map<string, AccessPointInfo>();
  const duplicates: string[] = [];
  await reads.forEach(reads.aws.regions, async (region) => {
    const call = { service: 'S3Control', operation: 'ListAccessPoints', region };
    await reads.guard(call, sink, `the access points of region ${region}`, async () => {
      const client = reads.aws.s3Control(region);
      // The SDK has no paginator for ListAccessPoints: follow NextToken here.
      let token: string | undefined;
      do {
        const page = await reads.call((signal) => client.send(new ListAccessPointsCommand({ AccountId: accountId, MaxResults: 1000, NextToken: token }), { abortSignal: signal }));
        token = page.NextToken || undefined;
        for (const ap of page.AccessPointList ?? []) {
          if (!ap.Name || !ap.Bucket) {
            sink.warn(`an access point of region ${region} was listed without ${ap.Name ? 'a bucket' : 'a name'} (${ap.AccessPointArn ?? 'no ARN'}); it was left out`);
            sink.markIncomplete(`an access point of region ${region} could not be read`);
            continue;
          }
          const info: AccessPointInfo = {
            name: ap.Name,
            bucket: ap.Bucket,
            region,
            accountId,
            arn: ap.AccessPointArn ?? `arn:aws:s3:${region}:${accountId}:accesspoint/${ap.Name}`,
            networkOrigin: ap.NetworkOrigin,
            vpcId: ap.VpcConfiguration?.VpcId,
          };
          if (byArn.has(info.arn)) duplicates.push(`${info.arn} (again under ${region})`);
          else byArn.set(info.arn, info);
        }
      } while (token);
    });
  });
  if (duplicates.length > 0) sink.warn(`S3 Control listed ${duplicates.length} access point(s) more than once; each is imported once: ${duplicates.join(', ')}`);
  // In the order of aws-regions, then as listed: the same input gives the same output.
  const order = new Map(reads.aws.regions.map((r, i) => [r, i]));
  return [...byArn.values()].sort((a, b) => (order.get(a.region) ?? 0) - (order.get(b.region) ?? 0));
}

/** One GetAccessPointPolicy per access point, concurrently; a policy that cannot be read is a problem on its access point. */
export async function readAccessPointPolicies(reads: AwsReads, sink: StreamSink<AccessProvider>, accessPoints: readonly AccessPointInfo[]): Promise<AccessPointPolicy[]> {
  const results: AccessPointPolicy[] = accessPoints.map((accessPoint) => ({ accessPoint }));
  await reads.forEach(results, async (result) => {
    const { accessPoint } = result;
    const call = { service: 'S3Control', operation: 'GetAccessPointPolicy', resource: accessPoint.name, region: accessPoint.region };
    const read = await reads.guard(call, sink, `the policy of access point ${accessPoint.name}`, () =>
      reads.call((signal) => reads.aws.s3Control(accessPoint.region).send(new GetAccessPointPolicyCommand({ AccountId: accessPoint.accountId, Name: accessPoint.name }), { abortSignal: signal })),
    );
    if (read.ok) result.policy = read.value.Policy || undefined;
    else if (read.outcome !== 'empty') result.problem = read.error.message;
  });
  return results;
}

/** One aws_access_point access provider per access point: who from its policy's principals, what from every statement. */
export async function importAccessPoints(ai: AccessImport, policies: readonly AccessPointPolicy[]): Promise<void> {
  for (const { accessPoint, policy, problem } of policies) {
    const label = 'access point policy';
    const whoReasons: Reason[] = [];
    if (problem) {
      // The read layer has warned and marked the stream incomplete; the provider says why too.
      whoReasons.push({ message: `its access point policy could not be read: ${problem}`, incomplete: true });
    } else if (!policy) {
      whoReasons.push({ message: 'the access point has no policy: who may use it depends on identity policies that name it', incomplete: false });
    }
    if (accessPoint.networkOrigin === 'VPC') whoReasons.push({ message: `the access point only accepts requests from VPC ${accessPoint.vpcId ?? '(unknown)'}`, incomplete: false });
    const access = timed(ai, () => {
      const document = policy ? readDocument(ai, policy, label, whoReasons) : undefined;
      return document ? evaluateResourcePolicy(ai, document, label) : undefined;
    });
    if (!ai.evaluation.s3.index.buckets.has(accessPoint.bucket)) {
      whoReasons.push({ message: `its bucket ${accessPoint.bucket} is not in this account's bucket list`, incomplete: true });
    }
    await writeProviders(ai, {
      externalId: `accesspoint:${accessPoint.arn}`,
      name: accessPoint.name,
      type: 'aws_access_point',
      actualName: accessPoint.name,
      description: `S3 access point of bucket ${accessPoint.bucket} in ${accessPoint.region}.`,
      who: access?.who ?? emptyWho(),
      denyWho: access?.denyWho,
      whoReasons: [...whoReasons, ...(access?.whoReasons ?? [])],
      denyWhoReasons: access?.denyWhoReasons,
      draft: access?.draft ?? new AccessDraft(),
    });
  }
}
