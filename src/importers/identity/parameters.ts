import type { ParameterSpec } from '../../plugin-api/contract.js';

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
