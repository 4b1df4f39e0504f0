import { GetGroupIdCommand, GetUserIdCommand, IdentitystoreClient } from '@aws-sdk/client-identitystore';
import {
  AttachCustomerManagedPolicyReferenceToPermissionSetCommand,
  AttachManagedPolicyToPermissionSetCommand,
  CreateAccountAssignmentCommand,
  CreatePermissionSetCommand,
  DeleteAccountAssignmentCommand,
  DeleteInlinePolicyFromPermissionSetCommand,
  DeletePermissionSetCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  DescribePermissionSetCommand,
  DescribePermissionSetProvisioningStatusCommand,
  DetachCustomerManagedPolicyReferenceFromPermissionSetCommand,
  DetachManagedPolicyFromPermissionSetCommand,
  GetInlinePolicyForPermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListAccountsForProvisionedPermissionSetCommand,
  ListCustomerManagedPolicyReferencesInPermissionSetCommand,
  ListManagedPoliciesInPermissionSetCommand,
  ListPermissionSetsCommand,
  ListTagsForResourceCommand,
  ProvisionPermissionSetCommand,
  PutInlinePolicyToPermissionSetCommand,
  SSOAdminClient,
  UpdatePermissionSetCommand,
} from '@aws-sdk/client-sso-admin';
import { mockClient } from 'aws-sdk-client-mock';
import { releaseAwsContext } from '../../src/aws/index.js';
import { exportAccess, exportParameters, type ExportOptions, type ExportResult } from '../../src/exporter/index.js';
import { releaseOrganization } from '../../src/identity-center/connection.js';
import { organizationParameters, rateLimitParameter } from '../../src/identity-center/parameters.js';
import type { AccessProviderFeedback, AccessProviderToExport } from '../../src/model/index.js';
import type { SyncContext } from '../../src/plugin-api/contract.js';
import { testContext } from '../helpers/context.js';
import { MemorySink } from '../helpers/sinks.js';
import { ACCOUNT, REGION } from './scenario.js';

export const INSTANCE = 'arn:aws:sso:::instance/ssoins-1111222233334444';
export const STORE = 'd-1234567890';
export const setArn = (n: number) => `${INSTANCE.replace(':instance/', ':permissionSet/')}/ps-${String(n).padStart(16, '0')}`;
export const RAITO_TAG = { Key: 'creator', Value: 'RAITO' };

type Status = 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';

export interface FakeSet {
  arn: string;
  name: string;
  description?: string;
  tags: { Key: string; Value: string }[];
  inline?: string;
  managed: string[];
  customer: { Name: string; Path: string }[];
  assignments: { account: string; type: 'USER' | 'GROUP'; id: string }[];
  /** Accounts it is provisioned to. */
  provisionedTo: string[];
}

/** How an asynchronous operation of the fake ends: after `pending` answers IN_PROGRESS, `outcome`. */
export interface AsyncScript {
  pending: number;
  outcome: Exclude<Status, 'IN_PROGRESS'>;
  reason?: string;
}

/**
 * IAM Identity Center of the management account behind aws-sdk-client-mock, kept as state so a
 * second export run sees what the first wrote: permission sets, their policies and assignments,
 * identity store users and groups. Asynchronous operations follow a script (IN_PROGRESS n times).
 */
export class MockIdentityCenter {
  readonly sets: FakeSet[] = [];
  readonly users = new Map<string, string>();
  readonly groups = new Map<string, string>();
  readonly sso = mockClient(SSOAdminClient);
  readonly store = mockClient(IdentitystoreClient);
  provisioning: AsyncScript = { pending: 0, outcome: 'SUCCEEDED' };
  assigning: AsyncScript = { pending: 0, outcome: 'SUCCEEDED' };
  /** Provisioning requests not yet ended, and the most there ever were at once. */
  inFlight = 0;
  maxInFlight = 0;
  private requests = new Map<string, { polls: number; script: AsyncScript; kind: 'provision' | 'assign'; ended?: boolean }>();
  private next = 1;

  constructor() {
    const find = (input: object) => {
      const { PermissionSetArn, ResourceArn } = input as { PermissionSetArn?: string; ResourceArn?: string };
      const set = this.sets.find((s) => s.arn === (PermissionSetArn ?? ResourceArn));
      if (!set) throw Object.assign(new Error('permission set not found'), { name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 400 } });
      return set;
    };
    const start = (kind: 'provision' | 'assign') => {
      const id = `req-${this.next++}`;
      const script = kind === 'provision' ? this.provisioning : this.assigning;
      this.requests.set(id, { polls: 0, script, kind });
      if (kind === 'provision') this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
      return this.statusOf(id, true);
    };
    const poll = (id: string) => this.statusOf(id, false);

