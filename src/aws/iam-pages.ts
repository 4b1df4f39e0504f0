import type { GetAccountAuthorizationDetailsCommandOutput, ManagedPolicyDetail } from '@aws-sdk/client-iam';

// Plain code with no runtime imports: the parse workers (parse-worker.ts) load it too.

/**
 * A policy document as plain JSON text: IAM sends documents URL-encoded (RFC 3986). Text that is
 * JSON already, or does not decode to a JSON object's text, is left as it is, so that reading it
 * (parsePolicyDocument) gives the same document or the same error as the text IAM sent.
 */
export function plainDocument(text: string | undefined): string | undefined {
  if (text === undefined || text.startsWith('{')) return text;
  try {
    const decoded = decodeURIComponent(text).trim();
    return decoded.startsWith('{') ? decoded : text;
  } catch {
    return text;
  }
}

type AuthorizationDetails = Pick<GetAccountAuthorizationDetailsCommandOutput, 'UserDetailList' | 'GroupDetailList' | 'RoleDetailList' | 'Policies'>;

/**
 * Only the default version of a managed policy is evaluated: the others (up to four more
 * documents each) are dropped as pages are read, for the snapshot lives for the whole target run.
 */
export function withDefaultVersionOnly(policy: ManagedPolicyDetail): ManagedPolicyDetail {
  const versions = policy.PolicyVersionList;
  if (!versions || versions.length <= 1) return policy;
  const byFlag = versions.filter((v) => v.IsDefaultVersion);
  const byId = policy.DefaultVersionId ? versions.filter((v) => v.VersionId === policy.DefaultVersionId) : [];
  return { ...policy, PolicyVersionList: byFlag.length > 0 ? byFlag : byId };
}

/**
 * A GetAccountAuthorizationDetails page as the IAM snapshot keeps it, in place: each managed
 * policy's default version only, and every policy document as plain JSON text. The parse worker
 * does it as it parses a page, so that the main thread, which reads tens of thousands of
 * documents after the last page, neither decodes them nor receives the versions it drops
 * (iam-snapshot.ts calls it again for pages parsed on the main thread: a second time changes nothing).
 */
export function prepareAuthorizationDetails(page: AuthorizationDetails): void {
  if (page.Policies) page.Policies = page.Policies.map(withDefaultVersionOnly);
  for (const user of page.UserDetailList ?? []) for (const p of user.UserPolicyList ?? []) p.PolicyDocument = plainDocument(p.PolicyDocument);
  for (const group of page.GroupDetailList ?? []) for (const p of group.GroupPolicyList ?? []) p.PolicyDocument = plainDocument(p.PolicyDocument);
  for (const role of page.RoleDetailList ?? []) {
    role.AssumeRolePolicyDocument = plainDocument(role.AssumeRolePolicyDocument);
    for (const p of role.RolePolicyList ?? []) p.PolicyDocument = plainDocument(p.PolicyDocument);
  }
  for (const policy of page.Policies ?? []) for (const v of policy.PolicyVersionList ?? []) v.Document = plainDocument(v.Document);
}
