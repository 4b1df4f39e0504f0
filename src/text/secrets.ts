/**
 * Masks secret values in text that leaves the process (logs, errors, summaries).
 *
 * A secret is masked where it stands as a whole value: not inside a longer word (an api-secret
 * "s" must not mangle every message), but wherever a URL, a header or a body puts it between
 * delimiters (`:pw@`, `Bearer tok`, `"secret":"..."`, `client_secret=...`). The URL-encoded form
 * is masked too, as query strings and form bodies carry it that way.
 */

/** Shorter values are not secrets worth hiding (and would match by accident). */
export const MIN_SECRET_LENGTH = 6;

export const MASK = '[redacted]';

/** Characters that continue a word: a secret directly next to one of these is part of something else. */
const WORD = 'A-Za-z0-9_';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class SecretMasker {
  private pattern?: RegExp;
  private readonly values = new Set<string>();

  constructor(values: Iterable<string | undefined> = []) {
    for (const value of values) this.add(value);
  }

  /** Adds a value to mask (tokens learnt during the run); short or empty values are ignored. */
  add(value: string | undefined): void {
    if (value === undefined || value.length < MIN_SECRET_LENGTH || this.values.has(value)) return;
    this.values.add(value);
    const forms = new Set<string>();
    for (const v of this.values) {
      forms.add(v);
      forms.add(encodeURIComponent(v));
    }
    // Longest first, so a secret that contains another is masked whole.
    const alternatives = [...forms].sort((a, b) => b.length - a.length).map(escapeRegExp);
    this.pattern = new RegExp(`(?<![${WORD}])(?:${alternatives.join('|')})(?![${WORD}])`, 'g');
  }

  get size(): number {
    return this.values.size;
  }

  mask(text: string): string {
    if (!this.pattern) return text;
    return text.replace(this.pattern, MASK);
  }
}
