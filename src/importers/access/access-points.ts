import { GetAccessPointPolicyCommand, ListAccessPointsCommand } from '@aws-sdk/client-s3-control';
import { awsContextFor } from '../../aws/index.js';
import { classifyAwsError, describeAwsError } from '../../aws/errors.js';
import type { StreamSink, SyncContext } from '../../plugin-api/contract.js';
import type { AccessProvider } from '../../model/index.js';
import { AccessDraft, emptyWho, type KnownAccessPoint, type Reason } from '../../policy/index.js';
import type { AccessImport } from './context.js';
import { readDocument, timed, writeProviders } from './provider.js';
import { evaluateResourcePolicy, readResourcePolicy } from './resource-policy.js';

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

/** ListAccessPoints in every region of `aws-regions` (pages of 1000). */
export async function listAccessPoints(ctx: SyncContext, accountId: string, sink: StreamSink<AccessProvider>): Promise<AccessPointInfo[]> {
  const aws = awsContextFor(ctx);
  const perRegion = await Promise.all(
    aws.regions.map(async (region) => {
      const found: AccessPointInfo[] = [];
      const client = aws.s3Control(region);
      let token: string | undefined;
      try {
        do {
          const page = await aws.limit(() => client.send(new ListAccessPointsCommand({ AccountId: accountId, MaxResults: 1000, NextToken: token }), { abortSignal: ctx.signal }));
          for (const ap of page.AccessPointList ?? []) {
            if (!ap.Name || !ap.Bucket) continue;
            found.push({
              name: ap.Name,
              bucket: ap.Bucket,
              region,
              accountId,
              arn: ap.AccessPointArn ?? `arn:aws:s3:${region}:${accountId}:accesspoint/${ap.Name}`,
              networkOrigin: ap.NetworkOrigin,
              vpcId: ap.VpcConfiguration?.VpcId,
            });
          }
          token = page.NextToken || undefined;
        } while (token);
      } catch (err) {
        const where = { service: 'S3Control', operation: 'ListAccessPoints', region, defaultRegion: aws.defaultRegion };
        const kind = classifyAwsError(err, where);
        const problem = describeAwsError(err, where).message;
        if (kind === 'region-disabled') ctx.logger.warn({ region }, problem);
        else if (kind === 'access-denied') {
          sink.warn(problem);
          sink.markIncomplete(`access points of ${region} were not read: ${problem}`);
        } else throw describeAwsError(err, where);
      }
      return found;
    }),
  );
  return perRegion.flat();
}

/** One GetAccessPointPolicy per access point, concurrently; never rejects (problems are kept per access point). */
export function readAccessPointPolicies(ctx: SyncContext, accessPoints: readonly AccessPointInfo[]): Promise<AccessPointPolicy[]> {
  const aws = awsContextFor(ctx);
  return Promise.all(
    accessPoints.map(async (accessPoint): Promise<AccessPointPolicy> => {
      const where = { service: 'S3Control', operation: 'GetAccessPointPolicy', resource: accessPoint.name, region: accessPoint.region, defaultRegion: aws.defaultRegion };
      const read = () =>
        aws.limit(async () => (await aws.s3Control(accessPoint.region).send(new GetAccessPointPolicyCommand({ AccountId: accessPoint.accountId, Name: accessPoint.name }), { abortSignal: ctx.signal })).Policy);
      return { accessPoint, ...(await readResourcePolicy(where, read)) };
    }),
  );
}

/** One aws_access_point access provider per access point: who from its policy's principals, what from every statement. */
export async function importAccessPoints(ai: AccessImport, policies: readonly AccessPointPolicy[]): Promise<void> {
  for (const { accessPoint, policy, problem } of policies) {
    const label = 'access point policy';
    const whoReasons: Reason[] = [];
    if (problem) {
      ai.sink.warn(problem);
      ai.sink.markIncomplete(`the policy of access point ${accessPoint.name} was not read`);
      whoReasons.push({ message: `its access point policy could not be read: ${problem}`, incomplete: true });
    } else if (!policy) {
      whoReasons.push({ message: 'the access point has no policy: who may use it depends on identity policies that name it', incomplete: false });
    }
    if (accessPoint.networkOrigin === 'VPC') whoReasons.push({ message: `the access point only accepts requests from VPC ${accessPoint.vpcId ?? '(unknown)'}`, incomplete: false });
    const access = await timed(ai, async () => {
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
