/**
 * JSON text for one record, the same text JSON.stringify gives, made faster for the flat records
 * that dominate big syncs (a million data objects are mostly five short strings each).
 *
 * Node 20's JSON.stringify spends most of its time checking each string for characters to
 * escape; a single regular expression test does that check faster, and a string written just
 * before is not checked again (a file's fullName repeats its externalId; its type and parent
 * repeat the previous record's). Anything that is not a plain string (numbers, arrays, nested
 * objects, strings that need escaping) goes to JSON.stringify itself, so the output is always
 * what JSON.stringify would write.
 */

/** Characters JSON.stringify escapes: `"`, `\`, control characters, and surrogates (a lone one is written as \uXXXX). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be found
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** Records have few distinct property names; past this many, a new name is quoted each time rather than remembered. */
const MAX_REMEMBERED_KEYS = 256;

/** A property name, quoted, with the last string written under it. */
interface Slot {
  key: string;
  raw: string;
  quoted: string;
}

export class JsonLineWriter {
  private readonly slots = new Map<string, Slot>();
  // The last two strings quoted, whatever their property: a file's fullName repeats its externalId two fields back.
  private raw0 = '';
  private quoted0 = '""';
  private raw1 = '';
  private quoted1 = '""';

  /** The JSON text of `value` (JSON.stringify(value)); a plain object takes the fast path. */
  stringify(value: unknown): string {
    if (!isPlainObject(value)) return JSON.stringify(value);
    let text = '{';
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      const slot = this.slot(key);
      const json = this.field(slot, key, value[key]);
      // JSON.stringify leaves out properties whose value has no JSON form (undefined, functions, symbols).
      if (json === undefined) continue;
      text += `${text.length > 1 ? ',' : ''}${slot.key}:${json}`;
    }
    return `${text}}`;
  }

  private field(slot: Slot, key: string, field: unknown): string | undefined {
    if (typeof field === 'string') {
      // Consecutive records often repeat a value under the same name (type, parentExternalId).
      if (field !== slot.raw) {
        slot.raw = field;
        slot.quoted = this.quote(field);
      }
      return slot.quoted;
    }
    if (typeof field === 'object' && field !== null && typeof (field as { toJSON?: unknown }).toJSON === 'function') {
      // toJSON receives the property name: let JSON.stringify call it exactly as it would.
      const wrapped = JSON.stringify({ [key]: field });
      return wrapped.length > 2 ? wrapped.slice(slot.key.length + 2, -1) : undefined;
    }
    return JSON.stringify(field) as string | undefined;
  }

  private slot(key: string): Slot {
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = { key: JSON.stringify(key), raw: '', quoted: '""' };
      if (this.slots.size < MAX_REMEMBERED_KEYS) this.slots.set(key, slot);
    }
    return slot;
  }

  private quote(s: string): string {
    if (s === this.raw0) return this.quoted0;
    if (s === this.raw1) return this.quoted1;
    const quoted = NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
    this.raw1 = this.raw0;
    this.quoted1 = this.quoted0;
    this.raw0 = s;
    this.quoted0 = quoted;
    return quoted;
  }
}

/** An object JSON.stringify would write as its own enumerable properties: no toJSON, no class instance. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return (proto === Object.prototype || proto === null) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}
