import type { ParameterSpec, Parameters } from '../../plugin-api/contract.js';
import { flag, regexList } from '../../plugin-api/parameters.js';

/** The access import's parameters (names as in the seed table of the Raito AWS account plugin). */
export const accessParameters: ParameterSpec[] = [
  {
    name: 'aws-access-skip-iam',
    description: 'If true, IAM roles and policies (managed and inline) are not imported as access controls. S3 access points and bucket policies still are.',
    type: 'boolean',
    default: false,
  },
  {
    name: 'aws-access-skip-user-inline-policies',
    description: 'If true, inline policies on IAM users are not imported as access controls.',
    type: 'boolean',
    default: false,
  },
  {
    name: 'aws-access-skip-group-inline-policies',
    description: 'If true, inline policies on IAM groups are not imported as access controls.',
    type: 'boolean',
    default: false,
  },
  {
    name: 'aws-access-skip-managed-policies',
    description: 'If true, managed policies (customer and AWS managed) are not imported as access controls.',
    type: 'boolean',
    default: false,
  },
  {
    name: 'aws-access-skip-aws-managed-policies',
    description: 'If true, AWS-managed policies are not imported as access controls (customer-managed ones still are).',
    type: 'boolean',
    default: false,
  },
  {
    name: 'aws-access-managed-policy-excludes',
    description:
      'Comma-separated list of managed policy names to leave out of the access import. Regular expressions can be used; each must match the whole name (e.g. "Amazon.+,AWS.+" leaves out the policies whose name starts with Amazon or AWS).',
    type: 'regex-list',
  },
  {
    name: 'aws-access-role-excludes',
    description:
      'Comma-separated list of IAM role names to leave out of the access import. Regular expressions can be used; each must match the whole name (e.g. "AWSServiceRole.+,OrganizationAccountAccessRole").',
    type: 'regex-list',
  },
  {
    name: 'aws-access-skip-s3-access-points',
    description: 'If true, S3 access points are not imported as access controls (ListAccessPoints and GetAccessPointPolicy are not called).',
    type: 'boolean',
    default: false,
  },
];

/** The access import's options, parsed once from the coerced parameters. */
export interface AccessOptions {
  skipIam: boolean;
  skipUserInlinePolicies: boolean;
  skipGroupInlinePolicies: boolean;
  skipManagedPolicies: boolean;
  skipAwsManagedPolicies: boolean;
  managedPolicyExcludes: RegExp[];
  roleExcludes: RegExp[];
  skipAccessPoints: boolean;
}

const parsed = new WeakMap<Parameters, AccessOptions>();

export function accessOptions(params: Parameters): AccessOptions {
  let options = parsed.get(params);
  if (!options) {
    options = {
      skipIam: flag(params, 'aws-access-skip-iam'),
      skipUserInlinePolicies: flag(params, 'aws-access-skip-user-inline-policies'),
      skipGroupInlinePolicies: flag(params, 'aws-access-skip-group-inline-policies'),
      skipManagedPolicies: flag(params, 'aws-access-skip-managed-policies'),
      skipAwsManagedPolicies: flag(params, 'aws-access-skip-aws-managed-policies'),
      managedPolicyExcludes: regexList(params, 'aws-access-managed-policy-excludes'),
      roleExcludes: regexList(params, 'aws-access-role-excludes'),
      skipAccessPoints: flag(params, 'aws-access-skip-s3-access-points'),
    };
    parsed.set(params, options);
  }
  return options;
}
