import { GetGroupIdCommand, GetUserIdCommand } from '../aws/sdk/identitystore.js';
import { DescribePermissionSetCommand, GetInlinePolicyForPermissionSetCommand, paginateListAccountAssignments, paginateListAccountsForProvisionedPermissionSet, paginateListCustomerManagedPolicyReferencesInPermissionSet, paginateListManagedPoliciesInPermissionSet, paginateListPermissionSets, paginateListTagsForResource } from '../aws/sdk/sso-admin.js';
import { classifyAwsError, describeAwsError, type AwsCall } from '../aws/index.js';
import { ConnectorError } from '../errors.js';
import { organizationFor, type IdentityCenter } from '../identity-center/connection.js';
import { organizationEnabled } from '../identity-center/parameters.js';
import type { ExportContext } from './types.js';

/**
 * What the permission set export reads from IAM Identity Center (management account): every
 * permission set's name (naming and matching need all of them), and, only for the sets a provider
 * touches, their policies, assignments in this account and tags. Each read happens once per run.
 */

export type PrincipalType = 'USER' | 'GROUP';

export interface ExistingSet {
  arn: string;
  name: string;
  description?: string;
}

export interface Assignment {
  type: PrincipalType;
  id: string;
}

export interface SetDetails {
  inlinePolicy?: string;
  /** ARNs of the AWS managed policies attached. */
  managedPolicies: string[];
  customerPolicies: { name: string; path: string }[];
  /** Assignments in this account. */
  assignments: Assignment[];
}

export interface PermissionSetState {
  ic: IdentityCenter;
  instanceArn: string;
  identityStoreId: string;
  byArn: Map<string, ExistingSet>;
  /** By name in lower case (names are matched without case, like the IAM roles they become). */
  byName: Map<string, ExistingSet>;
  details: Map<string, Promise<SetDetails>>;
  tags: Map<string, Promise<{ Key?: string; Value?: string }[]>>;
  /** `USER:<name>` / `GROUP:<name>` -> principal id (undefined: no such user or group). */
  principals: Map<string, Promise<string | undefined>>;
}

const PAGE = 100;

function where(state: Pick<PermissionSetState, 'ic'>, operation: string, resource?: string, service: 'SSOAdmin' | 'Identitystore' = 'SSOAdmin'): AwsCall {
  return { service, operation, resource, region: state.ic.region, defaultRegion: state.ic.region };
}

/** Runs one read within the organization connection's concurrency; AWS errors name the call. */
async function read<T>(state: Pick<PermissionSetState, 'ic'>, call: AwsCall, fn: () => Promise<T>): Promise<T> {
  try {
    return await state.ic.aws.limit(fn);
  } catch (err) {
    throw describeAwsError(err, call);
  }
}

async function all<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const p of pages) out.push(p);
  return out;
}

/** Lists and describes every permission set of the instance (read calls only). */
export async function loadPermissionSets(ex: ExportContext): Promise<PermissionSetState> {
  if (!organizationEnabled(ex.sync.params)) {
    throw new ConnectorError('config', 'permission sets (aws_sso_role) live in IAM Identity Center of the management account: set aws-organization-profile (or another aws-organization-* connection parameter) to export them');
  }
  const ic = organizationFor(ex.sync);
  const { instanceArn, identityStoreId } = await ic.instance(true);
  if (!instanceArn) throw new ConnectorError('config', 'the IAM Identity Center instance is unknown: set aws-organization-identity-center-instance-arn');
  const base = { ic };
  const options = { abortSignal: ex.sync.signal };
  const arns = (
    await read(base, where(base, 'ListPermissionSets'), () => all(paginateListPermissionSets({ client: ic.ssoAdmin(), pageSize: PAGE }, { InstanceArn: instanceArn }, options)))
  ).flatMap((p) => p.PermissionSets ?? []);
  const sets = await Promise.all(
    arns.map(async (arn): Promise<ExistingSet> => {
      const described = await read(base, where(base, 'DescribePermissionSet', arn), () => ic.ssoAdmin().send(new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn }), options));
      return { arn, name: described.PermissionSet?.Name ?? arn, description: described.PermissionSet?.Description };
    }),
  );
  return {
    ic,
    instanceArn,
    byArn: new Map(sets.map((s) => [s.arn, s])),
    byName: new Map(sets.map((s) => [s.name.toLowerCase(), s])),
    identityStoreId,
    details: new Map(),
    tags: new Map(),
    principals: new Map(),
  };
}

