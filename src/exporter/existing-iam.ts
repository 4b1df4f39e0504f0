import type { ManagedPolicyDetail, RoleDetail, Tag } from '@aws-sdk/client-iam';
import type { IamSnapshot } from '../importers/iam-snapshot.js';

/** Who a managed policy is attached to. */
export interface Attachments {
  users: Set<string>;
  groups: Set<string>;
  roles: Set<string>;
}

/**
 * The run's IAM snapshot, indexed for the export: names are looked up without case (IAM names are
 * unique regardless of case). Nothing here calls AWS.
 */
export class ExistingIam {
  readonly userArns = new Map<string, string>();
  readonly groupNames = new Set<string>();
  /** Group name -> member user names. */
  readonly members = new Map<string, string[]>();
  private readonly roles = new Map<string, RoleDetail>();
  private readonly policies = new Map<string, ManagedPolicyDetail>();
  private readonly attachments = new Map<string, Attachments>();
  /** Managed policies attached per user, group and role (`user:<name>`), for the 10-per-entity quota. */
  private readonly attachedCount = new Map<string, number>();

  constructor(snapshot: Pick<IamSnapshot, 'users' | 'groups' | 'roles' | 'policies'>) {
    for (const u of snapshot.users) {
      if (!u.UserName) continue;
      if (u.Arn) this.userArns.set(u.UserName, u.Arn);
      for (const g of u.GroupList ?? []) this.members.set(g, [...(this.members.get(g) ?? []), u.UserName]);
      this.count('user', u.UserName, u.AttachedManagedPolicies?.length ?? 0);
      for (const p of u.AttachedManagedPolicies ?? []) if (p.PolicyArn) this.attached(p.PolicyArn).users.add(u.UserName);
    }
    for (const g of snapshot.groups) {
      if (!g.GroupName) continue;
      this.groupNames.add(g.GroupName);
      this.count('group', g.GroupName, g.AttachedManagedPolicies?.length ?? 0);
      for (const p of g.AttachedManagedPolicies ?? []) if (p.PolicyArn) this.attached(p.PolicyArn).groups.add(g.GroupName);
    }
    for (const r of snapshot.roles) {
      if (!r.RoleName) continue;
      this.roles.set(r.RoleName.toLowerCase(), r);
      this.count('role', r.RoleName, r.AttachedManagedPolicies?.length ?? 0);
      for (const p of r.AttachedManagedPolicies ?? []) if (p.PolicyArn) this.attached(p.PolicyArn).roles.add(r.RoleName);
    }
    for (const p of snapshot.policies) {
      // Only customer managed policies of this account can be written; AWS managed ones live under iam::aws.
      if (p.PolicyName && p.Arn && !/^arn:[^:]+:iam::aws:policy\//.test(p.Arn)) this.policies.set(p.PolicyName.toLowerCase(), p);
    }
  }

  private count(kind: string, name: string, n: number): void {
    this.attachedCount.set(`${kind}:${name}`, n);
  }

  private attached(arn: string): Attachments {
    let a = this.attachments.get(arn);
    if (!a) this.attachments.set(arn, (a = { users: new Set(), groups: new Set(), roles: new Set() }));
    return a;
  }

  role(name: string): RoleDetail | undefined {
    return this.roles.get(name.toLowerCase());
  }

  policy(name: string): ManagedPolicyDetail | undefined {
    return this.policies.get(name.toLowerCase());
  }

  attachmentsOf(arn: string): Attachments {
    return this.attachments.get(arn) ?? { users: new Set(), groups: new Set(), roles: new Set() };
  }

  /** How many managed policies are attached to a user, group or role today. */
  attachedPolicies(kind: 'user' | 'group' | 'role', name: string): number {
    return this.attachedCount.get(`${kind}:${name}`) ?? 0;
  }
}

/** The value of the tag `creator` (the mark of what the connector created). */
export const CREATOR_TAG = { Key: 'creator', Value: 'RAITO' } as const;

export function createdByConnector(tags: readonly Tag[] | readonly { Key?: string; Value?: string }[] | undefined): boolean {
  return (tags ?? []).some((t) => t.Key === CREATOR_TAG.Key && t.Value === CREATOR_TAG.Value);
}
