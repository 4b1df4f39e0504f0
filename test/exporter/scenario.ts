import {
  GetAccountAuthorizationDetailsCommand,
  IAMClient,
  ListPolicyTagsCommand,
  ListPolicyVersionsCommand,
  type GroupDetail,
  type ManagedPolicyDetail,
  type PolicyVersion,
  type RoleDetail,
  type Tag,
  type UserDetail,
} from '@aws-sdk/client-iam';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { GetAccessPointPolicyCommand, ListAccessPointsCommand, ListTagsForResourceCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import type { z } from 'zod';
import { releaseAwsContext } from '../../src/aws/index.js';
import { exportAccess, exportParameters, type ExportResult } from '../../src/exporter/index.js';
import { AccessProviderToExport, type AccessProviderFeedback } from '../../src/model/index.js';
import type { SyncContext } from '../../src/plugin-api/contract.js';
import { testContext } from '../helpers/context.js';
import { MemorySink } from '../helpers/sinks.js';

export const ACCOUNT = '111122223333';
export const REGION = 'eu-central-1';
export const userArn = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;
export const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
export const policyArn = (name: string) => `arn:aws:iam::${ACCOUNT}:policy/${name}`;
export const apArn = (name: string, region = REGION) => `arn:aws:s3:${region}:${ACCOUNT}:accesspoint/${name}`;
export const RAITO: Tag = { Key: 'creator', Value: 'RAITO' };
/** As GetAccountAuthorizationDetails returns documents: URL-encoded JSON. */
export const stored = (doc: object | string) => encodeURIComponent(typeof doc === 'string' ? doc : JSON.stringify(doc));
export const trustOf = (...principals: string[]) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principals.length === 1 ? principals[0] : principals }, Action: 'sts:AssumeRole' }] });

/** A full name of the sample tree: `bucket`, `bucket/path`. */
export const obj = (path: string, type: 'bucket' | 'folder' | 'file' | 'datasource' = path.includes('/') ? 'file' : 'bucket') => ({
  fullName: type === 'datasource' ? ACCOUNT : `${ACCOUNT}:${REGION}:${path}`,
  type,
});

/** An access provider to export, with the schema's defaults. */
export function provider(fields: Partial<z.input<typeof AccessProviderToExport>> & { id: string }): AccessProviderToExport {
  return AccessProviderToExport.parse({ name: fields.id, action: 'grant', who: {}, ...fields });
}

/**
 * An AWS account behind aws-sdk-client-mock, described the way a test reads ("a user alice in
 * group analysts, a role Reader tagged creator=RAITO ..."). Read calls answer from the description;
 * every mutating call is recorded and answers with success.
 */
export class MockAccount {
  readonly users: UserDetail[] = [];
  readonly groups: GroupDetail[] = [];
  readonly roles: RoleDetail[] = [];
  readonly policies: ManagedPolicyDetail[] = [];
  readonly policyTags = new Map<string, Tag[]>();
  readonly policyVersions = new Map<string, PolicyVersion[]>();
  readonly buckets: { Name: string; BucketRegion: string }[] = [];
  readonly accessPoints: { Name: string; Bucket: string; region: string; policy?: string; tags?: Tag[] }[] = [];
  readonly iam = mockClient(IAMClient);
  readonly s3 = mockClient(S3Client);
  readonly s3control = mockClient(S3ControlClient);
  readonly sts = mockClient(STSClient);

