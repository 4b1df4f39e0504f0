import type { DataObjectType, WhatItem } from '../model/index.js';
import type { ActionCatalogue } from './actions.js';
import { conditionVerdict } from './conditions.js';
import { statementLabel, type Effect, type PolicyDocument, type PolicyStatement } from './document.js';
import type { S3Permission } from './s3-permissions.js';
import { appliesTo, type DataObjectRef, type Resolution, type S3Resolver } from './s3-resources.js';

/** A sentence for the access provider's `reasons`; `incomplete` ones mark the provider incomplete. */
export interface Reason {
  message: string;
  incomplete: boolean;
}

/** What evaluation reads policies against: the action catalogue and the account's S3 resources. */
export interface EvaluationContext {
  actions: ActionCatalogue;
  s3: S3Resolver;
}

/** What one statement allows or denies, on data objects. */
export interface StatementOutcome {
  effect: Effect;
  /** `conditional`: the permissions only hold when the statement's conditions are met. */
  grants: { dataObject: DataObjectRef; permissions: string[]; conditional: boolean }[];
  /** Some of its permissions depend on conditions on keys the request may carry. */
  conditional: boolean;
  reasons: Reason[];
  /** Actions of other services the statement names (not data permissions, but counted). */
  otherServiceActions: number;
}

/** Permissions per data object, merged: sorted, unique, conditional ones apart from the rest. */
export class WhatBuilder {
  private readonly byObject = new Map<string, { ref: DataObjectRef; plain: Set<string>; conditional: Set<string> }>();

  add(ref: DataObjectRef, permissions: Iterable<string>, conditional: boolean): void {
    let entry = this.byObject.get(ref.fullName);
    if (!entry) this.byObject.set(ref.fullName, (entry = { ref, plain: new Set(), conditional: new Set() }));
    const target = conditional ? entry.conditional : entry.plain;
    for (const p of permissions) target.add(p);
  }

  get size(): number {
    return this.byObject.size;
  }

  /**
   * What both this and `limit` give: on every pair of data objects where one holds the other, the
   * deeper one gets the permissions both give there (conditional when either is). This is how a
   * permission boundary narrows a grant: it never adds, and a boundary on a folder narrows a
   * grant on its bucket to that folder.
   */
  intersect(limit: WhatBuilder): WhatBuilder {
    const result = new WhatBuilder();
    for (const grant of this.byObject.values()) {
      for (const bound of limit.byObject.values()) {
        const deeper = holds(bound.ref, grant.ref) ? grant.ref : holds(grant.ref, bound.ref) ? bound.ref : undefined;
        if (!deeper) continue;
        const plain = [...grant.plain].filter((p) => bound.plain.has(p));
        const conditional = [...grant.plain, ...grant.conditional].filter((p) => !plain.includes(p) && (bound.plain.has(p) || bound.conditional.has(p)));
        if (plain.length > 0) result.add(deeper, plain, false);
        if (conditional.length > 0) result.add(deeper, conditional, true);
      }
    }
    return result;
  }

  /** Adds everything of another builder. */
  addAll(other: WhatBuilder): void {
    for (const entry of other.byObject.values()) {
      this.add(entry.ref, entry.plain, false);
      this.add(entry.ref, entry.conditional, true);
    }
  }

  /** Sorted by full name; a permission that holds without condition is not repeated as conditional. */
  items(): WhatItem[] {
    const items: WhatItem[] = [];
    const names = [...this.byObject.keys()].sort();
    for (const name of names) {
      const { ref, plain, conditional } = this.byObject.get(name) as { ref: DataObjectRef; plain: Set<string>; conditional: Set<string> };
      if (plain.size > 0) items.push({ dataObject: { fullName: ref.fullName, type: ref.type }, permissions: [...plain].sort() });
      const onlyConditional = [...conditional].filter((p) => !plain.has(p)).sort();
      if (onlyConditional.length > 0) items.push({ dataObject: { fullName: ref.fullName, type: ref.type }, permissions: onlyConditional, conditional: true });
    }
    return items;
  }
}

/** Does data object `outer` hold `inner` (itself, or something beneath it)? Full names nest: account, `account:region:bucket`, then `/path`. */
export function holds(outer: DataObjectRef, inner: DataObjectRef): boolean {
  if (outer.fullName === inner.fullName) return true;
  if (outer.type === 'datasource') return inner.fullName.startsWith(`${outer.fullName}:`);
  if (outer.type === 'file') return false;
  return inner.fullName.startsWith(`${outer.fullName}/`);
}

/** Reasons in the order they were found, each once. */
export class ReasonList {
  private readonly list = new Map<string, boolean>();

