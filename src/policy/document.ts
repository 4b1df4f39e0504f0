import { ConnectorError } from '../errors.js';

/** A policy document that cannot be read; the message says where and why. */
export class PolicyDocumentError extends ConnectorError {
  constructor(message: string, cause?: unknown) {
    super('aws', message, { cause, hint: 'AWS stored a policy document the connector cannot read; the access provider that holds it is marked incomplete.' });
    this.name = 'PolicyDocumentError';
  }
}

/** Principal types as IAM writes them in a `Principal` map. */
export type PrincipalType = 'AWS' | 'Service' | 'Federated' | 'CanonicalUser';

/** `Principal: "*"` or a map from principal type to values. */
export type Principals = { all: true } | { all: false; byType: Partial<Record<PrincipalType, string[]>> };

export interface ConditionClause {
  /** As written, e.g. `StringEquals`, `ForAnyValue:StringLike`, `BoolIfExists`. */
  operator: string;
  key: string;
  values: string[];
}

export type Effect = 'Allow' | 'Deny';

/** One statement, every list-or-string element normalised to a list. */
export interface PolicyStatement {
  /** 1-based position in the document, as people count statements. */
  index: number;
  sid?: string;
  effect: Effect;
  /** Exactly one of `actions` and `notActions` is set. */
  actions?: string[];
  notActions?: string[];
  /** Identity and resource policies set one of these; trust policies set neither. */
  resources?: string[];
  notResources?: string[];
  principal?: Principals;
  notPrincipal?: Principals;
  conditions: ConditionClause[];
}

export interface PolicyDocument {
  version?: string;
  statements: PolicyStatement[];
}

const principalTypes: readonly PrincipalType[] = ['AWS', 'Service', 'Federated', 'CanonicalUser'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value in an error message; never throws (cyclic or BigInt input included). */
function show(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return typeof value;
  }
}

function where(index: number): string {
  return `statement ${index}`;
}

function stringList(value: unknown, element: string, index: number): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw new PolicyDocumentError(`${where(index)}: ${element} is an empty list`);
  return list.map((item) => {
    if (typeof item !== 'string' || item.length === 0) throw new PolicyDocumentError(`${where(index)}: ${element} must hold non-empty strings, found ${show(item)}`);
    return item;
  });
}

function principals(value: unknown, element: string, index: number): Principals {
  if (value === '*') return { all: true };
  if (!isRecord(value)) throw new PolicyDocumentError(`${where(index)}: ${element} must be "*" or a map of principal types`);
  const byType: Partial<Record<PrincipalType, string[]>> = {};
  for (const [type, values] of Object.entries(value)) {
    const known = principalTypes.find((t) => t.toLowerCase() === type.toLowerCase());
    if (!known) throw new PolicyDocumentError(`${where(index)}: ${element} has unknown principal type "${type}" (expected ${principalTypes.join(', ')})`);
    byType[known] = [...(byType[known] ?? []), ...stringList(values, `${element}.${type}`, index)];
  }
  // `{"AWS": "*"}` is the same as `"*"` for who can act.
  if (byType.AWS?.includes('*')) return { all: true };
  return { all: false, byType };
}

function conditions(value: unknown, index: number): ConditionClause[] {
  if (value === undefined) return [];
  if (!isRecord(value)) throw new PolicyDocumentError(`${where(index)}: Condition must be a map of operators`);
  const clauses: ConditionClause[] = [];
  for (const [operator, block] of Object.entries(value)) {
    if (!isRecord(block)) throw new PolicyDocumentError(`${where(index)}: Condition ${operator} must be a map of condition keys`);
    for (const [key, raw] of Object.entries(block)) {
      const list = Array.isArray(raw) ? raw : [raw];
      const values = list.map((v) => {
        if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
        throw new PolicyDocumentError(`${where(index)}: Condition ${operator} ${key} must hold strings, numbers or booleans`);
      });
      clauses.push({ operator, key, values });
    }
  }
  return clauses;
}

