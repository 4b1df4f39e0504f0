import type { ManagedPolicyDetail } from '@aws-sdk/client-iam';
import { matchesAny, warnUnmatched } from '../../plugin-api/parameters.js';
import type { Lock } from '../../model/index.js';
import { AccessDraft, emptyWho, type Reason } from '../../policy/index.js';
import { defaultDocument, type IamSnapshot } from '../iam-snapshot.js';
import { roleExternalId, type AccessImport } from './context.js';
import type { IdentityIndex } from './identities.js';
import { accessOptions } from './parameters.js';
import { evaluateInto, timed, writeProviders } from './provider.js';

interface Attachments {
  users: string[];
  groups: string[];
  roles: string[];
}

/** Policy ARN -> the users, groups and roles it is attached to, from the snapshot (no per-policy calls). */
function attachmentsByPolicy(snapshot: Pick<IamSnapshot, 'users' | 'groups' | 'roles'>): Map<string, Attachments> {
  const byArn = new Map<string, Attachments>();
  const entry = (arn: string): Attachments => {
    let a = byArn.get(arn);
    if (!a) byArn.set(arn, (a = { users: [], groups: [], roles: [] }));
    return a;
  };
  for (const u of snapshot.users) for (const p of u.AttachedManagedPolicies ?? []) if (p.PolicyArn && u.UserName) entry(p.PolicyArn).users.push(u.UserName);
  for (const g of snapshot.groups) for (const p of g.AttachedManagedPolicies ?? []) if (p.PolicyArn && g.GroupName) entry(p.PolicyArn).groups.push(g.GroupName);
  for (const r of snapshot.roles) for (const p of r.AttachedManagedPolicies ?? []) if (p.PolicyArn && r.RoleName) entry(p.PolicyArn).roles.push(r.RoleName);
  return byArn;
}

export function isAwsManaged(policy: ManagedPolicyDetail): boolean {
  return /^arn:[^:]+:iam::aws:policy\//.test(policy.Arn ?? '');
}

function awsManagedLocks(): Lock[] {
  const reason = 'AWS-managed policy: AWS owns its document and name, and it cannot be deleted';
  return [
    { lock: 'what', reason },
    { lock: 'name', reason },
    { lock: 'delete', reason },
  ];
}

/** One aws_policy access provider per attached managed policy: who = its users, groups and roles. */
export async function importManagedPolicies(ai: AccessImport, snapshot: Pick<IamSnapshot, 'users' | 'groups' | 'roles' | 'policies'>, identities: IdentityIndex): Promise<void> {
  const options = accessOptions(ai.sync.params);
  const skipAws = options.skipAwsManagedPolicies;
  const excludes = options.managedPolicyExcludes;
  const roleExcludes = options.roleExcludes;
  const attachments = attachmentsByPolicy(snapshot);

  for (const policy of snapshot.policies) {
    const attached = policy.Arn ? attachments.get(policy.Arn) : undefined;
    // Unattached policies grant nothing (a boundary-only policy is named by the providers it limits).
    if (!attached && !(policy.AttachmentCount && policy.AttachmentCount > 0)) continue;
    if (!policy.Arn || !policy.PolicyName) {
      // A provider the connector cannot build is never dropped in silence.
      const which = policy.Arn ?? policy.PolicyName ?? policy.PolicyId ?? '(no ARN, name or id)';
      ai.sink.warn(`managed policy ${which} is attached but was listed without ${policy.Arn ? 'a name' : 'an ARN'}; it was left out of the access import`);
      ai.sink.markIncomplete(`managed policy ${which} could not be imported`);
      continue;
    }
    const awsManaged = isAwsManaged(policy);
    if ((awsManaged && skipAws) || matchesAny(excludes, policy.PolicyName)) {
      ai.stats.excludedPolicies++;
      continue;
    }

    const who = emptyWho();
    const whoReasons: Reason[] = [];
    for (const u of attached?.users ?? []) {
      if (ai.known.excludedUsers?.has(u)) whoReasons.push({ message: `attached to user ${u}, which aws-user-excludes leaves out of the identity sync`, incomplete: true });
      else who.users.add(u);
    }
    for (const g of attached?.groups ?? []) who.groups.add(g);
    for (const r of attached?.roles ?? []) {
      // An AWSReservedSSO_ role stands for its permission set (aws_sso_role), excluded or not.
      const permissionSet = ai.ssoRoles?.get(r);
      if (permissionSet) who.accessProviders.add(permissionSet);
      else if (matchesAny(roleExcludes, r)) whoReasons.push({ message: `attached to role ${r}, which aws-access-role-excludes leaves out of the import`, incomplete: true });
      else who.accessProviders.add(roleExternalId(r));
    }

    const draft = new AccessDraft();
    const boundaryReasons = timed(ai, () => {
      evaluateInto(ai, draft, defaultDocument(policy), 'the default policy version');
      return identities.limitByBoundary(ai, draft, { users: attached?.users, groups: attached?.groups, roles: attached?.roles });
    });
    await writeProviders(ai, {
      externalId: `policy:${policy.Arn}`,
      name: policy.PolicyName,
      type: 'aws_policy',
      actualName: policy.PolicyName,
      description: policy.Description,
      who,
      whoReasons,
      grantReasons: boundaryReasons,
      draft,
      locks: awsManaged ? awsManagedLocks() : undefined,
    });
  }
  warnUnmatched(ai.sink, 'aws-access-managed-policy-excludes', excludes, snapshot.policies.flatMap((p) => p.PolicyName ?? []), 'managed policy name');
}
