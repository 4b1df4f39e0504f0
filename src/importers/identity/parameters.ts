import type { ParameterSpec, Parameters } from '../../plugin-api/contract.js';
import { regexList } from '../../plugin-api/parameters.js';

export const identityParameters: ParameterSpec[] = [
  {
    name: 'aws-user-excludes',
    description:
      'Comma-separated list of IAM user names to leave out of the identity sync. Regular expressions can be used; each must match the whole name (e.g. "svc-.+,terraform").',
    type: 'regex-list',
  },
  {
    name: 'aws-user-email-tag',
    description:
      'The IAM user tag that holds the email address. When not set, the first tag whose key contains "email" (in any case) is used.',
    type: 'string',
  },
];

/** The identity sync's options, parsed once from the coerced parameters. */
export interface IdentityOptions {
  userExcludes: RegExp[];
  emailTag?: string;
}

const parsed = new WeakMap<Parameters, IdentityOptions>();

export function identityOptions(params: Parameters): IdentityOptions {
  let options = parsed.get(params);
  if (!options) {
    const emailTag = params['aws-user-email-tag'];
    options = { userExcludes: regexList(params, 'aws-user-excludes'), emailTag: typeof emailTag === 'string' && emailTag.trim() !== '' ? emailTag.trim() : undefined };
    parsed.set(params, options);
  }
  return options;
}
