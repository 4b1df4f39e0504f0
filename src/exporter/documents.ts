import { parsePolicyDocument, PolicyDocumentError, type PolicyDocument, type Principals } from '../policy/index.js';

/**
 * A policy document in one canonical form, so that two documents that mean the same compare equal:
 * URL encoding undone, `Effect` case, single values vs lists, order of statements, actions,
 * resources, principals and condition values, and `Sid` (a label, not a permission) all ignored.
 * Action names compare without case, as IAM does.
 */
export function canonicalDocument(document: string | object): string {
  return JSON.stringify(canonical(parsePolicyDocument(document)));
}

const sortedUnique = (list: readonly string[] | undefined, lower = false): string[] | undefined =>
  list === undefined ? undefined : [...new Set(list.map((v) => (lower ? v.toLowerCase() : v)))].sort();

function principals(p: Principals | undefined): unknown {
  if (!p) return undefined;
  if (p.all) return '*';
  return Object.fromEntries(
    Object.entries(p.byType)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([type, values]) => [type, sortedUnique(values)]),
  );
}

function canonical(document: PolicyDocument): unknown {
  const statements = document.statements.map((s) => ({
    effect: s.effect,
    actions: sortedUnique(s.actions, true),
    notActions: sortedUnique(s.notActions, true),
    resources: sortedUnique(s.resources),
    notResources: sortedUnique(s.notResources),
    principal: principals(s.principal),
    notPrincipal: principals(s.notPrincipal),
    conditions: s.conditions
      .map((c) => ({ operator: c.operator.toLowerCase(), key: c.key.toLowerCase(), values: sortedUnique(c.values) }))
      .sort((a, b) => `${a.operator} ${a.key}`.localeCompare(`${b.operator} ${b.key}`)),
  }));
  const texts = [...new Set(statements.map((s) => JSON.stringify(s)))].sort();
  return { version: document.version ?? null, statements: texts.map((t) => JSON.parse(t) as unknown) };
}

/** Do two documents mean the same? A document that cannot be read never equals one that can. */
export function sameDocument(current: string | object | undefined, wanted: string | object): boolean {
  if (current === undefined) return false;
  try {
    return canonicalDocument(current) === canonicalDocument(wanted);
  } catch (err) {
    if (err instanceof PolicyDocumentError) return false;
    throw err;
  }
}
