import type { CloudTrailUserIdentity } from './cloudtrail-event.js';

/** Who a usage statement is about: `user` is the name of an identity, `role` the role or permission set it acted through. */
export interface Attribution {
  user?: string;
  role?: string;
}

/** `AWSReservedSSO_<PermissionSet>_<16 hex>`: the roles Identity Center makes for a permission set. */
const SSO_ROLE = /^AWSReservedSSO_(.+)_[0-9a-f]{16}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** `arn:aws:sts::<account>:assumed-role/<role>/<session>` -> role and session name. */
function assumedRoleParts(arn: string | undefined): { role?: string; session?: string } {
  const at = arn ? arn.indexOf(':assumed-role/') : -1;
  if (at < 0) return {};
  const path = arn!.slice(at + 14);
  const last = path.lastIndexOf('/');
  if (last <= 0) return {};
  const rolePath = path.slice(0, last);
  return { role: rolePath.slice(rolePath.lastIndexOf('/') + 1), session: path.slice(last + 1) };
}

/**
 * Attributes an event to a user and a role:
 * - `IAMUser` of this account: the user name.
 * - `AssumedRole` of this account: the role name in `role`; for Identity Center roles
 *   (`AWSReservedSSO_<PermissionSet>_...`) the permission set is the role and the session name,
 *   the Identity Center user name, is the user. For other roles the user is the `sourceIdentity` of
 *   the session, or the session name when it is an email address (as SAML and OIDC federation
 *   set it); a session name such as `botocore-session-1712` names no person and is left out.
 * - Everything else (the root user, AWS services, principals of other accounts, federated and
 *   web identity users) keeps what the event says: an ARN, a service name, a principal id.
 */
export function attribute(identity: CloudTrailUserIdentity | undefined, account: string): Attribution {
  if (!identity) return { user: 'unknown' };
  const ownAccount = identity.accountId === undefined || identity.accountId === account;
  switch (identity.type) {
    case 'IAMUser':
      if (ownAccount && identity.userName) return { user: identity.userName };
      return { user: identity.arn ?? identity.userName ?? identity.principalId ?? 'IAMUser' };
    case 'AssumedRole': {
      const issuer = identity.sessionContext?.sessionIssuer;
      const parts = assumedRoleParts(identity.arn);
      const roleName = issuer?.userName ?? parts.role;
      const issuerAccount = issuer?.accountId ?? identity.accountId;
      if (issuerAccount !== undefined && issuerAccount !== account) {
        // A role of another account: its ARN says whose it is.
        return { role: issuer?.arn ?? identity.arn ?? roleName, ...(parts.session && isPerson(parts.session) ? { user: parts.session } : {}) };
      }
      const sso = roleName ? SSO_ROLE.exec(roleName) : null;
      if (sso) return { role: sso[1], ...(parts.session ? { user: parts.session } : {}) };
      const person = identity.sessionContext?.sourceIdentity ?? (parts.session && isPerson(parts.session) ? parts.session : undefined);
      return { ...(roleName ? { role: roleName } : {}), ...(person ? { user: person } : {}), ...(roleName || person ? {} : { user: identity.arn ?? 'AssumedRole' }) };
    }
    case 'Root':
      return { user: identity.arn ?? `arn:aws:iam::${identity.accountId ?? account}:root` };
    case 'AWSService':
      return { user: identity.invokedBy ?? 'AWSService' };
    case 'FederatedUser':
    case 'SAMLUser':
    case 'WebIdentityUser':
      return { user: identity.userName ?? identity.arn ?? identity.principalId ?? identity.type };
    case 'IdentityCenterUser':
      return { user: identity.onBehalfOf?.userId ?? identity.principalId ?? identity.type };
    case 'AWSAccount':
      return { user: identity.accountId ? `arn:aws:iam::${identity.accountId}:root` : (identity.principalId ?? 'AWSAccount') };
    default:
      return { user: identity.arn ?? identity.userName ?? identity.principalId ?? identity.invokedBy ?? identity.type ?? 'unknown' };
  }
}

/** A session name names a person when it is an email address (what federation sets it to). */
export function isPerson(session: string): boolean {
  return EMAIL.test(session);
}

/** How many assumed-role sessions the cache keeps before it starts over (a run sees few distinct ones). */
const CACHE_LIMIT = 10_000;

/**
 * `attribute` for a stream of events of one account: assumed-role sessions repeat across events,
 * so their attribution (ARN parsing, the Identity Center pattern) is worked out once per session.
 */
export function cachedAttribution(account: string): (identity: CloudTrailUserIdentity | undefined) => Attribution {
  const cache = new Map<string, Attribution>();
  return (identity) => {
    if (identity?.type !== 'AssumedRole' || identity.arn === undefined || identity.sessionContext?.sourceIdentity !== undefined) return attribute(identity, account);
    const key = identity.arn;
    let found = cache.get(key);
    if (!found) {
      if (cache.size >= CACHE_LIMIT) cache.clear();
      found = attribute(identity, account);
      cache.set(key, found);
    }
    return found;
  };
}

