import type { ManagedPolicyDetail, RoleDetail } from '@aws-sdk/client-iam';
import { DescribeGroupCommand, DescribeUserCommand } from '../../aws/sdk/identitystore.js';
import type { PermissionsBoundary } from '@aws-sdk/client-sso-admin';
import { DescribePermissionSetCommand, GetInlinePolicyForPermissionSetCommand, GetPermissionsBoundaryForPermissionSetCommand, paginateListAccountAssignments, paginateListCustomerManagedPolicyReferencesInPermissionSet, paginateListManagedPoliciesInPermissionSet, paginateListPermissionSetsProvisionedToAccount, paginateListTagsForResource } from '../../aws/sdk/sso-admin.js';
import { classifyAwsError, describeAwsError, type AwsCall } from '../../aws/index.js';
import { organizationFor, type IdentityCenter } from '../../identity-center/connection.js';
import { organizationEnabled } from '../../identity-center/parameters.js';
import type { StreamSink, SyncContext } from '../../plugin-api/contract.js';
import type { AccessProvider, Lock, Tag } from '../../model/index.js';
import { AccessDraft, emptyWho, type Reason } from '../../policy/index.js';
import { defaultDocument } from '../iam-snapshot.js';
import type { AccessImport } from './context.js';
import { evaluateInto, timed, writeProviders } from './provider.js';

/** One permission set provisioned to this account, with everything Identity Center tells about it. */
export interface PermissionSetInfo {
  arn: string;
  name: string;
  description?: string;
  inlinePolicy?: string;
  managedPolicies: { arn: string; name: string }[];
  customerPolicies: { name: string; path: string }[];
  boundary?: PermissionsBoundary;
  tags: { key: string; value: string }[];
  /** Assignments in this account, principals resolved to user names and group display names. */
  users: string[];
  groups: string[];
  /** Details that could not be read, each a reason on the provider. */
  problems: string[];
}

export interface PermissionSetsRead {
  instanceArn: string;
  sets: PermissionSetInfo[];
}

/** externalId of a permission set's access provider. */
export function permissionSetExternalId(arn: string): string {
  return `permissionset:${arn}`;
}

const PAGE = 100;

interface Reader {
  ic: IdentityCenter;
  ctx: SyncContext;
  instanceArn: string;
  identityStoreId: string;
  /** Principal id -> name, resolved once per run (a group is assigned to many permission sets). */
  names: Map<string, Promise<string | undefined>>;
}

function where(r: Reader, operation: string, resource?: string, service: 'SSOAdmin' | 'Identitystore' = 'SSOAdmin'): AwsCall {
  return { service, operation, resource, region: r.ic.region, defaultRegion: r.ic.region };
}

/** Runs one read within aws-concurrency; a failure becomes a problem of the permission set (not-found may mean "none"). */
async function detail<T>(r: Reader, call: AwsCall, problems: string[], read: () => Promise<T>, onNotFound?: T): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (onNotFound !== undefined && classifyAwsError(err, call) === 'not-found') return onNotFound;
    problems.push(describeAwsError(err, call).message);
    return undefined;
  }
}

async function all<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const p of pages) out.push(p);
  return out;
}

function principalName(r: Reader, type: 'USER' | 'GROUP', id: string): Promise<string | undefined> {
  const key = `${type}:${id}`;
  let name = r.names.get(key);
  if (!name) {
    const client = r.ic.identityStore();
    const options = { abortSignal: r.ctx.signal };
    name = r.ic.aws.limit(async () =>
      type === 'USER'
        ? (await client.send(new DescribeUserCommand({ IdentityStoreId: r.identityStoreId, UserId: id }), options)).UserName
        : (await client.send(new DescribeGroupCommand({ IdentityStoreId: r.identityStoreId, GroupId: id }), options)).DisplayName,
    );
    r.names.set(key, name);
  }
  return name;
}

