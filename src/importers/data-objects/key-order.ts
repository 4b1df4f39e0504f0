/**
 * S3 lists keys in UTF-8 byte order. JavaScript compares strings by UTF-16 code unit, which
 * differs only where a surrogate pair (a code point above U+FFFF) meets a unit of U+E000–U+FFFF.
 * Boundaries between parallel listings are compared the way S3 orders them.
 */
function codePointOrderUnit(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800) return unit + 0x2000;
  return unit;
}

/** Orders two keys as S3 lists them: negative when `a` comes first. */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointOrderUnit(x) - codePointOrderUnit(y);
  }
  return a.length - b.length;
}

/** The highest code point: `prefix + KEY_MAX` sorts after every key that starts with `prefix`. */
export const KEY_MAX = '\u{10FFFF}';
