import type { GroupDetail, ManagedPolicyDetail, RoleDetail, UserDetail } from '@aws-sdk/client-iam';
import { fakeAwsInterceptor } from '../../../src/demo/fake-aws/interceptor.js';
import { iamService, stsService } from '../../../src/demo/fake-aws/iam.js';
import { s3Service } from '../../../src/demo/fake-aws/s3.js';
import { s3PolicyHandlers } from '../../../src/demo/fake-aws/s3-policies.js';
import { s3ControlService } from '../../../src/demo/fake-aws/s3control.js';
import type { FakeAccount } from '../../../src/demo/fake-aws/types.js';
import { releaseAwsContext } from '../../../src/aws/index.js';
import type { SyncContext } from '../../../src/plugin-api/contract.js';
import { accessParameters, importAccessProviders } from '../../../src/importers/access/index.js';
import { identityParameters } from '../../../src/importers/identity/parameters.js';
import { dataObjectParameters } from '../../../src/importers/data-objects/parameters.js';
import type { FakeService } from '../../../src/demo/fake-aws/types.js';
import type { AccessProvider, DataObject } from '../../../src/model/index.js';
import { awsAccountPlugin } from '../../../src/plugins/aws-account/index.js';
import { testContext } from '../../helpers/context.js';
import { memoryOutputs, type MemorySink } from '../../helpers/sinks.js';

export const ACCOUNT = '111122223333';

const DEFAULT_KEYS = ['inbox/mail.eml', 'payroll/2024.csv', 'public/index.html', 'reports/q1.csv', 'uploads/file.bin', 'warehouse/t.parquet', 'readme.md'];

type Doc = object | string;

/** As AWS returns documents from GetAccountAuthorizationDetails: URL-encoded JSON. */
const stored = (doc: Doc): string => encodeURIComponent(typeof doc === 'string' ? doc : JSON.stringify(doc));

export const policyArn = (name: string): string => `arn:aws:iam::${ACCOUNT}:policy/${name}`;
export const awsPolicyArn = (name: string): string => `arn:aws:iam::aws:policy/${name}`;

export const statement = (Effect: 'Allow' | 'Deny', Action: string | string[], Resource: string | string[], extra: object = {}): object => ({ Effect, Action, Resource, ...extra });
export const doc = (...Statement: object[]): object => ({ Version: '2012-10-17', Statement: Statement.length === 1 ? Statement[0] : Statement });
/** A trust policy: principals as IAM writes them. */
export const trust = (Principal: object | string, extra: object = {}): object => doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal, ...extra });

interface PrincipalOptions {
  inline?: Record<string, Doc>;
  attached?: string[];
  boundary?: string;
}

/** An account described the way a test reads: "a user alice in group analysts, a bucket sales ...". */
export class Scenario {
  readonly account: FakeAccount = {
    accountId: ACCOUNT,
    callerArn: `arn:aws:iam::${ACCOUNT}:user/connector`,
    iam: { users: [], groups: [], roles: [], policies: [] },
    s3: { buckets: [], accessPoints: [] },
    glue: {},
  };

  private attach(names: string[] | undefined): { PolicyName: string; PolicyArn: string }[] {
    return (names ?? []).map((n) => {
      const known = this.account.iam.policies.find((p) => p.PolicyName === n);
      return { PolicyName: n, PolicyArn: known?.Arn ?? policyArn(n) };
    });
  }

  private countAttachments(): void {
    for (const p of this.account.iam.policies) {
      const attached = (list: { AttachedManagedPolicies?: { PolicyArn?: string }[] }[]) => list.filter((e) => e.AttachedManagedPolicies?.some((a) => a.PolicyArn === p.Arn)).length;
      p.AttachmentCount = attached(this.account.iam.users) + attached(this.account.iam.groups) + attached(this.account.iam.roles);
    }
  }

