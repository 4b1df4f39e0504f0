import type { IamSnapshot } from '../iam-snapshot.js';
import type { Reason } from '../../policy/index.js';

/** Lookups over the IAM snapshot that several importers need (built once per import). */
export class IdentityIndex {
  private readonly userBoundary = new Map<string, string>();
  private readonly roleBoundary = new Map<string, string>();
  private readonly members = new Map<string, string[]>();

  constructor(snapshot: Pick<IamSnapshot, 'users' | 'roles'>) {
    for (const u of snapshot.users) {
      if (!u.UserName) continue;
      const boundary = u.PermissionsBoundary?.PermissionsBoundaryArn;
      if (boundary) this.userBoundary.set(u.UserName, boundary);
      for (const g of u.GroupList ?? []) {
        const list = this.members.get(g) ?? [];
        list.push(u.UserName);
        this.members.set(g, list);
      }
    }
    for (const r of snapshot.roles) {
      const boundary = r.PermissionsBoundary?.PermissionsBoundaryArn;
      if (r.RoleName && boundary) this.roleBoundary.set(r.RoleName, boundary);
    }
  }

  /** The boundary on a role, said from the role's own access provider. */
  roleBoundaryReasons(role: string): Reason[] {
    const arn = this.roleBoundary.get(role);
    return arn ? [{ message: `permission boundary ${arn} limits this role; effective access may be smaller`, incomplete: true }] : [];
  }

  /** One reason per permission boundary on the users, groups' members and roles of a who. */
  boundaryReasons(who: { users?: Iterable<string>; groups?: Iterable<string>; roles?: Iterable<string> }): Reason[] {
    const reasons: Reason[] = [];
    const say = (arn: string, subject: string): void => {
      reasons.push({ message: `permission boundary ${arn} limits ${subject}; effective access may be smaller`, incomplete: true });
    };
    for (const user of who.users ?? []) {
      const arn = this.userBoundary.get(user);
      if (arn) say(arn, `user ${user}`);
    }
    for (const group of who.groups ?? []) {
      for (const member of this.members.get(group) ?? []) {
        const arn = this.userBoundary.get(member);
        if (arn) say(arn, `user ${member} of group ${group}`);
      }
    }
    for (const role of who.roles ?? []) {
      const arn = this.roleBoundary.get(role);
      if (arn) say(arn, `role ${role}`);
    }
    return reasons;
  }
}
