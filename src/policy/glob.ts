/**
 * IAM wildcard patterns: `*` matches any run of characters (`/` included), `?` exactly one.
 * Besides plain matching, the S3 mapping needs to reason about *sets* of matches ("does this
 * pattern cover every key under reports/?"), so patterns run as a small NFA over their tokens.
 */

type Token = { kind: 'star' } | { kind: 'one' } | { kind: 'lit'; ch: string };

export interface GlobOptions {
  /** Actions match in any case; resources (ARNs, S3 keys) are case-sensitive. */
  caseInsensitive?: boolean;
  /** Read `${aws:username}`-style policy variables as `*` and `${*}`, `${?}`, `${$}` as the literal character. */
  policyVariables?: boolean;
}

function escapeRegExp(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

export class Glob {
  readonly source: string;
  /** Policy variables found in the pattern (e.g. `aws:username`), each read as `*`. */
  readonly variables: string[] = [];
  private readonly tokens: Token[] = [];
  private readonly caseInsensitive: boolean;
  private regex?: RegExp;
  private uses = 0;

  constructor(source: string, options: GlobOptions = {}) {
    this.source = source;
    this.caseInsensitive = options.caseInsensitive ?? false;
    const text = this.caseInsensitive ? source.toLowerCase() : source;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i] as string;
      if (options.policyVariables && ch === '$' && text[i + 1] === '{') {
        const end = text.indexOf('}', i + 2);
        if (end > i) {
          const name = text.slice(i + 2, end);
          if (name === '*' || name === '?' || name === '$') this.tokens.push({ kind: 'lit', ch: name });
          else {
            this.variables.push(source.slice(i + 2, end));
            this.pushStar();
          }
          i = end;
          continue;
        }
      }
      if (ch === '*') this.pushStar();
      else if (ch === '?') this.tokens.push({ kind: 'one' });
      else this.tokens.push({ kind: 'lit', ch });
    }
  }

  private pushStar(): void {
    // `**` means the same as `*`; one token keeps the NFA small.
    if (this.tokens.at(-1)?.kind !== 'star') this.tokens.push({ kind: 'star' });
  }

  private literal?: boolean;
  private leading?: string;

  /** No `*`, `?` or policy variable: the pattern matches exactly one string. */
  get isLiteral(): boolean {
    this.literal ??= this.tokens.every((t) => t.kind === 'lit');
    return this.literal;
  }

  /** The text before the first `*`, `?` or policy variable: the whole pattern when it is literal. */
  private leadingLiteral(): string {
    if (this.leading === undefined) {
      const end = this.tokens.findIndex((t) => t.kind !== 'lit');
      this.leading = (end < 0 ? this.tokens : this.tokens.slice(0, end)).map((t) => (t as { ch: string }).ch).join('');
    }
    return this.leading;
  }

  /** The pattern is only `*`: it matches every string. */
  get isMatchAll(): boolean {
    return this.tokens.length === 1 && this.tokens[0]?.kind === 'star';
  }

  matches(value: string): boolean {
    // Most ARN segments and many actions are plain text or `*`: no regex needed.
    if (this.isMatchAll) return true;
    if (this.isLiteral) return this.tokens.length === value.length && (this.caseInsensitive ? value.toLowerCase() : value) === this.leadingLiteral();
    // A pattern used once or twice (most resource patterns) is cheaper to run than to compile.
    if (!this.regex && ++this.uses <= 3) return this.runFromStart(value).has(this.tokens.length);
    this.regex ??= new RegExp(
      `^${this.tokens.map((t) => (t.kind === 'star' ? '[\\s\\S]*' : t.kind === 'one' ? '[\\s\\S]' : escapeRegExp(t.ch))).join('')}$`,
    );
    return this.regex.test(this.caseInsensitive ? value.toLowerCase() : value);
  }

  /** Some string that starts with `prefix` matches. */
  matchesSomeStartingWith(prefix: string): boolean {
    return this.runFromStart(prefix).size > 0;
  }

  /** Every string that starts with `prefix` matches (the pattern reads `prefix*` or wider). */
  coversAllStartingWith(prefix: string): boolean {
    for (const state of this.runFromStart(prefix)) if (this.onlyStarsFrom(state)) return true;
    return false;
  }

  /**
   * The characters that every match starting with `prefix` must have right after it: for
   * `reports/2024/*.csv` and prefix `` it is `reports/2024/`. Undefined when nothing matches.
   */
  forcedContinuation(prefix: string): string | undefined {
    // From the start, it is the literal text before the first wildcard (asked once per resource pattern).
    if (prefix === '') return this.leadingLiteral();
    let states = this.runFromStart(prefix);
    if (states.size === 0) return undefined;
    let forced = '';
    for (;;) {
      if (states.has(this.tokens.length)) return forced;
      let next: string | undefined;
      for (const state of states) {
        const token = this.tokens[state] as Token;
        if (token.kind !== 'lit' || (next !== undefined && next !== token.ch)) return forced;
        next = token.ch;
      }
      if (next === undefined) return forced;
      forced += next;
      states = this.step(states, next);
    }
  }

  /** The only string starting with `prefix` that matches, when there is exactly one. */
  singleMatchStartingWith(prefix: string): string | undefined {
    const forced = this.forcedContinuation(prefix);
    if (forced === undefined) return undefined;
    const states = this.runFromStart(prefix + forced);
    return states.size === 1 && states.has(this.tokens.length) ? forced : undefined;
  }

  private onlyStarsFrom(state: number): boolean {
    if (state >= this.tokens.length) return false;
    for (let i = state; i < this.tokens.length; i++) if (this.tokens[i]?.kind !== 'star') return false;
    return true;
  }

  /** A star may match nothing: its state also stands at the next token. */
  private closure(states: Set<number>): Set<number> {
    for (const state of states) if (this.tokens[state]?.kind === 'star') states.add(state + 1);
    return states;
  }

  private step(states: Set<number>, ch: string): Set<number> {
    const next = new Set<number>();
    for (const state of states) {
      const token = this.tokens[state];
      if (!token) continue;
      if (token.kind === 'star') next.add(state);
      else if (token.kind === 'one' || token.ch === ch) next.add(state + 1);
    }
    return this.closure(next);
  }

  /**
   * The states after reading `input` from the start. The literal text before the first wildcard
   * is compared as a whole (most resource patterns start with a bucket and folders), and only the
   * rest runs through the NFA a character at a time.
   */
  private runFromStart(input: string): Set<number> {
    const text = this.caseInsensitive ? input.toLowerCase() : input;
    const leading = this.leadingLiteral();
    const shared = Math.min(leading.length, text.length);
    if (shared === leading.length ? !text.startsWith(leading) : !leading.startsWith(text)) return new Set();
    let current = this.closure(new Set([shared]));
    for (let i = shared; i < text.length && current.size > 0; i++) current = this.step(current, text[i] as string);
    return current;
  }
}
