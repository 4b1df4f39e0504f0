import { conditionVerdict } from './conditions.js';
import { statementLabel, type PolicyDocument, type PolicyStatement, type Principals } from './document.js';
import { Glob } from './glob.js';
import { ArnPattern } from './resources.js';
import type { S3Permission } from './s3-permissions.js';

/**
 * One request evaluated as AWS evaluates it for a principal of the same account: an explicit
 * deny in any policy wins; otherwise an identity policy allows it within the permission boundary,
 * or a resource policy (bucket, access point) allows it. SCPs, RCPs and session policies are not
 * read. Conditions on keys the request may carry cannot be decided here: they make the answer
 * depend on them, naming the keys.
 */

export type PolicyKind = 'identity' | 'boundary' | 'bucket' | 'access-point';

/** A policy the request is evaluated against, with how to name it. */
export interface RequestPolicy {
  kind: PolicyKind;
  /** How the answer names it: `managed policy SalesRead (arn:...)`, `bucket policy of acme-sales`. */
  name: string;
  document: PolicyDocument;
  /** The ARN the request's resource has for this policy (an access point request reaches the bucket policy as the bucket's object ARN). */
  resource?: string;
}

export interface RequestPrincipal {
  /** `arn:aws:iam::<account>:user/alice` or `arn:aws:iam::<account>:role/EtlRole`. */
  arn: string;
  type: 'user' | 'role';
  name: string;
  accountId: string;
}

export interface ExplainRequest {
  principal: RequestPrincipal;
  /** The catalogue entry of the S3 action. */
  action: S3Permission;
  resource: string;
  policies: readonly RequestPolicy[];
  /** The principal has a permission boundary (its policy among `policies`, kind `boundary`). */
  hasBoundary: boolean;
}

export type Decision = 'allowed' | 'denied' | 'not-allowed' | 'conditional';

export interface DecidingStatement {
  effect: 'Allow' | 'Deny';
  kind: PolicyKind;
  policy: string;
  index: number;
  sid?: string;
  /** Condition keys the statement depends on (empty when it applies as written). */
  conditionKeys: string[];
}

export interface ExplainAnswer {
  decision: Decision;
  /** The statements that decided it: the denies, or the allows on each path that holds. */
  statements: DecidingStatement[];
  /** Condition keys the answer depends on (decision `conditional`). */
  conditionKeys: string[];
  /** Sentences that explain the decision. */
  notes: string[];
}

/** no < maybe < yes: `maybe` is "when its conditions are met". */
type Tri = 0 | 1 | 2;
const NO: Tri = 0;
const MAYBE: Tri = 1;
const YES: Tri = 2;
const or = (...values: Tri[]): Tri => Math.max(NO, ...values) as Tri;
const and = (...values: Tri[]): Tri => Math.min(YES, ...values) as Tri;
const not = (value: Tri): Tri => (2 - value) as Tri;

interface Match {
  statement: PolicyStatement;
  policy: RequestPolicy;
  value: Tri;
  keys: string[];
  /** For resource policies: how the principal was named (`direct`: its own ARN; `bounded`: a role ARN or `*`; `account`: the account, which delegates to identity policies). */
  via?: 'direct' | 'bounded' | 'account';
}

function globsMatch(patterns: readonly string[], value: string): boolean {
  return patterns.some((p) => new Glob(p, { caseInsensitive: true }).matches(value));
}

function actionMatches(statement: PolicyStatement, action: string): boolean {
  if (statement.actions) return globsMatch(statement.actions, action);
  return !globsMatch(statement.notActions ?? [], action);
}

function resourceMatches(statement: PolicyStatement, resource: string): boolean {
  if (statement.resources) return statement.resources.some((r) => new ArnPattern(r).matches(resource));
  if (statement.notResources) return !statement.notResources.some((r) => new ArnPattern(r).matches(resource));
  return false;
}

/** How a `Principal` element names the principal of the request, if it does. */
function principalVia(principals: Principals, principal: RequestPrincipal): Match['via'] | undefined {
  if (principals.all) return 'bounded';
  let via: Match['via'] | undefined;
  for (const value of principals.byType.AWS ?? []) {
    const parts = value.split(':');
    const resource = parts.slice(5).join(':');
    const sameAccount = parts[4] === principal.accountId;
    if (principal.type === 'user' && value === principal.arn) return 'direct';
    if (principal.type === 'role' && sameAccount && parts[2] === 'sts' && resource.startsWith(`assumed-role/${principal.name}/`)) return 'direct';
    if (principal.type === 'role' && sameAccount && parts[2] === 'iam' && resource.startsWith('role/') && resource.slice(resource.lastIndexOf('/') + 1) === principal.name) via = 'bounded';
    if (value === principal.accountId || value === `arn:aws:iam::${principal.accountId}:root`) via ??= 'account';
  }
  return via;
}

