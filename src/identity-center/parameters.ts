import { listParameter, stringParameter } from '../aws/index.js';
import type { ParameterProblem, ParameterSpec, Parameters } from '../plugin-api/contract.js';

/** AWS allows 20 requests per second per account on the Identity Center admin and Identity Store APIs. */
export const IDENTITY_CENTER_RATE_DEFAULT = 20;
export const IDENTITY_CENTER_RATE_MAX = 1000;

export const rateLimitParameter: ParameterSpec = {
  name: 'aws-identity-center-rate-limit',
  description: `The most requests per second this target sends to each Identity Center API (sso-admin and identitystore), from ${1} to ${IDENTITY_CENTER_RATE_MAX}. AWS allows ${IDENTITY_CENTER_RATE_DEFAULT} per second per account, shared with every other caller of the management account: lower it when other tools call these APIs at the same time. Throttled calls are retried by the SDK's adaptive retry.`,
  type: 'integer',
  default: IDENTITY_CENTER_RATE_DEFAULT,
};

/** The aws-account plugin's second AWS connection: the management account where Identity Center lives. */
export const organizationParameters: ParameterSpec[] = [
  {
    name: 'aws-organization-profile',
    description:
      'The AWS SDK profile of the management account of the organization (where the permission sets of AWS IAM Identity Center are defined). Setting it (or any other aws-organization-* connection parameter) imports the permission sets provisioned to this account as access controls of type aws_sso_role. When not set but another aws-organization-* parameter is, the credentials of this target are used.',
    type: 'string',
  },
  {
    name: 'aws-organization-region',
    description:
      'The AWS region of the IAM Identity Center instance. If not set, the default region of the organization profile is used (AWS_REGION, or the region of the profile), else the first of aws-regions.',
    type: 'string',
  },
  {
    name: 'aws-organization-identity-center-instance-arn',
    description:
      'The ARN of the AWS IAM Identity Center instance (arn:aws:sso:::instance/ssoins-...). When not set, it is discovered with sso:ListInstances; a configuration error names this parameter when the management account has several instances or none.',
    type: 'string',
  },
  {
    name: 'aws-organization-identity-store',
    description:
      'The id of the Identity Center identity store (d-xxxxxxxxxx); its ARN is accepted too. When not set, it is discovered with sso:ListInstances.',
    type: 'string',
  },
  {
    name: 'aws-organization-assume-role-arn',
    description: 'The ARN of an IAM role in the management account to assume before calling Identity Center (cross-account access from the credentials of aws-organization-profile, or of this target).',
    type: 'string',
  },
  {
    name: 'aws-organization-assume-role-external-id',
    description: 'The external id that the trust policy of aws-organization-assume-role-arn requires, if any.',
    type: 'string',
    secret: true,
  },
];

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const INSTANCE_ARN = /^arn:aws[a-z-]*:sso:::instance\/[\w.-]+$/;
const STORE_ID = /^[A-Za-z0-9-]{1,64}$/;
const STORE_ARN = /^arn:aws[a-z-]*:identitystore::\d{12}:identitystore\/([A-Za-z0-9-]{1,64})$/;

/** The identity store id from an id or an identity store ARN; undefined when it is neither. */
export function identityStoreIdOf(value: string): string | undefined {
  const arn = STORE_ARN.exec(value);
  if (arn) return arn[1];
  return STORE_ID.test(value) ? value : undefined;
}

/** True when the target asks for permission sets: any aws-organization-* connection parameter is set. */
export function organizationEnabled(params: Parameters): boolean {
  return ['aws-organization-profile', 'aws-organization-identity-center-instance-arn', 'aws-organization-identity-store', 'aws-organization-assume-role-arn'].some(
    (name) => stringParameter(params[name]) !== undefined,
  );
}

export function validateRegion(params: Parameters, name: string): ParameterProblem[] {
  const region = stringParameter(params[name]);
  return region !== undefined && !REGION.test(region) ? [{ parameter: name, message: `"${region}" does not look like an AWS region (for example eu-central-1)` }] : [];
}

export function validateIdentityStore(params: Parameters, name: string): ParameterProblem[] {
  const store = stringParameter(params[name]);
  return store !== undefined && identityStoreIdOf(store) === undefined
    ? [{ parameter: name, message: `must be an identity store id (d-xxxxxxxxxx) or its ARN (arn:aws:identitystore::<account>:identitystore/d-xxxxxxxxxx), got "${store}"` }]
    : [];
}

export function validateRateLimit(params: Parameters): ParameterProblem[] {
  const rate = params['aws-identity-center-rate-limit'];
  if (rate === undefined) return [];
  const n = typeof rate === 'number' ? rate : Number(rate);
  return Number.isInteger(n) && n >= 1 && n <= IDENTITY_CENTER_RATE_MAX ? [] : [{ parameter: 'aws-identity-center-rate-limit', message: `must be a whole number from 1 to ${IDENTITY_CENTER_RATE_MAX}, got "${String(rate)}"` }];
}

export function validateAssumeRole(params: Parameters, roleName: string, externalIdName: string): ParameterProblem[] {
  const problems: ParameterProblem[] = [];
  const roleArn = stringParameter(params[roleName]);
  if (roleArn !== undefined && !ROLE_ARN.test(roleArn)) problems.push({ parameter: roleName, message: `must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), got "${roleArn}"` });
  if (stringParameter(params[externalIdName]) !== undefined && roleArn === undefined) problems.push({ parameter: externalIdName, message: `is only used with ${roleName}, which is not set` });
  return problems;
}

/** Checks of the aws-organization-* parameters of the aws-account plugin (the host adds file and line). */
export function validateOrganizationParameters(params: Parameters): ParameterProblem[] {
  const problems: ParameterProblem[] = [
    ...validateRegion(params, 'aws-organization-region'),
    ...validateIdentityStore(params, 'aws-organization-identity-store'),
    ...validateAssumeRole(params, 'aws-organization-assume-role-arn', 'aws-organization-assume-role-external-id'),
    ...validateRateLimit(params),
  ];
  const instance = stringParameter(params['aws-organization-identity-center-instance-arn']);
  if (instance !== undefined && !INSTANCE_ARN.test(instance)) {
    problems.push({ parameter: 'aws-organization-identity-center-instance-arn', message: `must be an Identity Center instance ARN (arn:aws:sso:::instance/ssoins-...), got "${instance}"` });
  }
  if (!organizationEnabled(params) && stringParameter(params['aws-organization-region']) !== undefined) {
    problems.push({ parameter: 'aws-organization-region', message: 'is only used with aws-organization-profile (or another aws-organization-* connection parameter), which is not set' });
  }
  return problems;
}

/** The rate of the Identity Center limiters of a target. */
export function rateLimitOf(params: Parameters): number {
  const n = Number(params['aws-identity-center-rate-limit'] ?? IDENTITY_CENTER_RATE_DEFAULT);
  return Number.isInteger(n) && n >= 1 ? n : IDENTITY_CENTER_RATE_DEFAULT;
}

export { listParameter, stringParameter };