function once<T>(cache: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let value = cache.get(key);
  if (!value) {
    value = make();
    // A failed read is not kept: a later ask reads again.
    value.catch(() => cache.delete(key));
    cache.set(key, value);
  }
  return value;
}

/** The policies of a permission set and its assignments in this account. */
export function detailsOf(ex: ExportContext, state: PermissionSetState, arn: string): Promise<SetDetails> {
  return once(state.details, arn, async () => {
    const sso = state.ic.ssoAdmin();
    const options = { abortSignal: ex.sync.signal };
    const input = { InstanceArn: state.instanceArn, PermissionSetArn: arn };
    const paged = { client: sso, pageSize: PAGE };
    const [inline, managed, customer, assignments] = await Promise.all([
      read(state, where(state, 'GetInlinePolicyForPermissionSet', arn), async () => (await sso.send(new GetInlinePolicyForPermissionSetCommand(input), options)).InlinePolicy),
      read(state, where(state, 'ListManagedPoliciesInPermissionSet', arn), () => all(paginateListManagedPoliciesInPermissionSet(paged, input, options))),
      read(state, where(state, 'ListCustomerManagedPolicyReferencesInPermissionSet', arn), () => all(paginateListCustomerManagedPolicyReferencesInPermissionSet(paged, input, options))),
      read(state, where(state, 'ListAccountAssignments', arn), () => all(paginateListAccountAssignments(paged, { ...input, AccountId: ex.accountId }, options))),
    ]);
    return {
      inlinePolicy: inline || undefined,
      managedPolicies: managed.flatMap((p) => p.AttachedManagedPolicies ?? []).flatMap((p) => (p.Arn ? [p.Arn] : [])),
      customerPolicies: customer.flatMap((p) => p.CustomerManagedPolicyReferences ?? []).flatMap((p) => (p.Name ? [{ name: p.Name, path: p.Path ?? '/' }] : [])),
      assignments: assignments
        .flatMap((p) => p.AccountAssignments ?? [])
        .flatMap((a) => (a.PrincipalId && (a.PrincipalType === 'USER' || a.PrincipalType === 'GROUP') ? [{ type: a.PrincipalType, id: a.PrincipalId }] : [])),
    };
  });
}

/** The tags of a permission set (read only when a change needs the creator=RAITO guard). */
export function tagsOf(ex: ExportContext, state: PermissionSetState, arn: string): Promise<{ Key?: string; Value?: string }[]> {
  return once(state.tags, arn, async () => {
    const pages = await read(state, where(state, 'ListTagsForResource', arn), () =>
      all(paginateListTagsForResource({ client: state.ic.ssoAdmin() }, { InstanceArn: state.instanceArn, ResourceArn: arn }, { abortSignal: ex.sync.signal })),
    );
    return pages.flatMap((p) => p.Tags ?? []);
  });
}

/** The accounts a permission set is provisioned to (before a delete: it may serve other accounts). */
export async function accountsOf(ex: ExportContext, state: PermissionSetState, arn: string): Promise<string[]> {
  const pages = await read(state, where(state, 'ListAccountsForProvisionedPermissionSet', arn), () =>
    all(paginateListAccountsForProvisionedPermissionSet({ client: state.ic.ssoAdmin(), pageSize: PAGE }, { InstanceArn: state.instanceArn, PermissionSetArn: arn }, { abortSignal: ex.sync.signal })),
  );
  return pages.flatMap((p) => p.AccountIds ?? []);
}

/** The identity store id of a user (by user name) or group (by display name); undefined when there is none. */
export function principalIdOf(ex: ExportContext, state: Pick<PermissionSetState, 'ic' | 'identityStoreId' | 'principals'>, type: PrincipalType, name: string): Promise<string | undefined> {
  return once(state.principals, `${type}:${name}`, async () => {
    const store = state.ic.identityStore();
    const options = { abortSignal: ex.sync.signal };
    const operation = type === 'USER' ? 'GetUserId' : 'GetGroupId';
    const call = where(state, operation, name, 'Identitystore');
    try {
      return await state.ic.aws.limit(async () =>
        type === 'USER'
          ? (await store.send(new GetUserIdCommand({ IdentityStoreId: state.identityStoreId, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: name } } }), options)).UserId
          : (await store.send(new GetGroupIdCommand({ IdentityStoreId: state.identityStoreId, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'displayName', AttributeValue: name } } }), options)).GroupId,
      );
    } catch (err) {
      if (classifyAwsError(err, call) === 'not-found') return undefined;
      throw describeAwsError(err, call);
    }
  });
}
