import type { ParameterProblem, ParameterSpec, Parameters } from './contract.js';

/** Splits a comma list as raito.yml files write it ("a, b,c"), dropping empty entries. */
export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
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
      return { value: splitList(text) };
    case 'regex-list': {
      const regexes: RegExp[] = [];
      for (const source of splitList(text)) {
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

/** A boolean parameter as coerced (true only when it is true). */
export function flag(params: Parameters, name: string): boolean {
  return params[name] === true;
}

/** A regex-list parameter as coerced (RegExp[]); anything else reads as an empty list. */
export function regexList(params: Parameters, name: string): RegExp[] {
  const value = params[name];
  return Array.isArray(value) ? value.filter((v): v is RegExp => v instanceof RegExp) : [];
}