    this.sso.on(ListPermissionSetsCommand).callsFake(() => ({ PermissionSets: this.sets.map((s) => s.arn) }));
    this.sso.on(DescribePermissionSetCommand).callsFake((i) => {
      const s = find(i);
      return { PermissionSet: { PermissionSetArn: s.arn, Name: s.name, Description: s.description } };
    });
    this.sso.on(GetInlinePolicyForPermissionSetCommand).callsFake((i) => ({ InlinePolicy: find(i).inline ?? '' }));
    this.sso.on(ListManagedPoliciesInPermissionSetCommand).callsFake((i) => ({ AttachedManagedPolicies: find(i).managed.map((Arn) => ({ Arn, Name: Arn.split('/').pop() })) }));
    this.sso.on(ListCustomerManagedPolicyReferencesInPermissionSetCommand).callsFake((i) => ({ CustomerManagedPolicyReferences: find(i).customer }));
    this.sso.on(ListTagsForResourceCommand).callsFake((i) => ({ Tags: find(i).tags }));
    this.sso.on(ListAccountAssignmentsCommand).callsFake((i: { AccountId: string }) => {
      const s = find(i);
      return { AccountAssignments: s.assignments.filter((a) => a.account === i.AccountId).map((a) => ({ AccountId: a.account, PermissionSetArn: s.arn, PrincipalType: a.type, PrincipalId: a.id })) };
    });
    this.sso.on(ListAccountsForProvisionedPermissionSetCommand).callsFake((i) => ({ AccountIds: find(i).provisionedTo }));

    this.sso.on(CreatePermissionSetCommand).callsFake((i: { Name: string; Description?: string; Tags?: { Key: string; Value: string }[] }) => {
      const arn = setArn(100 + this.sets.length);
      this.sets.push({ arn, name: i.Name, description: i.Description, tags: i.Tags ?? [], managed: [], customer: [], assignments: [], provisionedTo: [] });
      return { PermissionSet: { PermissionSetArn: arn, Name: i.Name, Description: i.Description } };
    });
    this.sso.on(UpdatePermissionSetCommand).callsFake((i: { Description?: string }) => {
      find(i).description = i.Description;
      return {};
    });
    this.sso.on(PutInlinePolicyToPermissionSetCommand).callsFake((i: { InlinePolicy: string }) => {
      find(i).inline = i.InlinePolicy;
      return {};
    });
    this.sso.on(DeleteInlinePolicyFromPermissionSetCommand).callsFake((i) => {
      find(i).inline = undefined;
      return {};
    });
    this.sso.on(AttachManagedPolicyToPermissionSetCommand).callsFake((i: { ManagedPolicyArn: string }) => {
      find(i).managed.push(i.ManagedPolicyArn);
      return {};
    });
    this.sso.on(DetachManagedPolicyFromPermissionSetCommand).callsFake((i: { ManagedPolicyArn: string }) => {
      const s = find(i);
      s.managed = s.managed.filter((m) => m !== i.ManagedPolicyArn);
      return {};
    });
    this.sso.on(AttachCustomerManagedPolicyReferenceToPermissionSetCommand).callsFake((i: { CustomerManagedPolicyReference: { Name: string; Path?: string } }) => {
      find(i).customer.push({ Name: i.CustomerManagedPolicyReference.Name, Path: i.CustomerManagedPolicyReference.Path ?? '/' });
      return {};
    });
    this.sso.on(DetachCustomerManagedPolicyReferenceFromPermissionSetCommand).callsFake((i: { CustomerManagedPolicyReference: { Name: string } }) => {
      const s = find(i);
      s.customer = s.customer.filter((c) => c.Name !== i.CustomerManagedPolicyReference.Name);
      return {};
    });
    this.sso.on(CreateAccountAssignmentCommand).callsFake((i: { TargetId: string; PrincipalType: 'USER' | 'GROUP'; PrincipalId: string }) => {
      const s = find(i);
      s.assignments.push({ account: i.TargetId, type: i.PrincipalType, id: i.PrincipalId });
      if (!s.provisionedTo.includes(i.TargetId)) s.provisionedTo.push(i.TargetId);
      return { AccountAssignmentCreationStatus: start('assign') };
    });
    this.sso.on(DeleteAccountAssignmentCommand).callsFake((i: { TargetId: string; PrincipalType: string; PrincipalId: string }) => {
      const s = find(i);
      s.assignments = s.assignments.filter((a) => !(a.account === i.TargetId && a.type === i.PrincipalType && a.id === i.PrincipalId));
      return { AccountAssignmentDeletionStatus: start('assign') };
    });
    this.sso.on(ProvisionPermissionSetCommand).callsFake((i: { TargetId: string }) => {
      const s = find(i);
      if (!s.provisionedTo.includes(i.TargetId)) s.provisionedTo.push(i.TargetId);
      return { PermissionSetProvisioningStatus: start('provision') };
    });
    this.sso.on(DescribePermissionSetProvisioningStatusCommand).callsFake((i: { ProvisionPermissionSetRequestId: string }) => ({ PermissionSetProvisioningStatus: poll(i.ProvisionPermissionSetRequestId) }));
    this.sso.on(DescribeAccountAssignmentCreationStatusCommand).callsFake((i: { AccountAssignmentCreationRequestId: string }) => ({ AccountAssignmentCreationStatus: poll(i.AccountAssignmentCreationRequestId) }));
    this.sso.on(DescribeAccountAssignmentDeletionStatusCommand).callsFake((i: { AccountAssignmentDeletionRequestId: string }) => ({ AccountAssignmentDeletionStatus: poll(i.AccountAssignmentDeletionRequestId) }));
    this.sso.on(DeletePermissionSetCommand).callsFake((i) => {
      this.sets.splice(this.sets.indexOf(find(i)), 1);
      return {};
    });

