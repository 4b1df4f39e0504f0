import type { GroupDetail, PolicyDetail, UserDetail } from '@aws-sdk/client-iam';
import { AccessDraft, emptyWho, type Reason } from '../../policy/index.js';
import type { AccessImport } from './context.js';
import type { IdentityIndex } from './identities.js';
import { evaluateInto, timed, writeProviders } from './provider.js';

/** The inline policies of a user, group or role in one draft, limited by its permission boundary (`limit`). */
export function evaluateInline(ai: AccessImport, policies: readonly PolicyDetail[], limit: (draft: AccessDraft) => Reason[]): { draft: AccessDraft; boundaryReasons: Reason[] } {
  return timed(ai, () => {
    const draft = new AccessDraft();
    for (const inline of policies) {
      const label = `inline policy ${inline.PolicyName}`;
      evaluateInto(ai, draft, inline.PolicyDocument, label, label);
    }
    return { draft, boundaryReasons: limit(draft) };
  });
}

/** A user or group with its inline policies. */
export interface InlineOwner {
  name?: string;
  policies?: PolicyDetail[];
}

export const inlineOwnersOfUsers = (users: readonly UserDetail[]): InlineOwner[] => users.map((u) => ({ name: u.UserName, policies: u.UserPolicyList }));
export const inlineOwnersOfGroups = (groups: readonly GroupDetail[]): InlineOwner[] => groups.map((g) => ({ name: g.GroupName, policies: g.GroupPolicyList }));

/** One aws_inline_policy access provider per user or group with inline policies (`inline:user/<name>`, `inline:group/<name>`). */
export async function importInlinePolicies(ai: AccessImport, kind: 'user' | 'group', owners: readonly InlineOwner[], identities: IdentityIndex): Promise<void> {
  for (const { name, policies } of owners) {
    if (!policies || policies.length === 0) continue;
    if (!name) {
      ai.sink.warn(`inline policies of an IAM ${kind} without a name were left out of the access import (${policies.map((p) => p.PolicyName).join(', ')})`);
      ai.sink.markIncomplete(`inline policies of an IAM ${kind} could not be imported`);
      continue;
    }
    const who = emptyWho();
    const excluded = kind === 'user' && ai.known.excludedUsers?.has(name);
    if (!excluded) (kind === 'user' ? who.users : who.groups).add(name);
    const ownerReasons = excluded ? [{ message: `user ${name} is left out of the identity sync by aws-user-excludes`, incomplete: true }] : [];
    const { draft, boundaryReasons } = evaluateInline(ai, policies, (d) => identities.limitByBoundary(ai, d, kind === 'user' ? { users: [name] } : { groups: [name] }));
    await writeProviders(ai, {
      externalId: `inline:${kind}/${name}`,
      name: `${name} (${kind} inline policies)`,
      type: 'aws_inline_policy',
      actualName: `${kind}/${name}`,
      description: `Inline policies of IAM ${kind} ${name}: ${policies.map((p) => p.PolicyName).join(', ')}.`,
      who,
      grantReasons: [...ownerReasons, ...boundaryReasons],
      draft,
    });
  }
}
