/**
 * JSON text for one record, the same text JSON.stringify gives, made faster for the flat records
 * that dominate big syncs (a million data objects are mostly five short strings each).
 *
 * Node 20's JSON.stringify spends most of its time checking each string for characters to
 * escape; a single regular expression test does that check faster, and a string equal to the one
 * just written (a file's fullName repeats its externalId) is not checked twice. Anything that is
 * not a plain string (numbers, arrays, nested objects, strings that need escaping) goes to
 * JSON.stringify itself, so the output is always what JSON.stringify would write.
 */

/** Characters JSON.stringify escapes: `"`, `\`, control characters, and surrogates (a lone one is written as \uXXXX). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be found
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** Records have few distinct property names; more than this many are quoted each time rather than remembered. */
const MAX_REMEMBERED_KEYS = 256;

export class JsonLineWriter {
  private lastRaw = '';
  private lastQuoted = '""';
  private readonly keys = new Map<string, string>();

  /** The JSON text of `value` (JSON.stringify(value)); a plain object takes the fast path. */
  stringify(value: unknown): string {
    if (!isPlainObject(value)) return JSON.stringify(value);
    let text = '{';
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      const json = this.field(key, value[key]);
      // JSON.stringify leaves out properties whose value has no JSON form (undefined, functions, symbols).
      if (json === undefined) continue;
      text += `${text.length > 1 ? ',' : ''}${this.key(key)}:${json}`;
    }
    return `${text}}`;
  }

  private field(key: string, field: unknown): string | undefined {
    if (typeof field === 'string') return this.quote(field);
    if (typeof field === 'object' && field !== null && typeof (field as { toJSON?: unknown }).toJSON === 'function') {
      // toJSON receives the property name: let JSON.stringify call it exactly as it would.
      const wrapped = JSON.stringify({ [key]: field });
      return wrapped.length > 2 ? wrapped.slice(this.key(key).length + 2, -1) : undefined;
    }
    return JSON.stringify(field) as string | undefined;
  }

  private key(key: string): string {
    let quoted = this.keys.get(key);
    if (quoted === undefined) {
      quoted = JSON.stringify(key);
      if (this.keys.size < MAX_REMEMBERED_KEYS) this.keys.set(key, quoted);
    }
    return quoted;
  }

  private quote(s: string): string {
    if (s === this.lastRaw) return this.lastQuoted;
    const quoted = NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
    this.lastRaw = s;
    this.lastQuoted = quoted;
    return quoted;
  }
}

/** An object JSON.stringify would write as its own enumerable properties: no toJSON, no class instance. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return (proto === Object.prototype || proto === null) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}