  user(name: string, options: PrincipalOptions & { groups?: string[] } = {}): this {
    const user: UserDetail = {
      UserName: name,
      UserId: `AIDA${name.toUpperCase().padEnd(16, 'X')}`,
      Arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
      GroupList: options.groups ?? [],
      UserPolicyList: Object.entries(options.inline ?? {}).map(([PolicyName, d]) => ({ PolicyName, PolicyDocument: stored(d) })),
      AttachedManagedPolicies: this.attach(options.attached),
      ...(options.boundary ? { PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy' as const, PermissionsBoundaryArn: policyArn(options.boundary) } } : {}),
    };
    this.account.iam.users.push(user);
    return this;
  }

  group(name: string, options: PrincipalOptions = {}): this {
    const group: GroupDetail = {
      GroupName: name,
      GroupId: `AGPA${name.toUpperCase().padEnd(16, 'X')}`,
      Arn: `arn:aws:iam::${ACCOUNT}:group/${name}`,
      GroupPolicyList: Object.entries(options.inline ?? {}).map(([PolicyName, d]) => ({ PolicyName, PolicyDocument: stored(d) })),
      AttachedManagedPolicies: this.attach(options.attached),
    };
    this.account.iam.groups.push(group);
    return this;
  }

  role(name: string, trustPolicy: Doc, options: PrincipalOptions & { path?: string; tags?: Record<string, string> } = {}): this {
    const role: RoleDetail = {
      RoleName: name,
      RoleId: `AROA${name.toUpperCase().padEnd(16, 'X')}`,
      Arn: `arn:aws:iam::${ACCOUNT}:role${options.path ?? '/'}${name}`,
      Path: options.path ?? '/',
      AssumeRolePolicyDocument: stored(trustPolicy),
      RolePolicyList: Object.entries(options.inline ?? {}).map(([PolicyName, d]) => ({ PolicyName, PolicyDocument: stored(d) })),
      AttachedManagedPolicies: this.attach(options.attached),
      Tags: Object.entries(options.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
      ...(options.boundary ? { PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy' as const, PermissionsBoundaryArn: policyArn(options.boundary) } } : {}),
    };
    this.account.iam.roles.push(role);
    return this;
  }

  /** Declare policies before the principals that attach them. */
  managedPolicy(name: string, document: Doc, options: { awsManaged?: boolean } = {}): this {
    const policy: ManagedPolicyDetail = {
      PolicyName: name,
      PolicyId: `ANPA${name.toUpperCase().padEnd(16, 'X')}`,
      Arn: options.awsManaged ? awsPolicyArn(name) : policyArn(name),
      Path: '/',
      DefaultVersionId: 'v2',
      AttachmentCount: 0,
      PolicyVersionList: [
        { VersionId: 'v1', IsDefaultVersion: false, Document: stored(doc(statement('Allow', 's3:*', '*'))) },
        { VersionId: 'v2', IsDefaultVersion: true, Document: stored(document) },
      ],
    };
    this.account.iam.policies.push(policy);
    return this;
  }

  /** A bucket with one object in each of the folders these tests name (policies are resolved against the objects that exist). */
  bucket(name: string, region: string, policy?: Doc, keys: string[] = DEFAULT_KEYS): this {
    const objects = [...keys].sort().map((key) => ({ key, size: 1 }));
    this.account.s3.buckets.push({ name, region, objects, ...(policy ? { policy: typeof policy === 'string' ? policy : JSON.stringify(policy) } : {}) });
    return this;
  }

  accessPoint(name: string, bucket: string, region: string, policy?: Doc): this {
    this.account.s3.accessPoints.push({ name, bucket, region, ...(policy ? { policy: typeof policy === 'string' ? policy : JSON.stringify(policy) } : {}) });
    return this;
  }

  /** S3 Control answers ListAccessPoints with the access points of every region, whatever region is asked (as moto does). */
  s3ControlIgnoresRegion(): this {
    this.s3Control = { ...s3ControlService, ListAccessPoints: (input, context) => s3ControlService.ListAccessPoints!(input, { ...context, region: this.firstAccessPointRegion() }) };
    return this;
  }

  private firstAccessPointRegion(): string {
    return this.account.s3.accessPoints[0]?.region ?? 'eu-central-1';
  }

  /** Calls to these regions fail with an invalid-token error, as regions that are not enabled do. */
  unreadableRegions(...regions: string[]): this {
    this.account.disabledRegions = [...(this.account.disabledRegions ?? []), ...regions];
    return this;
  }

  private s3Control: FakeService = s3ControlService;

  denied(...operations: string[]): this {
    this.account.denied = [...(this.account.denied ?? []), ...operations];
    return this;
  }

  /** Runs the access import against this account; providers by externalId for easy assertions. */
  async run(
    params: Record<string, unknown> = {},
    options: { withDataSource?: boolean; context?: (ctx: SyncContext) => void } = {},
  ): Promise<{ ctx: SyncContext; sink: MemorySink<AccessProvider>; providers: AccessProvider[]; byId: Map<string, AccessProvider>; dataObjects: MemorySink<DataObject> }> {
    this.countAttachments();
    const interceptor = fakeAwsInterceptor(this.account, { IAM: iamService, STS: stsService, S3: { ...s3Service, ...s3PolicyHandlers }, S3Control: this.s3Control });
    const ctx = testContext({ specs: [...accessParameters, ...identityParameters, ...dataObjectParameters], params: { 'aws-regions': 'eu-central-1,us-east-1', ...params }, awsInterceptor: interceptor });
    options.context?.(ctx);
    const out = memoryOutputs();
    try {
      // The data source sync of the same run, as the host runs it before the access sync.
      if (options.withDataSource) await awsAccountPlugin.syncs.dataSource?.(ctx, out);
      await importAccessProviders(ctx, out);
    } finally {
      releaseAwsContext(ctx);
    }
    const sink = out['access-providers'];
    return { ctx, sink, providers: sink.items, byId: new Map(sink.items.map((p) => [p.externalId, p])), dataObjects: out['data-objects'] };
  }
}

export const scenario = (): Scenario => new Scenario();
