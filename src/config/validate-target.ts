import { ConfigError, type ConfigIssue } from '../errors.js';
import { coerceParameters } from '../plugin-api/parameters.js';
import type { ConnectorPlugin, Parameters } from '../plugin-api/contract.js';
import { TARGET_KEYS, describeValue, formatPath, type TargetConfig } from './load.js';
import { didYouMean } from './suggest.js';

/** What a plugin parameter may be in raito.yml: one scalar, or a list of scalars (joined as a comma list). */
function isParameterValue(value: unknown): boolean {
  const scalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);
  return scalar(value) || (Array.isArray(value) && value.every(scalar));
}

/**
 * Checks a target's plugin parameters against the plugin: unknown keys (with the nearest known
 * name), values of the wrong type, missing mandatory ones, and the plugin's own cross checks.
 * Issue paths read `targets[<index>].<parameter>`, like those of the loader.
 */
export function validateTargetParameters(target: TargetConfig, plugin: ConnectorPlugin, file: string): Parameters {
  const issues: ConfigIssue[] = [];
  const add = (parameter: string, message: string): void => {
    const line = target.lines[parameter] ?? target.line;
    issues.push({ path: formatPath(['targets', target.index, parameter]), message, file, line });
  };

  const names = plugin.parameters.map((spec) => spec.name);
  const known = new Set(names);
  const candidates = [...names, ...TARGET_KEYS];
  const usable: Record<string, unknown> = {};
  const reported = new Set<string>();
  for (const [key, value] of Object.entries(target.raw)) {
    if (!known.has(key)) {
      add(key, `unknown parameter for connector ${plugin.name}${didYouMean(key, candidates)}`);
      continue;
    }
    // A mapping would reach String() in the coercion; report it here instead.
    if (!isParameterValue(value)) {
      add(key, `expected a value or a list of values, got ${describeValue(value)}`);
      reported.add(key);
      continue;
    }
    usable[key] = value;
  }

  const { params, problems } = coerceParameters(plugin.parameters, usable);
  for (const problem of problems) if (!reported.has(problem.parameter)) add(problem.parameter, problem.message);
  // The plugin's cross checks assume every parameter has its type; run them only then.
  if (problems.length === 0 && reported.size === 0 && plugin.validate) {
    for (const problem of plugin.validate(params)) add(problem.parameter, problem.message);
  }

  if (issues.length > 0) {
    throw new ConfigError(issues, { hint: `Run "connector info ${plugin.name}" to list the parameters of this connector.` });
  }
  return params;
}