async function readOne(r: Reader, accountId: string, arn: string): Promise<PermissionSetInfo> {
  const sso = r.ic.ssoAdmin();
  const options = { abortSignal: r.ctx.signal };
  const input = { InstanceArn: r.instanceArn, PermissionSetArn: arn };
  const problems: string[] = [];
  const paged = { client: sso, pageSize: PAGE };
  const limited = <T>(read: () => Promise<T>) => () => r.ic.aws.limit(read);
  const [described, inline, managed, customer, boundary, tags, assignments] = await Promise.all([
    detail(r, where(r, 'DescribePermissionSet', arn), problems, limited(async () => (await sso.send(new DescribePermissionSetCommand(input), options)).PermissionSet)),
    detail(r, where(r, 'GetInlinePolicyForPermissionSet', arn), problems, limited(async () => (await sso.send(new GetInlinePolicyForPermissionSetCommand(input), options)).InlinePolicy)),
    detail(r, where(r, 'ListManagedPoliciesInPermissionSet', arn), problems, limited(async () =>
      (await all(paginateListManagedPoliciesInPermissionSet(paged, input, options))).flatMap((p) => p.AttachedManagedPolicies ?? []),
    )),
    detail(r, where(r, 'ListCustomerManagedPolicyReferencesInPermissionSet', arn), problems, limited(async () =>
      (await all(paginateListCustomerManagedPolicyReferencesInPermissionSet(paged, input, options))).flatMap((p) => p.CustomerManagedPolicyReferences ?? []),
    )),
    // No boundary answers ResourceNotFoundException.
    detail(r, where(r, 'GetPermissionsBoundaryForPermissionSet', arn), problems, limited(async () => (await sso.send(new GetPermissionsBoundaryForPermissionSetCommand(input), options)).PermissionsBoundary), null),
    detail(r, where(r, 'ListTagsForResource', arn), problems, limited(async () =>
      (await all(paginateListTagsForResource({ client: sso }, { InstanceArn: r.instanceArn, ResourceArn: arn }, options))).flatMap((p) => p.Tags ?? []),
    )),
    detail(r, where(r, 'ListAccountAssignments', arn), problems, limited(async () =>
      (await all(paginateListAccountAssignments(paged, { ...input, AccountId: accountId }, options))).flatMap((p) => p.AccountAssignments ?? []),
    )),
  ]);

  const users: string[] = [];
  const groups: string[] = [];
  await Promise.all(
    (assignments ?? []).map(async (a) => {
      if (!a.PrincipalId || (a.PrincipalType !== 'USER' && a.PrincipalType !== 'GROUP')) return;
      const operation = a.PrincipalType === 'USER' ? 'DescribeUser' : 'DescribeGroup';
      const name = await detail(r, where(r, operation, a.PrincipalId, 'Identitystore'), problems, () => principalName(r, a.PrincipalType as 'USER' | 'GROUP', a.PrincipalId!));
      if (name) (a.PrincipalType === 'USER' ? users : groups).push(name);
    }),
  );

  return {
    arn,
    name: described?.Name ?? arn.split('/').pop() ?? arn,
    description: described?.Description,
    inlinePolicy: inline || undefined,
    managedPolicies: (managed ?? []).flatMap((p) => (p.Arn ? [{ arn: p.Arn, name: p.Name ?? p.Arn }] : [])),
    customerPolicies: (customer ?? []).flatMap((p) => (p.Name ? [{ name: p.Name, path: p.Path ?? '/' }] : [])),
    boundary: boundary ?? undefined,
    tags: (tags ?? []).map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' })),
    users: users.sort(),
    groups: groups.sort(),
    problems,
  };
}

/**
 * The permission sets provisioned to this account, read from the management account (the second
 * connection of aws-organization-*): undefined when those parameters are not set. Starts its calls
 * at once so they run while IAM is evaluated. A list that could not be read marks the stream
 * incomplete; the instance that cannot be found is a configuration error.
 */
export async function readPermissionSets(ctx: SyncContext, accountId: string, sink: StreamSink<AccessProvider>): Promise<PermissionSetsRead | undefined> {
  if (!organizationEnabled(ctx.params)) return undefined;
  const ic = organizationFor(ctx);
  const { instanceArn, identityStoreId } = await ic.instance(true);
  if (!instanceArn) return undefined;
  const r: Reader = { ic, ctx, instanceArn, identityStoreId, names: new Map() };
  let arns: string[];
  try {
    arns = (await all(paginateListPermissionSetsProvisionedToAccount({ client: ic.ssoAdmin(), pageSize: PAGE }, { InstanceArn: instanceArn, AccountId: accountId }, { abortSignal: ctx.signal }))).flatMap(
      (p) => p.PermissionSets ?? [],
    );
  } catch (err) {
    const problem = describeAwsError(err, where(r, 'ListPermissionSetsProvisionedToAccount', accountId)).message;
    sink.warn(problem);
    sink.markIncomplete(`permission sets were not imported: ${problem}`);
    return { instanceArn, sets: [] };
  }
  const sets = await Promise.all(arns.map((arn) => readOne(r, accountId, arn)));
  return { instanceArn, sets };
}

/** `AWSReservedSSO_<permission set name>_<16 hex>` under /aws-reserved/sso.amazonaws.com/: the role Identity Center provisions. */
const SSO_ROLE = /^AWSReservedSSO_(.+)_[0-9a-f]{16}$/;

