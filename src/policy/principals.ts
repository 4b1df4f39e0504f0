import type { Principals, PrincipalType } from './document.js';
import type { Reason } from './evaluate.js';

/** Who a principal entry stands for, seen from the account that owns the policy. */
export type PrincipalKind =
  | 'public'
  | 'account'
  | 'user'
  | 'role'
  | 'role-session'
  | 'other-iam'
  | 'unique-id'
  | 'service'
  | 'federated'
  | 'canonical-user';

export interface ClassifiedPrincipal {
  kind: PrincipalKind;
  /** As written in the policy. */
  value: string;
  /** The account of an IAM principal (AWS type). */
  accountId?: string;
  /** User or role name (without path) for `user`, `role` and `role-session`. */
  name?: string;
  sameAccount: boolean;
}

const IAM_ARN = /^arn:[a-z-]+:(iam|sts)::(\d{12}|\*):(.+)$/;
// Unique ids (AIDA… users, AROA… roles) appear when the principal was deleted after the policy was written.
const UNIQUE_ID = /^A[A-Z]{3}[A-Z0-9]{12,}$/;

function classifyAws(value: string, accountId: string): ClassifiedPrincipal {
  if (value === '*') return { kind: 'public', value, sameAccount: false };
  if (/^\d{12}$/.test(value)) return { kind: 'account', value, accountId: value, sameAccount: value === accountId };
  if (UNIQUE_ID.test(value)) return { kind: 'unique-id', value, sameAccount: false };
  const match = IAM_ARN.exec(value);
  if (!match) return { kind: 'other-iam', value, sameAccount: false };
  const [, service, account, rest] = match as unknown as [string, string, string, string];
  const sameAccount = account === accountId;
  if (service === 'iam' && rest === 'root') return { kind: 'account', value, accountId: account, sameAccount };
  const lastSegment = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
  if (service === 'iam' && rest.startsWith('user/')) return { kind: 'user', value, accountId: account, name: lastSegment(rest), sameAccount };
  if (service === 'iam' && rest.startsWith('role/')) return { kind: 'role', value, accountId: account, name: lastSegment(rest), sameAccount };
  if (service === 'sts' && rest.startsWith('assumed-role/')) {
    const [, role] = rest.split('/');
    return { kind: 'role-session', value, accountId: account, name: role, sameAccount };
  }
  return { kind: 'other-iam', value, accountId: account, sameAccount };
}

/** Classifies every entry of a `Principal` element. */
export function classifyPrincipals(principals: Principals, accountId: string): ClassifiedPrincipal[] {
  if (principals.all) return [{ kind: 'public', value: '*', sameAccount: false }];
  const out: ClassifiedPrincipal[] = [];
  const kinds: Record<Exclude<PrincipalType, 'AWS'>, PrincipalKind> = { Service: 'service', Federated: 'federated', CanonicalUser: 'canonical-user' };
  for (const [type, values] of Object.entries(principals.byType) as [PrincipalType, string[]][]) {
    for (const value of values) {
      if (type === 'AWS') out.push(classifyAws(value, accountId));
      else out.push({ kind: value === '*' ? 'public' : kinds[type], value, sameAccount: false });
    }
  }
  return out;
}

/** The identities of the account that a `who` may name. */
export interface KnownIdentities {
  /** Users that the identity sync writes (users left out by `aws-user-excludes` are not among them). */
  users: ReadonlySet<string>;
  /** Users of this account that `aws-user-excludes` leaves out of the identity sync. */
  excludedUsers?: ReadonlySet<string>;
  /** Roles that have an access provider (excluded roles are not among them). */
  roles: ReadonlySet<string>;
  /** Roles of this account that the configuration leaves out of the import (`aws-access-role-excludes`). */
  excludedRoles?: ReadonlySet<string>;
  /** externalId of a role's access provider. */
  roleExternalId(name: string): string;
}

export interface WhoDraft {
  users: Set<string>;
  groups: Set<string>;
  accessProviders: Set<string>;
}

export function emptyWho(): WhoDraft {
  return { users: new Set(), groups: new Set(), accessProviders: new Set() };
}

/**
 * Adds principals to a who: same-account users and roles by name; everything a who cannot hold
 * (the public, a whole account, another account, a service, a federated identity) becomes a reason.
 * `policy` names the policy in the reasons: `trust policy`, `bucket policy`, `access point policy`.
 */
export function addPrincipals(who: WhoDraft, principals: ClassifiedPrincipal[], known: KnownIdentities, policy: string, effect: 'Allow' | 'Deny' = 'Allow'): Reason[] {
  const reasons: Reason[] = [];
  const trust = policy === 'trust policy';
  const verb = effect === 'Deny' ? 'denies' : trust ? 'allows' : 'grants access to';
  const reason = (message: string): void => {
    reasons.push({ message, incomplete: true });
  };
  const everyone = effect === 'Deny' ? `${policy} denies every principal (Principal *)` : trust ? 'trust policy allows any principal (Principal *)' : `${policy} grants public access (Principal *)`;
  for (const p of principals) {
    switch (p.kind) {
      case 'public':
        reason(everyone);
        break;
      case 'account':
        if (p.sameAccount) reason(`${policy} ${verb} the whole account ${p.accountId} (${p.value}): any user or role whose own policies allow it`);
        else reason(`${policy} ${verb} cross-account principal ${p.value} (account ${p.accountId})`);
        break;
      case 'user':
        if (!p.sameAccount) reason(`${policy} ${verb} cross-account principal ${p.value}`);
        else if (known.excludedUsers?.has(p.name ?? '')) reason(`${policy} names user ${p.name}, which aws-user-excludes leaves out of the identity sync`);
        else if (!known.users.has(p.name ?? '')) reason(`${policy} names user ${p.name}, which is not in this account`);
        else who.users.add(p.name as string);
        break;
      case 'role':
      case 'role-session':
        if (!p.sameAccount) reason(`${policy} ${verb} cross-account principal ${p.value}`);
        else if (known.excludedRoles?.has(p.name ?? '')) reason(`${policy} names role ${p.name}, which aws-access-role-excludes leaves out of the import`);
        else if (!known.roles.has(p.name ?? '')) reason(`${policy} names role ${p.name}, which is not in this account`);
        else {
          who.accessProviders.add(known.roleExternalId(p.name as string));
          if (p.kind === 'role-session') reason(`${policy} names a session of role ${p.name} (${p.value}); it is shown as the whole role`);
        }
        break;
      case 'unique-id':
        reason(`${policy} names principal ${p.value}, the unique id of a deleted or recreated principal`);
        break;
      case 'service':
        reason(`${policy} ${verb} service principal ${p.value}`);
        break;
      case 'federated':
        reason(`${policy} ${verb} federated principal ${p.value}`);
        break;
      case 'canonical-user':
        reason(`${policy} ${verb} canonical user ${p.value}`);
        break;
      case 'other-iam':
        reason(`${policy} names principal ${p.value}, which the connector cannot map to a user or role`);
        break;
    }
  }
  return reasons;
}
