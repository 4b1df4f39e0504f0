import type { Tag as IamTag } from '@aws-sdk/client-iam';
import type { ParameterProblem, Parameters } from '../../plugin-api/contract.js';

const parameter = 'aws-user-is-machine-tag';

/** `key=value` split at the first `=`; undefined when the text has no key or no `=`. */
function parse(text: string): { key: string; value: string } | undefined {
  const at = text.indexOf('=');
  if (at <= 0) return undefined;
  return { key: text.slice(0, at).trim(), value: text.slice(at + 1).trim() };
}

export function validateMachineTag(params: Parameters): ParameterProblem[] {
  const text = params[parameter];
  if (typeof text !== 'string' || parse(text)) return [];
  return [{ parameter, message: `expected key=value (e.g. machine=true), got "${text}"` }];
}

/**
 * isMachine for a user's tags: true with the tag of `aws-user-is-machine-tag`, false without it,
 * undefined when the parameter is not set (never guessed from names or keys). IAM treats tag
 * keys without regard to case, so the key is matched in any case; the value must be equal.
 */
export function machineFlag(params: Parameters): (tags: readonly IamTag[] | undefined) => boolean | undefined {
  const text = params[parameter];
  const wanted = typeof text === 'string' ? parse(text) : undefined;
  if (!wanted) return () => undefined;
  const key = wanted.key.toLowerCase();
  return (tags) => (tags ?? []).some((t) => (t.Key ?? '').toLowerCase() === key && (t.Value ?? '') === wanted.value);
}