  constructor() {
    this.sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: userArn('connector') });
    // One page of the entity types asked for (the snapshot asks for one type a call).
    this.iam.on(GetAccountAuthorizationDetailsCommand).callsFake((input: { Filter?: string[] }) => {
      const wanted = (type: string) => !input.Filter || input.Filter.includes(type);
      const isAws = (p: ManagedPolicyDetail) => p.Arn?.startsWith('arn:aws:iam::aws:') === true;
      return {
        UserDetailList: wanted('User') ? this.users : [],
        GroupDetailList: wanted('Group') ? this.groups : [],
        RoleDetailList: wanted('Role') ? this.roles : [],
        Policies: this.policies.filter((p) => wanted(isAws(p) ? 'AWSManagedPolicy' : 'LocalManagedPolicy')),
        IsTruncated: false,
      };
    });
    this.iam.on(ListPolicyTagsCommand).callsFake((input: { PolicyArn: string }) => ({ Tags: this.policyTags.get(input.PolicyArn) ?? [] }));
    this.iam.on(ListPolicyVersionsCommand).callsFake((input: { PolicyArn: string }) => ({ Versions: this.policyVersions.get(input.PolicyArn) ?? [{ VersionId: 'v1', IsDefaultVersion: true }] }));
    this.s3.on(ListBucketsCommand).callsFake(() => ({ Buckets: this.buckets }));
    this.s3control.on(ListAccessPointsCommand).callsFake(async (_input: unknown, getClient: () => S3ControlClient) => {
      const region = await getClient().config.region();
      return { AccessPointList: this.accessPoints.filter((a) => a.region === region).map((a) => ({ Name: a.Name, Bucket: a.Bucket, AccessPointArn: apArn(a.Name, a.region), NetworkOrigin: 'Internet' })) };
    });
    this.s3control.on(GetAccessPointPolicyCommand).callsFake((input: { Name: string }) => {
      const ap = this.accessPoints.find((a) => a.Name === input.Name);
      if (!ap?.policy) throw Object.assign(new Error('no policy'), { name: 'NoSuchAccessPointPolicy', $metadata: { httpStatusCode: 404 } });
      return { Policy: ap.policy };
    });
    this.s3control.on(ListTagsForResourceCommand).callsFake((input: { ResourceArn: string }) => ({ Tags: this.accessPoints.find((a) => apArn(a.Name, a.region) === input.ResourceArn)?.tags ?? [] }));
  }

  user(name: string, groups: string[] = [], attached: string[] = []): this {
    this.users.push({ UserName: name, Arn: userArn(name), GroupList: groups, AttachedManagedPolicies: attached.map((p) => ({ PolicyName: p, PolicyArn: policyArn(p) })) });
    for (const g of groups) if (!this.groups.some((x) => x.GroupName === g)) this.groups.push({ GroupName: g, Arn: `arn:aws:iam::${ACCOUNT}:group/${g}` });
    return this;
  }

  group(name: string): this {
    this.groups.push({ GroupName: name, Arn: `arn:aws:iam::${ACCOUNT}:group/${name}` });
    return this;
  }

  role(name: string, options: { trust?: object; inline?: Record<string, object>; attached?: string[]; tags?: Tag[] } = {}): this {
    this.roles.push({
      RoleName: name,
      Arn: roleArn(name),
      Path: '/',
      AssumeRolePolicyDocument: stored(options.trust ?? trustOf(userArn('someone'))),
      RolePolicyList: Object.entries(options.inline ?? {}).map(([PolicyName, doc]) => ({ PolicyName, PolicyDocument: stored(doc) })),
      AttachedManagedPolicies: (options.attached ?? []).map((p) => ({ PolicyName: p, PolicyArn: policyArn(p) })),
      Tags: options.tags ?? [],
    });
    return this;
  }

  policy(name: string, document: object, options: { tags?: Tag[]; versions?: PolicyVersion[] } = {}): this {
    this.policies.push({ PolicyName: name, Arn: policyArn(name), DefaultVersionId: 'v1', PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: stored(document) }] });
    this.policyTags.set(policyArn(name), options.tags ?? []);
    if (options.versions) this.policyVersions.set(policyArn(name), options.versions);
    return this;
  }

  bucket(name: string, region = REGION): this {
    this.buckets.push({ Name: name, BucketRegion: region });
    return this;
  }

  accessPoint(name: string, bucket: string, options: { policy?: object; tags?: Tag[]; region?: string } = {}): this {
    this.accessPoints.push({ Name: name, Bucket: bucket, region: options.region ?? REGION, policy: options.policy ? JSON.stringify(options.policy) : undefined, tags: options.tags });
    return this;
  }

  /** Every call that changes AWS, as `Operation input` pairs in the order sent. */
  mutatingCalls(): { operation: string; input: Record<string, unknown> }[] {
    const reads = /^(Get|List)/;
    const calls = [...this.iam.calls(), ...this.s3control.calls()] as unknown as { callId: number; args: unknown[] }[];
    return calls
      // sinon numbers every call across all stubs: the order the calls were sent in.
      .sort((a, b) => a.callId - b.callId)
      .map((c) => ({ operation: (c.args[0] as { constructor: { name: string } }).constructor.name.replace(/Command$/, ''), input: (c.args[0] as { input: Record<string, unknown> }).input }))
      .filter((c) => !reads.test(c.operation));
  }

  restore(): void {
    for (const m of [this.iam, this.s3, this.s3control, this.sts]) m.restore();
  }
}

export interface ExportRun {
  result?: ExportResult;
  feedback: AccessProviderFeedback[];
  sink: MemorySink<AccessProviderFeedback>;
  ctx: SyncContext;
}

async function* from<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

/** Runs the export against the mocked account (fast eventual-consistency retries). */
export async function runExport(providers: AccessProviderToExport[], options: { params?: Record<string, unknown>; dryRun?: boolean } = {}): Promise<ExportRun> {
  const ctx = testContext({ specs: exportParameters, params: { 'aws-regions': REGION, ...options.params }, dryRun: options.dryRun, syncs: ['data-access'] });
  const sink = new MemorySink<AccessProviderFeedback>();
  try {
    const result = await exportAccess(ctx, from(providers), sink, { consistencyBaseDelayMs: 1, consistencyWindowMs: 40 });
    return { result, feedback: sink.items, sink, ctx };
  } finally {
    releaseAwsContext(ctx);
  }
}