    const notFound = () => Object.assign(new Error('not found'), { name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 400 } });
    this.store.on(GetUserIdCommand).callsFake((i: { AlternateIdentifier: { UniqueAttribute: { AttributeValue: string } } }) => {
      const id = this.users.get(i.AlternateIdentifier.UniqueAttribute.AttributeValue);
      if (!id) throw notFound();
      return { UserId: id, IdentityStoreId: STORE };
    });
    this.store.on(GetGroupIdCommand).callsFake((i: { AlternateIdentifier: { UniqueAttribute: { AttributeValue: string } } }) => {
      const id = this.groups.get(i.AlternateIdentifier.UniqueAttribute.AttributeValue);
      if (!id) throw notFound();
      return { GroupId: id, IdentityStoreId: STORE };
    });
  }

  /** The answer of the call (`first`) and of each poll: IN_PROGRESS `pending` times in all, then the outcome. */
  private statusOf(id: string, first: boolean): { RequestId: string; Status: Status; FailureReason?: string } {
    const request = this.requests.get(id);
    if (!request) throw Object.assign(new Error(`no request ${id}`), { name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 400 } });
    if (!first) request.polls++;
    if (request.polls < request.script.pending) return { RequestId: id, Status: 'IN_PROGRESS' };
    if (request.kind === 'provision' && !request.ended) {
      request.ended = true;
      this.inFlight--;
    }
    return { RequestId: id, Status: request.script.outcome, ...(request.script.outcome === 'FAILED' ? { FailureReason: request.script.reason } : {}) };
  }

  user(name: string): this {
    this.users.set(name, `u-${name}`);
    return this;
  }

  group(name: string): this {
    this.groups.set(name, `g-${name}`);
    return this;
  }

  set(fields: Partial<FakeSet> & { name: string }): FakeSet {
    const set: FakeSet = { arn: setArn(this.sets.length + 1), tags: [], managed: [], customer: [], assignments: [], provisionedTo: [], ...fields };
    this.sets.push(set);
    return set;
  }

  /** Every Identity Center call that changes something, as `Operation input`, in the order sent. */
  mutatingCalls(): { operation: string; input: Record<string, unknown> }[] {
    const calls = [...this.sso.calls(), ...this.store.calls()] as unknown as { callId: number; args: unknown[] }[];
    return calls
      .sort((a, b) => a.callId - b.callId)
      .map((c) => ({ operation: (c.args[0] as { constructor: { name: string } }).constructor.name.replace(/Command$/, ''), input: (c.args[0] as { input: Record<string, unknown> }).input }))
      .filter((c) => !/^(Get|List|Describe)/.test(c.operation));
  }

  /** How often each operation was sent. */
  count(operation: string): number {
    return ([...this.sso.calls(), ...this.store.calls()] as unknown as { args: { constructor: { name: string } }[] }[]).filter((c) => c.args[0]!.constructor.name === `${operation}Command`).length;
  }

  restore(): void {
    this.sso.restore();
    this.store.restore();
  }
}

/** The organization parameters of a target that exports permission sets (no ListInstances needed). */
export const organizationParams = {
  'aws-organization-identity-center-instance-arn': INSTANCE,
  'aws-organization-identity-store': STORE,
  'aws-organization-region': REGION,
  // Tests send few calls; the limiter's own behaviour is tested in test/identity-center.
  'aws-identity-center-rate-limit': 1000,
};

export interface IcRun {
  result?: ExportResult;
  feedback: AccessProviderFeedback[];
  ctx: SyncContext;
}

async function* from<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

/** Runs the export with the organization connection (fast polls and retries). */
export async function runIcExport(providers: AccessProviderToExport[], options: { params?: Record<string, unknown>; dryRun?: boolean; overrides?: Partial<ExportOptions> } = {}): Promise<IcRun> {
  const ctx = testContext({
    specs: [...exportParameters, ...organizationParameters, rateLimitParameter],
    params: { 'aws-regions': REGION, ...organizationParams, ...options.params },
    dryRun: options.dryRun,
    syncs: ['data-access'],
  });
  const sink = new MemorySink<AccessProviderFeedback>();
  try {
    const result = await exportAccess(ctx, from(providers), sink, { consistencyBaseDelayMs: 1, consistencyWindowMs: 40, pollBaseDelayMs: 1, ...options.overrides });
    return { result, feedback: sink.items, ctx };
  } finally {
    releaseOrganization(ctx);
    releaseAwsContext(ctx);
  }
}

export { ACCOUNT };
