import { AccessDraft, addPrincipals, classifyPrincipals, emptyWho, evaluateStatement, statementLabel, type PolicyDocument, type Reason, type WhoDraft } from '../../policy/index.js';
import type { AccessImport } from './context.js';

/** A resource policy read into grant and deny sides, each with the principals of its own statements. */
export interface ResourcePolicyAccess {
  draft: AccessDraft;
  who: WhoDraft;
  denyWho: WhoDraft;
  whoReasons: Reason[];
  denyWhoReasons: Reason[];
}

function principalKey(who: WhoDraft, reasons: Reason[]): string {
  return JSON.stringify([[...who.users].sort(), [...who.accessProviders].sort(), reasons.map((r) => r.message).sort()]);
}

/**
 * Bucket and access point policies: every statement gives its permissions to its own principals.
 * One access provider holds them all, so when the Allow statements name different principals the
 * provider shows the union of principals and permissions, and says so.
 */
export function evaluateResourcePolicy(ai: AccessImport, document: PolicyDocument, policy: string): ResourcePolicyAccess {
  const result: ResourcePolicyAccess = { draft: new AccessDraft(), who: emptyWho(), denyWho: emptyWho(), whoReasons: [], denyWhoReasons: [] };
  const grantingPrincipals = new Set<string>();
  for (const statement of document.statements) {
    const outcome = evaluateStatement(statement, ai.evaluation, policy);
    result.draft.addOutcome(outcome);
    const deny = statement.effect === 'Deny';
    const reasons = deny ? result.denyWhoReasons : result.whoReasons;
    const statementWho = emptyWho();
    const statementReasons: Reason[] = [];
    if (statement.notPrincipal) {
      statementReasons.push({ message: `${policy} ${statementLabel(statement)} uses NotPrincipal: it applies to every principal but those listed`, incomplete: true });
    } else if (statement.principal) {
      statementReasons.push(...addPrincipals(statementWho, classifyPrincipals(statement.principal, ai.accountId), ai.known, policy, statement.effect));
    } else {
      statementReasons.push({ message: `${policy} ${statementLabel(statement)} names no principal`, incomplete: true });
    }
    const target = deny ? result.denyWho : result.who;
    for (const u of statementWho.users) target.users.add(u);
    for (const a of statementWho.accessProviders) target.accessProviders.add(a);
    reasons.push(...statementReasons);
    if (!deny && outcome.grants.length > 0) grantingPrincipals.add(principalKey(statementWho, statementReasons));
  }
  // Public access is the reason a reader must not miss: it comes first.
  result.whoReasons.sort((a, b) => Number(b.message.includes('(Principal *)')) - Number(a.message.includes('(Principal *)')));
  if (grantingPrincipals.size > 1) {
    result.whoReasons.push({
      message: `${policy} gives different principals different permissions; this access provider shows the union of its principals and permissions`,
      incomplete: true,
    });
  }
  return result;
}
