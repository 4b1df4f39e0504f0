import type { RoleDetail } from '@aws-sdk/client-iam';
import { matchesAny } from '../../plugin-api/parameters.js';
import type { LastUsed, Lock, Tag } from '../../model/index.js';
import { addPrincipals, classifyPrincipals, emptyWho, Glob, statementLabel, type PolicyDocument, type Reason, type WhoDraft } from '../../policy/index.js';
import type { AccessImport } from './context.js';
import { roleExternalId } from './context.js';
import type { IdentityIndex } from './identities.js';
import { accessOptions } from './parameters.js';
import { evaluateInline } from './inline-policies.js';
import { readDocument, timed, writeProviders } from './provider.js';

const ASSUME_ACTIONS = ['sts:AssumeRole', 'sts:AssumeRoleWithSAML', 'sts:AssumeRoleWithWebIdentity'];

// Trust policies repeat a handful of action patterns across thousands of roles.
const assumeMemo = new Map<string, boolean>();

function assumes(patterns: readonly string[]): boolean {
  return patterns.some((p) => {
    let known = assumeMemo.get(p);
    if (known === undefined) {
      const glob = new Glob(p, { caseInsensitive: true });
      known = ASSUME_ACTIONS.some((a) => glob.matches(a));
      if (assumeMemo.size < 10_000) assumeMemo.set(p, known);
    }
    return known;
  });
}

/** Who may assume the role, from its trust policy; what a who cannot hold becomes a reason. */
export function trustWho(ai: AccessImport, trust: PolicyDocument): { who: WhoDraft; reasons: Reason[] } {
  const who = emptyWho();
  const reasons: Reason[] = [];
  for (const statement of trust.statements) {
    const label = `trust policy ${statementLabel(statement)}`;
    if (statement.notActions) {
      reasons.push({ message: `${label} uses NotAction; the connector reads only Action in trust policies`, incomplete: true });
      continue;
    }
    // Statements for sts:TagSession or sts:SetSourceIdentity alone do not let anyone in.
    if (!assumes(statement.actions ?? [])) continue;
    if (statement.effect === 'Deny') {
      reasons.push({ message: `${label} denies assuming the role to some principals; who may be smaller`, incomplete: true });
      continue;
    }
    if (statement.notPrincipal) {
      reasons.push({ message: `${label} uses NotPrincipal: every principal but those listed may assume the role`, incomplete: true });
      continue;
    }
    if (statement.principal) reasons.push(...addPrincipals(who, classifyPrincipals(statement.principal, ai.accountId), ai.known, 'trust policy'));
    for (const c of statement.conditions) {
      reasons.push({ message: `${label} has condition ${c.operator} ${c.key}; assuming the role depends on it`, incomplete: true });
    }
  }
  return { who, reasons };
}

function roleTags(role: RoleDetail): Tag[] {
  return (role.Tags ?? []).map((t) => ({ key: t.Key ?? '', value: t.Value ?? '', source: 'aws-iam' }));
}

/** Service-linked roles belong to an AWS service: it alone may change or delete them. */
function serviceLinkedLocks(role: RoleDetail): Lock[] | undefined {
  if (!role.Path?.startsWith('/aws-service-role/')) return undefined;
  const reason = `service-linked role: AWS manages it for the service (path ${role.Path})`;
  return (['who', 'what', 'name', 'delete'] as const).map((lock) => ({ lock, reason }));
}

/** RoleLastUsed comes with each role in GetAccountAuthorizationDetails: no call of its own. */
function roleLastUsed(role: RoleDetail): LastUsed | undefined {
  const date = role.RoleLastUsed?.LastUsedDate;
  if (!date) return undefined;
  return role.RoleLastUsed?.Region ? { date: date.toISOString(), region: role.RoleLastUsed.Region } : { date: date.toISOString() };
}

/** One aws_role access provider per role: who from the trust policy, what from its inline policies. */
export async function importRoles(ai: AccessImport, roles: readonly RoleDetail[], identities: IdentityIndex): Promise<void> {
  const excludes = accessOptions(ai.sync.params).roleExcludes;
  for (const role of roles) {
    const name = role.RoleName;
    if (!name) {
      // A provider the connector cannot build is never dropped in silence.
      ai.sink.warn(`an IAM role was listed without a name (${role.Arn ?? role.RoleId ?? 'no ARN or id'}); it was left out of the access import`);
      ai.sink.markIncomplete('an IAM role could not be imported');
      continue;
    }
    // Identity Center's AWSReservedSSO_ roles are imported as their permission set (aws_sso_role).
    if (ai.ssoRoles?.has(name)) continue;
    if (matchesAny(excludes, name)) {
      ai.stats.excludedRoles++;
      continue;
    }
    const whoReasons: Reason[] = [];
    const trusted = timed(ai, () => {
      const trust = readDocument(ai, role.AssumeRolePolicyDocument, 'trust policy', whoReasons);
      return trust ? trustWho(ai, trust) : { who: emptyWho(), reasons: [] };
    });
    whoReasons.push(...trusted.reasons);
    const { draft, boundaryReasons } = evaluateInline(ai, role.RolePolicyList ?? [], (d) => identities.limitByBoundary(ai, d, { roles: [name] }));
    const attached = (role.AttachedManagedPolicies ?? []).map((p) => p.PolicyName).filter(Boolean);
    await writeProviders(ai, {
      externalId: roleExternalId(name),
      name,
      type: 'aws_role',
      actualName: name,
      description: attached.length > 0 ? `Managed policies attached (their own access providers): ${attached.join(', ')}.` : undefined,
      who: trusted.who,
      whoReasons,
      grantReasons: boundaryReasons,
      draft,
      locks: serviceLinkedLocks(role),
      tags: roleTags(role),
      lastUsed: roleLastUsed(role),
    });
  }
}
