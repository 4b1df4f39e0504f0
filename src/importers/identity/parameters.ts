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
  {
    name: 'aws-identity-skip-credential-report',
    description:
      'Do not read the IAM credential report. Users are then written without their credential facts (`posture`: console password, MFA, access keys, signing certificates) and the root user is left out; iam:GenerateCredentialReport and iam:GetCredentialReport are then not needed.',
    type: 'boolean',
    default: false,
  },
  {
    name: 'aws-user-is-machine-tag',
    description:
      'The IAM user tag that marks machine users, as key=value (e.g. "machine=true"; the key is matched in any case, the value exactly). Users with that tag get isMachine true, the others false. When not set, isMachine is left out.',
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