  add(reason: Reason): void {
    this.list.set(reason.message, (this.list.get(reason.message) ?? false) || reason.incomplete);
  }

  addAll(reasons: Iterable<Reason>): void {
    for (const r of reasons) this.add(r);
  }

  get incomplete(): boolean {
    return [...this.list.values()].some(Boolean);
  }

  messages(): string[] {
    return [...this.list.keys()];
  }

  entries(): Reason[] {
    return [...this.list.entries()].map(([message, incomplete]) => ({ message, incomplete }));
  }
}

/** The grant side and the deny side of everything evaluated for one AWS entity. */
export class AccessDraft {
  grant = new WhatBuilder();
  readonly deny = new WhatBuilder();
  readonly grantReasons = new ReasonList();
  readonly denyReasons = new ReasonList();
  otherServiceActions = 0;
  /** Deny statements seen (a deny provider is written when there is at least one that touches S3). */
  denyStatementsOnS3 = 0;

  addOutcome(outcome: StatementOutcome): void {
    this.otherServiceActions += outcome.otherServiceActions;
    const what = outcome.effect === 'Allow' ? this.grant : this.deny;
    const reasons = outcome.effect === 'Allow' ? this.grantReasons : this.denyReasons;
    for (const g of outcome.grants) what.add(g.dataObject, g.permissions, g.conditional);
    reasons.addAll(outcome.reasons);
    if (outcome.effect === 'Deny' && (outcome.grants.length > 0 || outcome.reasons.length > 0)) this.denyStatementsOnS3++;
  }

  /**
   * Limits the grant to what a permission boundary (evaluated into its own draft) allows, as AWS
   * does for identity policies: the grant becomes the intersection, the boundary's denies join the
   * deny side, and the boundary's reasons are kept, named after it.
   */
  limitBy(boundary: AccessDraft, label: string): void {
    this.grant = this.grant.intersect(boundary.grant);
    this.deny.addAll(boundary.deny);
    this.denyStatementsOnS3 += boundary.denyStatementsOnS3;
    for (const r of boundary.grantReasons.entries()) this.grantReasons.add({ message: `${label}: ${r.message}`, incomplete: r.incomplete });
    for (const r of boundary.denyReasons.entries()) this.denyReasons.add({ message: `${label}: ${r.message}`, incomplete: r.incomplete });
  }
}

function typeSets(ctx: EvaluationContext): Map<DataObjectType, Set<string>> {
  const cached = typeSetCache.get(ctx.actions);
  if (cached) return cached;
  const sets = new Map<DataObjectType, Set<string>>();
  for (const type of ['datasource', 'bucket', 'folder', 'file'] as const) sets.set(type, new Set(ctx.actions.s3.forType(type).map((p) => p.action)));
  typeSetCache.set(ctx.actions, sets);
  return sets;
}
const typeSetCache = new WeakMap<ActionCatalogue, Map<DataObjectType, Set<string>>>();

function conditionReasons(statement: PolicyStatement, prefix: string, conditional: readonly S3Permission[], placed: Resolution, presentKeys: ReadonlySet<string>): Reason[] {
  const reasons: Reason[] = [];
  for (const c of statement.conditions) {
    if (!presentKeys.has(c.key)) continue;
    reasons.push({ message: `${prefix} has condition ${c.operator} ${c.key}; its permissions are marked conditional`, incomplete: true });
    // A prefix condition narrows ListBucket to a folder, which is not a permission a folder carries.
    if (c.key.toLowerCase() === 's3:prefix' && conditional.some((p) => p.action === 's3:ListBucket')) {
      const buckets = placed.placements.filter((p) => p.dataObject.type === 'bucket' && p.scope === 'bucket').map((p) => p.dataObject.fullName);
      if (buckets.length > 0) {
        reasons.push({
          message: `${prefix} limits s3:ListBucket to prefix ${c.values.join(', ')} (${c.operator} s3:prefix); it is shown on the bucket ${[...new Set(buckets)].join(', ')}`,
          incomplete: true,
        });
      }
    }
  }
  return reasons;
}

const SHOWN_ACTIONS = 3;

function actionList(permissions: readonly S3Permission[]): string {
  const names = permissions.map((p) => p.action);
  return names.length > SHOWN_ACTIONS ? `${names.slice(0, SHOWN_ACTIONS).join(', ')} and ${names.length - SHOWN_ACTIONS} more` : names.join(', ');
}

/**
 * Splits a statement's S3 actions by its conditions: a condition on a key that an action's request
 * never carries is decided as AWS decides an absent key; the rest stay conditional.
 */