/** Role name -> the externalId of the permission set it was provisioned for (only permission sets provisioned to this account). */
export function linkSsoRoles(roles: readonly Pick<RoleDetail, 'RoleName' | 'Path'>[], read: PermissionSetsRead | undefined): Map<string, string> {
  const links = new Map<string, string>();
  if (!read) return links;
  const byName = new Map(read.sets.map((s) => [s.name, s.arn]));
  for (const role of roles) {
    const match = role.RoleName ? SSO_ROLE.exec(role.RoleName) : null;
    if (!match || !role.Path?.startsWith('/aws-reserved/sso.amazonaws.com/')) continue;
    const arn = byName.get(match[1]!);
    if (arn) links.set(role.RoleName!, permissionSetExternalId(arn));
  }
  return links;
}

const notOursReason = 'permission set not created by the connector (no tag creator=RAITO): its name and its existence are managed in IAM Identity Center';

function locksOf(set: PermissionSetInfo): Lock[] | undefined {
  if (set.tags.some((t) => t.key === 'creator' && t.value === 'RAITO')) return undefined;
  return [
    { lock: 'name', reason: notOursReason },
    { lock: 'delete', reason: notOursReason },
  ];
}

function boundaryReason(boundary: PermissionsBoundary): Reason {
  const ref = boundary.CustomerManagedPolicyReference;
  const name = boundary.ManagedPolicyArn ?? (ref ? `customer managed policy ${ref.Path ?? '/'}${ref.Name ?? ''}` : 'a policy');
  return { message: `permissions boundary ${name} limits this permission set; effective access may be smaller`, incomplete: true };
}

/**
 * One aws_sso_role access provider per permission set provisioned to this account: who = the
 * Identity Center users and groups assigned to it in this account; what = its inline policy, AWS
 * managed policies and customer managed policy references (resolved against this account's IAM
 * policies), through the same policy engine as roles and policies.
 */
export async function importPermissionSets(ai: AccessImport, read: PermissionSetsRead, policies: readonly ManagedPolicyDetail[]): Promise<void> {
  const byArn = new Map(policies.map((p) => [p.Arn, p]));
  const byPathName = new Map(policies.map((p) => [`${p.Path ?? '/'}${p.PolicyName ?? ''}`, p]));
  const partition = read.instanceArn.split(':')[1] ?? 'aws';
  // A reference names a policy of this account by path and name, which is also its ARN.
  const referenced = (c: { name: string; path: string }) => byArn.get(`arn:${partition}:iam::${ai.accountId}:policy${c.path}${c.name}`) ?? byPathName.get(`${c.path}${c.name}`);
  for (const set of read.sets) {
    const who = emptyWho();
    for (const u of set.users) who.users.add(u);
    for (const g of set.groups) who.groups.add(g);
    const whoReasons: Reason[] = [];
    const grantReasons: Reason[] = set.problems.map((message) => ({ message: `could not be read completely: ${message}`, incomplete: true }));
    if (set.problems.length > 0) {
      for (const p of set.problems) ai.sink.warn(p);
      ai.sink.markIncomplete(`permission set ${set.name} could not be read completely`);
    }
    if (set.boundary) grantReasons.push(boundaryReason(set.boundary));

    const draft = new AccessDraft();
    timed(ai, () => {
      const evaluate = (text: string | undefined, label: string) => evaluateInto(ai, draft, text, label, label);
      if (set.inlinePolicy) evaluate(set.inlinePolicy, 'inline policy');
      for (const m of set.managedPolicies) {
        const policy = byArn.get(m.arn);
        if (policy) evaluate(defaultDocument(policy), `AWS managed policy ${m.name}`);
        else draft.grantReasons.add({ message: `AWS managed policy ${m.arn} is not among this account's IAM policies, so what it grants is not shown`, incomplete: true });
      }
      for (const c of set.customerPolicies) {
        const policy = referenced(c);
        if (policy) evaluate(defaultDocument(policy), `customer managed policy ${c.path}${c.name}`);
        else draft.grantReasons.add({ message: `customer managed policy reference ${c.path}${c.name} names no policy in this account: it grants nothing here`, incomplete: true });
      }
    });

    const tags: Tag[] = set.tags.map((t) => ({ key: t.key, value: t.value, source: 'aws-sso' }));
    await writeProviders(ai, {
      externalId: permissionSetExternalId(set.arn),
      name: set.name,
      type: 'aws_sso_role',
      actualName: set.name,
      description: set.description,
      who,
      whoReasons,
      grantReasons,
      draft,
      locks: locksOf(set),
      tags,
    });
  }
}