function label(match: Match): DecidingStatement {
  return {
    effect: match.statement.effect,
    kind: match.policy.kind,
    policy: match.policy.name,
    index: match.statement.index,
    ...(match.statement.sid ? { sid: match.statement.sid } : {}),
    conditionKeys: match.value === MAYBE ? match.keys : [],
  };
}

/** Every statement of the request's policies that applies to it (always, or when its conditions hold). */
function matches(request: ExplainRequest): Match[] {
  const found: Match[] = [];
  for (const policy of request.policies) {
    const resource = policy.resource ?? request.resource;
    for (const statement of policy.document.statements) {
      if (!actionMatches(statement, request.action.action) || !resourceMatches(statement, resource)) continue;
      let via: Match['via'];
      if (policy.kind === 'bucket' || policy.kind === 'access-point') {
        if (statement.notPrincipal) {
          // NotPrincipal: everyone but those listed.
          if (principalVia(statement.notPrincipal, request.principal)) continue;
          via = 'bounded';
        } else if (statement.principal) {
          via = principalVia(statement.principal, request.principal);
          if (!via) continue;
        } else continue;
      }
      const verdict = conditionVerdict(statement.conditions, request.action);
      if (verdict.kind === 'never') continue;
      found.push({ statement, policy, value: verdict.kind === 'always' ? YES : MAYBE, keys: verdict.kind === 'conditional' ? verdict.keys : [], via });
    }
  }
  return found;
}

export function explainRequest(request: ExplainRequest): ExplainAnswer {
  const all = matches(request);
  const notes: string[] = [];
  const allows = (kinds: PolicyKind[], via?: Match['via'][]): Match[] =>
    all.filter((m) => m.statement.effect === 'Allow' && kinds.includes(m.policy.kind) && (via === undefined || via.includes(m.via)));
  const best = (list: Match[]): Tri => or(...list.map((m) => m.value));

  const denies = all.filter((m) => m.statement.effect === 'Deny' && (m.policy.kind !== 'bucket' && m.policy.kind !== 'access-point' ? true : m.via !== undefined));
  const deny = best(denies);
  if (deny === YES) {
    return { decision: 'denied', statements: denies.filter((m) => m.value === YES).map(label), conditionKeys: [], notes: ['an explicit deny overrides every allow'] };
  }

  const identity = allows(['identity']);
  const boundary = allows(['boundary']);
  const resourceDirect = allows(['bucket', 'access-point'], ['direct']);
  const resourceBounded = allows(['bucket', 'access-point'], ['bounded']);
  const resourceAccount = allows(['bucket', 'access-point'], ['account']);
  const bound: Tri = request.hasBoundary ? best(boundary) : YES;
  const identityPath = and(best(identity), bound);
  const boundedPath = and(best(resourceBounded), bound);
  const directPath = best(resourceDirect);
  const allow = or(identityPath, boundedPath, directPath);
  if (resourceAccount.length > 0) notes.push('a resource policy names the whole account: that only lets identity policies of the account decide');
  if (request.hasBoundary && best(identity) > NO && bound === NO) notes.push('identity policies allow it, but the permission boundary does not');

  const final = and(allow, not(deny));
  if (allow === NO) {
    notes.push('no policy allows it: AWS denies by default (implicit deny)');
    return { decision: 'not-allowed', statements: [], conditionKeys: [], notes };
  }
  const deciding: Match[] = [];
  // Only the paths that reach the answer's level: a plain allow is not explained by conditional ones beside it.
  const take = (path: Tri, list: Match[]): void => {
    if (path === NO || path < allow) return;
    deciding.push(...list.filter((m) => m.value >= path));
  };
  take(identityPath, identity);
  if (request.hasBoundary && (identityPath === allow || boundedPath === allow)) deciding.push(...boundary.filter((m) => m.value >= bound));
  take(boundedPath, resourceBounded);
  take(directPath, resourceDirect);
  if (final === YES) return { decision: 'allowed', statements: deciding.map(label), conditionKeys: [], notes };
  // Allowed when conditions hold, or unless a conditional deny applies.
  const conditionalDenies = denies.filter((m) => m.value === MAYBE);
  const statements = [...deciding, ...conditionalDenies];
  const keys = [...new Set(statements.flatMap((m) => (m.value === MAYBE ? m.keys : [])))];
  if (conditionalDenies.length > 0) notes.push('a deny applies when its conditions hold');
  return { decision: 'conditional', statements: statements.map(label), conditionKeys: keys, notes };
}

/** `statement 2 (Sid ReadSales)`-style label of a deciding statement. */
export function decidingLabel(s: DecidingStatement): string {
  return `${s.policy} ${statementLabel({ index: s.index, sid: s.sid } as PolicyStatement)}`;
}