function oneOf(statement: Record<string, unknown>, a: string, b: string, index: number, required: boolean): 'a' | 'b' | undefined {
  const hasA = statement[a] !== undefined;
  const hasB = statement[b] !== undefined;
  if (hasA && hasB) throw new PolicyDocumentError(`${where(index)}: has both ${a} and ${b}`);
  if (required && !hasA && !hasB) throw new PolicyDocumentError(`${where(index)}: has neither ${a} nor ${b}`);
  return hasA ? 'a' : hasB ? 'b' : undefined;
}

function statementOf(raw: unknown, index: number): PolicyStatement {
  if (!isRecord(raw)) throw new PolicyDocumentError(`${where(index)}: must be an object`);
  const effect = typeof raw.Effect === 'string' ? raw.Effect.toLowerCase() : undefined;
  if (effect !== 'allow' && effect !== 'deny') throw new PolicyDocumentError(`${where(index)}: Effect must be Allow or Deny, found ${raw.Effect === undefined ? 'nothing' : show(raw.Effect)}`);
  if (raw.Sid !== undefined && typeof raw.Sid !== 'string') throw new PolicyDocumentError(`${where(index)}: Sid must be a string`);

  const statement: PolicyStatement = { index, effect: effect === 'allow' ? 'Allow' : 'Deny', conditions: conditions(raw.Condition, index) };
  if (typeof raw.Sid === 'string' && raw.Sid.length > 0) statement.sid = raw.Sid;

  const action = oneOf(raw, 'Action', 'NotAction', index, true);
  if (action === 'a') statement.actions = stringList(raw.Action, 'Action', index);
  else statement.notActions = stringList(raw.NotAction, 'NotAction', index);

  const resource = oneOf(raw, 'Resource', 'NotResource', index, false);
  if (resource === 'a') statement.resources = stringList(raw.Resource, 'Resource', index);
  if (resource === 'b') statement.notResources = stringList(raw.NotResource, 'NotResource', index);

  const principal = oneOf(raw, 'Principal', 'NotPrincipal', index, false);
  if (principal === 'a') statement.principal = principals(raw.Principal, 'Principal', index);
  if (principal === 'b') statement.notPrincipal = principals(raw.NotPrincipal, 'NotPrincipal', index);
  return statement;
}

/** AWS returns documents URL-encoded (RFC 3986); hand-written ones are plain JSON. */
function decode(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return trimmed;
  try {
    return decodeURIComponent(trimmed).trim();
  } catch (err) {
    throw new PolicyDocumentError('policy document is neither JSON nor URL-encoded JSON', err);
  }
}

/**
 * Reads a policy document as AWS stores it: JSON or URL-encoded JSON, `Statement` as one object
 * or a list, every element that may be a string or a list normalised to a list.
 * Throws only PolicyDocumentError.
 */
export function parsePolicyDocument(input: string | object): PolicyDocument {
  let raw: unknown = input;
  if (typeof input === 'string') {
    const text = decode(input);
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new PolicyDocumentError(`policy document is not valid JSON (${(err as Error).message})`, err);
    }
  }
  if (!isRecord(raw)) throw new PolicyDocumentError('policy document must be a JSON object');
  if (raw.Version !== undefined && typeof raw.Version !== 'string') throw new PolicyDocumentError('policy document Version must be a string');
  if (raw.Statement === undefined) throw new PolicyDocumentError('policy document has no Statement');
  const list = Array.isArray(raw.Statement) ? raw.Statement : [raw.Statement];
  return { version: raw.Version as string | undefined, statements: list.map((s, i) => statementOf(s, i + 1)) };
}

/** `statement 2 (Sid DenyHr)`: how reasons name a statement. */
export function statementLabel(statement: PolicyStatement): string {
  return statement.sid ? `statement ${statement.index} (${statement.sid})` : `statement ${statement.index}`;
}
