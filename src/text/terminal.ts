/**
 * Text from servers (sync API errors, AWS messages) and from raito.yml (target names) reaches the
 * terminal. Control characters in it could move the cursor, clear the screen or forge a line, so
 * everything printed goes through this: control characters become visible escapes (`\x1b`, `\n`).
 */

// eslint-disable-next-line no-control-regex -- control characters are exactly what must be found
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;
// eslint-disable-next-line no-control-regex -- as above, newlines and tabs included
const CONTROL_OR_NEWLINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

function visible(char: string): string {
  const code = char.charCodeAt(0);
  if (char === '\n') return '\\n';
  if (char === '\r') return '\\r';
  if (char === '\t') return '\\t';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One line of output: no control character at all (a value must not start a new line either). */
export function escapeLine(text: string): string {
  return text.replace(CONTROL_OR_NEWLINE, visible);
}

/** A block of output we format ourselves: our own newlines and tabs stay, every other control character is escaped. */
export function escapeBlock(text: string): string {
  return text.replace(CONTROL, visible);
}