function splitByConditions(statement: PolicyStatement, prefix: string, permissions: readonly S3Permission[], reasons: Reason[]): { plain: S3Permission[]; conditional: S3Permission[]; presentKeys: Set<string> } {
  const plain: S3Permission[] = [];
  const conditional: S3Permission[] = [];
  const presentKeys = new Set<string>();
  if (statement.conditions.length === 0) return { plain: [...permissions], conditional, presentKeys };
  const never = new Map<string, S3Permission[]>();
  for (const permission of permissions) {
    const verdict = conditionVerdict(statement.conditions, permission);
    if (verdict.kind === 'always') plain.push(permission);
    else if (verdict.kind === 'conditional') {
      conditional.push(permission);
      for (const k of verdict.keys) presentKeys.add(k);
    } else {
      const clause = `${verdict.clause.operator} ${verdict.clause.key}`;
      never.set(clause, [...(never.get(clause) ?? []), permission]);
    }
  }
  for (const [clause, list] of never) {
    reasons.push({ message: `${prefix} has condition ${clause}, a key the request of ${actionList(list)} never carries: it is false there, so the statement does not apply to ${list.length === 1 ? 'it' : 'them'}`, incomplete: false });
  }
  return { plain, conditional, presentKeys };
}

/**
 * One statement, read as AWS reads it: its actions (or every action but its NotAction) on its
 * resources (or every resource but its NotResource), mapped to data objects. Only S3 actions map;
 * the permissions on a data object are limited to those its type carries. Conditions are decided
 * per action where the key can never be in the request; otherwise the permission is conditional.
 */
export function evaluateStatement(statement: PolicyStatement, ctx: EvaluationContext, label?: string): StatementOutcome {
  const prefix = label ? `${label} ${statementLabel(statement)}` : statementLabel(statement);
  const verb = statement.effect === 'Allow' ? 'allows' : 'denies';
  const actions = statement.actions ? ctx.actions.expand(statement.actions) : ctx.actions.expandNot(statement.notActions ?? []);
  const outcome: StatementOutcome = { effect: statement.effect, grants: [], conditional: false, reasons: [], otherServiceActions: actions.otherServices };
  for (const unknown of actions.unknown) {
    const message = statement.actions
      ? `${prefix} names ${unknown}, which matches no known action; it ${verb} nothing`
      : `${prefix} NotAction names ${unknown}, which matches no known action; it excludes nothing`;
    outcome.reasons.push({ message, incomplete: false });
  }
  if (actions.s3.length === 0) return outcome;
  const { plain, conditional, presentKeys } = splitByConditions(statement, prefix, actions.s3, outcome.reasons);
  outcome.conditional = conditional.length > 0;
  if (plain.length === 0 && conditional.length === 0) return outcome;

  let resolution: Resolution;
  if (statement.resources) {
    const parts = statement.resources.map((r) => ctx.s3.resolve(r));
    resolution = { placements: parts.flatMap((p) => p.placements), notes: parts.flatMap((p) => p.notes) };
  } else if (statement.notResources) {
    resolution = ctx.s3.resolveNot(statement.notResources);
  } else {
    outcome.reasons.push({ message: `${prefix} has no Resource; it ${verb} nothing`, incomplete: false });
    return outcome;
  }
  for (const note of resolution.notes) outcome.reasons.push({ message: `${prefix}: ${note.message}`, incomplete: note.incomplete });

  const carried = typeSets(ctx);
  for (const placement of resolution.placements) {
    const allowedForType = carried.get(placement.dataObject.type);
    const fits = (p: S3Permission): boolean => appliesTo(p, placement.scope, placement.resourceTypes) && (allowedForType?.has(p.action) ?? false);
    const plainHere = plain.filter(fits).map((p) => p.action);
    const conditionalHere = conditional.filter(fits).map((p) => p.action);
    if (plainHere.length > 0) outcome.grants.push({ dataObject: placement.dataObject, permissions: plainHere, conditional: false });
    if (conditionalHere.length > 0) outcome.grants.push({ dataObject: placement.dataObject, permissions: conditionalHere, conditional: true });
  }
  if (outcome.grants.length === 0 && resolution.notes.length === 0) {
    outcome.reasons.push({ message: `${prefix} ${verb} S3 actions that apply to none of its resources (${statement.resources?.join(', ') ?? 'NotResource'})`, incomplete: false });
  }
  outcome.reasons.push(...conditionReasons(statement, prefix, conditional, resolution, presentKeys));
  return outcome;
}

/** Every statement of an identity policy into the draft (Allow to the grant side, Deny to the deny side). */
export function evaluatePolicy(document: PolicyDocument, ctx: EvaluationContext, draft: AccessDraft, label?: string): void {
  for (const statement of document.statements) draft.addOutcome(evaluateStatement(statement, ctx, label));
}
