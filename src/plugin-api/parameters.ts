import type { ParameterProblem, ParameterSpec, Parameters, StreamSink } from './contract.js';

/** Splits a comma list as raito.yml files write it ("a, b,c"), dropping empty entries. */
export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * Splits a list of regular expressions at the commas that separate them: a comma inside `{}`,
 * `[]` or `()` (as in `svc-[a-z]{1,10}`) or escaped as `\,` belongs to the expression.
 */
export function splitRegexList(value: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const char = value[i]!;
    if (char === '\\' && i + 1 < value.length) {
      current += char + value[i + 1]!;
      i++;
      continue;
    }
    if (char === '(' || char === '[' || char === '{') depth++;
    else if ((char === ')' || char === ']' || char === '}') && depth > 0) depth--;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
      continue;
    }
    current += char;
  }
  parts.push(current);
  return parts.map((s) => s.trim()).filter((s) => s.length > 0);
}

/** A YAML list gives its items as they are; a text is split at its commas. */
function items(value: unknown, split: (text: string) => string[]): string[] {
  if (Array.isArray(value)) return value.map((v) => String(v).trim()).filter((s) => s.length > 0);
  return split(String(value));
}

function coerce(spec: ParameterSpec, value: unknown): { value?: unknown; problem?: string } {
  const text = Array.isArray(value) ? value.map(String).join(',') : String(value);
  switch (spec.type) {
    case 'string':
      if (typeof value === 'object') return { problem: 'expected a text value' };
      return { value: text };
    case 'boolean':
      if (typeof value === 'boolean') return { value };
      if (/^(true|yes|1)$/i.test(text)) return { value: true };
      if (/^(false|no|0)$/i.test(text)) return { value: false };
      return { problem: `expected true or false, got "${text}"` };
    case 'integer': {
      if (!/^\s*-?\d+\s*$/.test(text)) return { problem: `expected a whole number, got "${text}"` };
      return { value: Number.parseInt(text, 10) };
    }
    case 'list':
      return { value: items(value, splitList) };
    case 'regex-list': {
      const regexes: RegExp[] = [];
      for (const source of items(value, splitRegexList)) {
        try {
          // Whole-name match: the patterns in raito.yml are written as full names ("AWS.+").
          regexes.push(new RegExp(`^(?:${source})$`));
        } catch (err) {
          return { problem: `"${source}" is not a valid regular expression (${(err as Error).message})` };
        }
      }
      return { value: regexes };
    }
  }
}

/**
 * Reads a target's raw parameters against the plugin's specs: coerces values to their type,
 * applies defaults, and reports missing mandatory parameters and values of the wrong type.
 * Unknown keys are not judged here (the config loader does that, with suggestions).
 */
export function coerceParameters(specs: readonly ParameterSpec[], raw: Readonly<Record<string, unknown>>): { params: Parameters; problems: ParameterProblem[] } {
  const params: Record<string, unknown> = {};
  const problems: ParameterProblem[] = [];
  for (const spec of specs) {
    const given = raw[spec.name];
    const missing = given === undefined || given === null || given === '';
    if (missing) {
      if (spec.mandatory) problems.push({ parameter: spec.name, message: 'is mandatory but not set' });
      if (spec.default !== undefined) {
        const result = coerce(spec, spec.default);
        params[spec.name] = result.value;
      } else if (spec.type === 'list' || spec.type === 'regex-list') {
        params[spec.name] = [];
      }
      continue;
    }
    const result = coerce(spec, given);
    if (result.problem) problems.push({ parameter: spec.name, message: result.problem });
    else params[spec.name] = result.value;
  }
  return { params, problems };
}

/** Does any of the regexes (as made for a regex-list) match the whole name? */
export function matchesAny(regexes: readonly RegExp[], name: string): boolean {
  return regexes.some((r) => r.test(name));
}

/** The expression as written in raito.yml, without the whole-name anchors a regex-list adds. */
export function patternText(regex: RegExp): string {
  const match = /^\^\(\?:([\s\S]*)\)\$$/.exec(regex.source);
  return match ? match[1]! : regex.source;
}

/**
 * An include or exclude list whose entries match none of the names of this run is almost always
 * a mistake (a typo, a regex split wrongly): one warning on the stream, naming the parameter and
 * the entries. Importers call this once per list, after reading the names.
 */
export function warnUnmatched(
  sink: Pick<StreamSink<unknown>, 'warn'>,
  parameter: string,
  patterns: readonly RegExp[],
  names: Iterable<string>,
  what: string,
  /** The entries as written, in the order of `patterns`, when they are not regex-list expressions (wildcards). */
  written?: readonly string[],
): void {
  if (patterns.length === 0) return;
  const unmatched = new Set(patterns.keys());
  for (const name of names) {
    for (const i of unmatched) if (patterns[i]!.test(name)) unmatched.delete(i);
    if (unmatched.size === 0) return;
  }
  const list = [...unmatched].map((i) => JSON.stringify(written?.[i] ?? patternText(patterns[i]!))).join(', ');
  sink.warn(`${parameter}: ${list} matched no ${what} of this run; check the expression (it must match the whole name)`);
}

/** A boolean parameter as coerced (true only when it is true). */
export function flag(params: Parameters, name: string): boolean {
  return params[name] === true;
}

/** A regex-list parameter as coerced (RegExp[]); anything else reads as an empty list. */
export function regexList(params: Parameters, name: string): RegExp[] {
  const value = params[name];
  return Array.isArray(value) ? value.filter((v): v is RegExp => v instanceof RegExp) : [];
}
