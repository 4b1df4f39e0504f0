import { defaultDocument, type IamSnapshot } from '../iam-snapshot.js';
import { AccessDraft, evaluatePolicy, type Reason } from '../../policy/index.js';
import type { AccessImport } from './context.js';
import { readDocument } from './provider.js';

/** The principals an access provider's policies act for. */
export interface Subjects {
  users?: Iterable<string>;
  groups?: Iterable<string>;
  roles?: Iterable<string>;
}

/** Lookups over the IAM snapshot that several importers need (built once per import). */
export class IdentityIndex {
  private readonly userBoundary = new Map<string, string>();
  private readonly roleBoundary = new Map<string, string>();
  private readonly members = new Map<string, string[]>();
  private readonly documents = new Map<string, string | undefined>();
  private readonly evaluated = new Map<string, AccessDraft | undefined>();

  constructor(snapshot: Pick<IamSnapshot, 'users' | 'roles'> & Partial<Pick<IamSnapshot, 'policies'>>) {
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
    for (const p of snapshot.policies ?? []) {
      if (p.Arn) this.documents.set(p.Arn, defaultDocument(p));
    }
  }

  /** Every principal of the subjects with its boundary (undefined: none); a group stands for its members. */
  private principals(who: Subjects): { subject: string; boundary?: string }[] {
    const list: { subject: string; boundary?: string }[] = [];
    for (const user of who.users ?? []) list.push({ subject: `user ${user}`, boundary: this.userBoundary.get(user) });
    for (const group of who.groups ?? []) {
      for (const member of this.members.get(group) ?? []) list.push({ subject: `user ${member} of group ${group}`, boundary: this.userBoundary.get(member) });
    }
    for (const role of who.roles ?? []) list.push({ subject: `role ${role}`, boundary: this.roleBoundary.get(role) });
    return list;
  }

  /** One reason per permission boundary on the users, groups' members and roles of a who. */
  boundaryReasons(who: Subjects): Reason[] {
    return this.principals(who)
      .filter((p) => p.boundary)
      .map((p) => ({ message: `permission boundary ${p.boundary} limits ${p.subject}; effective access may be smaller`, incomplete: true }));
  }

  /** The boundary evaluated as a policy (once per boundary); undefined when its document is not in the snapshot or cannot be read. */
  private boundaryDraft(ai: AccessImport, arn: string): AccessDraft | undefined {
    if (!this.evaluated.has(arn)) this.evaluated.set(arn, this.evaluateBoundary(ai, arn));
    return this.evaluated.get(arn);
  }

  private evaluateBoundary(ai: AccessImport, arn: string): AccessDraft | undefined {
    const text = this.documents.get(arn);
    if (text === undefined) return undefined;
    const document = readDocument(ai, text, `permission boundary ${arn}`, []);
    if (!document) return undefined;
    const evaluated = new AccessDraft();
    evaluatePolicy(document, ai.evaluation, evaluated);
    return evaluated;
  }

  /**
   * Limits a grant by the permission boundary of the principals it acts for, as AWS does: when
   * they all have the same boundary (a role, a user, a group whose members share one), the grant
   * becomes what the boundary also allows and the boundary's denies join the deny side. When they
   * have different boundaries, or some have none, one grant cannot show each of them: the reasons
   * name the principals and their boundaries, as before.
   */
  limitByBoundary(ai: AccessImport, draft: AccessDraft, who: Subjects): Reason[] {
    const principals = this.principals(who);
    const boundaries = new Set(principals.map((p) => p.boundary));
    if (principals.length === 0 || (boundaries.size === 1 && boundaries.has(undefined))) return [];
    const [arn] = [...boundaries];
    if (boundaries.size > 1 || arn === undefined) return this.boundaryReasons(who);
    const boundary = this.boundaryDraft(ai, arn);
    const subjects = principals.map((p) => p.subject).join(', ');
    if (!boundary) return [{ message: `permission boundary ${arn} limits ${subjects}, but its document is not in the IAM snapshot or cannot be read; effective access may be smaller`, incomplete: true }];
    draft.limitBy(boundary, `permission boundary ${arn}`);
    return [{ message: `permission boundary ${arn} limits ${subjects}: what is shown is what it also allows`, incomplete: false }];
  }
}
