import type { GroupDetail, PolicyDetail, UserDetail } from '@aws-sdk/client-iam';
import { AccessDraft, emptyWho, evaluatePolicy, type Reason } from '../../policy/index.js';
import type { AccessImport } from './context.js';
import type { IdentityIndex } from './identities.js';
import { readDocument, timed, writeProviders } from './provider.js';

async function evaluateInline(ai: AccessImport, policies: readonly PolicyDetail[]): Promise<AccessDraft> {
  const draft = new AccessDraft();
  await timed(ai, async () => {
    for (const inline of policies) {
      const label = `inline policy ${inline.PolicyName}`;
      const reasons: Reason[] = [];
      const document = readDocument(ai, inline.PolicyDocument, label, reasons);
      draft.grantReasons.addAll(reasons);
      if (document) await evaluatePolicy(document, ai.evaluation, draft, label);
    }
  });
  return draft;
}

/** One aws_inline_policy access provider per user with inline policies (`inline:user/<name>`). */
export async function importUserInlinePolicies(ai: AccessImport, users: readonly UserDetail[], identities: IdentityIndex): Promise<void> {
  for (const user of users) {
    const name = user.UserName;
    const policies = user.UserPolicyList ?? [];
    if (!name || policies.length === 0) continue;
    const who = emptyWho();
    who.users.add(name);
    await writeProviders(ai, {
      externalId: `inline:user/${name}`,
      name: `${name} (user inline policies)`,
      type: 'aws_inline_policy',
      actualName: `user/${name}`,
      description: `Inline policies of IAM user ${name}: ${policies.map((p) => p.PolicyName).join(', ')}.`,
      who,
      grantReasons: identities.boundaryReasons({ users: [name] }),
      draft: await evaluateInline(ai, policies),
    });
  }
}

/** One aws_inline_policy access provider per group with inline policies (`inline:group/<name>`). */
export async function importGroupInlinePolicies(ai: AccessImport, groups: readonly GroupDetail[], identities: IdentityIndex): Promise<void> {
  for (const group of groups) {
    const name = group.GroupName;
    const policies = group.GroupPolicyList ?? [];
    if (!name || policies.length === 0) continue;
    const who = emptyWho();
    who.groups.add(name);
    await writeProviders(ai, {
      externalId: `inline:group/${name}`,
      name: `${name} (group inline policies)`,
      type: 'aws_inline_policy',
      actualName: `group/${name}`,
      description: `Inline policies of IAM group ${name}: ${policies.map((p) => p.PolicyName).join(', ')}.`,
      who,
      grantReasons: identities.boundaryReasons({ groups: [name] }),
      draft: await evaluateInline(ai, policies),
    });
  }
}
