import type { ParameterProblem, ParameterSpec, Parameters } from '../plugin-api/contract.js';

/** The export's parameters, parsed once. */
export interface ExportOptions {
  rolePrefix: string;
  roleSuffix: string;
  policyPrefix: string;
  policySuffix: string;
  accessPointPrefix: string;
  accessPointSuffix: string;
  /** Update (never delete) existing resources without the creator=RAITO tag that the cloud has taken over. */
  manageExisting: boolean;
  /** How long to retry eventual-consistency errors after a create ("Invalid principal", NoSuchEntity). */
  consistencyWindowMs: number;
  /** First backoff of those retries; it doubles up to 8 s. */
  consistencyBaseDelayMs: number;
  /** Permission set name affixes as given; `#account#` is replaced by the account id when names are built. */
  ssoRolePrefix: string;
  ssoRoleSuffix: string;
  /** Tags a new permission set gets besides creator=RAITO. */
  permissionSetTags: PermissionSetTagOptions;
  /** Identity Center user assigned to a permission set that would otherwise have no assignment in the account. */
  dummyUser?: string;
  /** First wait before asking again about an asynchronous Identity Center operation; it doubles up to 10 s. */
  pollBaseDelayMs: number;
  /** How long to wait for one asynchronous operation (provisioning, assignment) before reporting it as failed. */
  pollTimeoutMs: number;
}

/** The tag keys (and fixed tags) of the aws-permissionset-* parameters. */
export interface PermissionSetTagOptions {
  ownerEmailKey?: string;
  ownerNameKey?: string;
  ownerGroupKey?: string;
  accountIdKey?: string;
  custom: { key: string; value: string }[];
}

const affix = (name: string, what: string, extra = ''): ParameterSpec => ({
  name,
  description: `Text put ${name.endsWith('prefix') ? 'before' : 'after'} the name of every ${what} the export creates. It counts towards the name's length limit: the name itself is shortened to fit.${extra}`,
  type: 'string',
  default: '',
});

export const exportParameters: ParameterSpec[] = [
  affix('aws-role-prefix', 'IAM role'),
  affix('aws-role-suffix', 'IAM role'),
  affix('aws-policy-prefix', 'managed policy'),
  affix('aws-policy-suffix', 'managed policy'),
  affix('aws-access-point-prefix', 'S3 access point'),
  affix('aws-access-point-suffix', 'S3 access point'),
  affix('aws-sso-role-prefix', 'permission set (aws_sso_role, 32 characters at most)', ' #account# in it is replaced by the id of the account (12 digits).'),
  affix('aws-sso-role-suffix', 'permission set (aws_sso_role, 32 characters at most)', ' #account# in it is replaced by the id of the account (12 digits).'),
  {
    name: 'aws-permissionset-owner-email-tag',
    description: 'Tag key under which a permission set the export creates records the e-mail addresses of its owners (the entries of the access provider\'s owners that contain @, separated by spaces). No tag when not set or when the access provider names no such owner.',
    type: 'string',
  },
  {
    name: 'aws-permissionset-owner-name-tag',
    description: 'Tag key under which a permission set the export creates records the names of its owners (the entries of the access provider\'s owners that are neither an e-mail address nor group:<name>, separated by spaces). No tag when not set or when there is no such owner.',
    type: 'string',
  },
  {
    name: 'aws-permissionset-owner-group-tag',
    description: 'Tag key under which a permission set the export creates records its owner groups (the entries group:<name> of the access provider\'s owners, separated by spaces). No tag when not set or when there is no such owner.',
    type: 'string',
  },
  {
    name: 'aws-permissionset-owner-custom-tags',
    description: 'Fixed tags every permission set the export creates gets, as a comma-separated list of key=value pairs (for example cost-center=data,team=governance). The key creator is reserved.',
    type: 'string',
  },
  {
    name: 'aws-permissionset-account-id-tag',
    description: 'Tag key under which a permission set the export creates records the id of the account it was created for. When set, the export also refuses to change or delete a permission set whose tag names another account (the connector of that account manages it).',
    type: 'string',
  },
  {
    name: 'aws-permissionset-dummy-user',
    description: 'User name of an IAM Identity Center user that is assigned to an exported permission set when it would otherwise have no user or group in this account (AWS only provisions a permission set into an account that has an assignment). Without it such a permission set is created but not provisioned, with a warning.',
    type: 'string',
  },
  {
    name: 'aws-export-manage-existing',
    description:
      'If true, the export may update (never delete) existing roles, policies, access points and permission sets that it did not create (they lack the tag creator=RAITO), for example an imported role whose trust policy the cloud now manages. When false, such a resource is left alone and its access provider gets an error.',
    type: 'boolean',
    default: false,
  },
];

/** Replaced by the account id in aws-sso-role-prefix and aws-sso-role-suffix. */
export const ACCOUNT_PLACEHOLDER = '#account#';

const CONSISTENCY_WINDOW_MS = 60_000;
const CONSISTENCY_BASE_DELAY_MS = 1_000;
const POLL_BASE_DELAY_MS = 1_000;
const POLL_TIMEOUT_MS = 10 * 60_000;

/** The characters AWS allows in Identity Center tag keys and values. */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** `key=value,key=value` of aws-permissionset-owner-custom-tags; problems name the pair. */
export function parseCustomTags(value: unknown): { tags: { key: string; value: string }[]; problems: string[] } {
  const tags: { key: string; value: string }[] = [];
  const problems: string[] = [];
  for (const pair of text(value).split(',').map((p) => p.trim()).filter(Boolean)) {
    const at = pair.indexOf('=');
    const key = at < 0 ? pair : pair.slice(0, at).trim();
    const tagValue = at < 0 ? '' : pair.slice(at + 1).trim();
    if (at < 0) problems.push(`"${pair}" is not key=value`);
    else if (!key || key.length > 128 || !TAG_TEXT.test(key) || key.toLowerCase().startsWith('aws:')) problems.push(`"${key}" is not a valid tag key (1-128 letters, digits, spaces and _ . : / = + - @, not starting with aws:)`);
    else if (key === 'creator') problems.push('the tag key creator is reserved for creator=RAITO');
    else if (tagValue.length > 256 || !TAG_TEXT.test(tagValue)) problems.push(`the value of ${key} is not a valid tag value (up to 256 letters, digits, spaces and _ . : / = + - @)`);
    else tags.push({ key, value: tagValue });
  }
  return { tags, problems };
}

const optionalText = (value: unknown): string | undefined => text(value) || undefined;

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

export function exportOptions(params: Parameters, overrides: Partial<ExportOptions> = {}): ExportOptions {
  return {
    rolePrefix: text(params['aws-role-prefix']),
    roleSuffix: text(params['aws-role-suffix']),
    policyPrefix: text(params['aws-policy-prefix']),
    policySuffix: text(params['aws-policy-suffix']),
    accessPointPrefix: text(params['aws-access-point-prefix']),
    accessPointSuffix: text(params['aws-access-point-suffix']),
    manageExisting: params['aws-export-manage-existing'] === true,
    consistencyWindowMs: CONSISTENCY_WINDOW_MS,
    consistencyBaseDelayMs: CONSISTENCY_BASE_DELAY_MS,
    ssoRolePrefix: text(params['aws-sso-role-prefix']),
    ssoRoleSuffix: text(params['aws-sso-role-suffix']),
    permissionSetTags: {
      ownerEmailKey: optionalText(params['aws-permissionset-owner-email-tag']),
      ownerNameKey: optionalText(params['aws-permissionset-owner-name-tag']),
      ownerGroupKey: optionalText(params['aws-permissionset-owner-group-tag']),
      accountIdKey: optionalText(params['aws-permissionset-account-id-tag']),
      custom: parseCustomTags(params['aws-permissionset-owner-custom-tags']).tags,
    },
    dummyUser: optionalText(params['aws-permissionset-dummy-user']),
    pollBaseDelayMs: POLL_BASE_DELAY_MS,
    pollTimeoutMs: POLL_TIMEOUT_MS,
    ...overrides,
  };
}

/** Prefixes and suffixes must be valid inside the names they go into, and leave room for a name. */
export function validateExportParameters(params: Parameters): ParameterProblem[] {
  const problems: ParameterProblem[] = [];
  // In permission set affixes #account# becomes the 12-digit account id: check and count it as such.
  const check = (names: [string, string], allowed: RegExp, rule: string, limit: number, accountPlaceholder = false) => {
    const [prefix, suffix] = names.map((n) => (accountPlaceholder ? text(params[n]).replaceAll(ACCOUNT_PLACEHOLDER, '000000000000') : text(params[n])));
    for (const [name, value] of [
      [names[0], prefix],
      [names[1], suffix],
    ] as const) {
      if (value && !allowed.test(value)) problems.push({ parameter: name, message: `"${value}" may only hold ${rule}` });
    }
    const used = (prefix?.length ?? 0) + (suffix?.length ?? 0);
    if (used > limit - 8) problems.push({ parameter: names[0], message: `with its suffix it takes ${used} of the ${limit} characters of a name, leaving fewer than 8 for the name itself` });
  };
  check(['aws-role-prefix', 'aws-role-suffix'], /^[A-Za-z0-9+=,.@_-]+$/, 'letters, digits and + = , . @ _ -', 64);
  check(['aws-policy-prefix', 'aws-policy-suffix'], /^[A-Za-z0-9+=,.@_-]+$/, 'letters, digits and + = , . @ _ -', 128);
  check(['aws-access-point-prefix', 'aws-access-point-suffix'], /^[a-z0-9-]+$/, 'lower case letters, digits and hyphens', 50);
  check(['aws-sso-role-prefix', 'aws-sso-role-suffix'], /^[A-Za-z0-9+=,.@_-]+$/, 'letters, digits, #account# and + = , . @ _ -', 32, true);
  for (const name of ['aws-permissionset-owner-email-tag', 'aws-permissionset-owner-name-tag', 'aws-permissionset-owner-group-tag', 'aws-permissionset-account-id-tag']) {
    const key = text(params[name]);
    if (key && (key.length > 128 || !TAG_TEXT.test(key) || key.toLowerCase().startsWith('aws:') || key === 'creator')) {
      problems.push({ parameter: name, message: `"${key}" is not a valid tag key (1-128 letters, digits, spaces and _ . : / = + - @, not starting with aws:, not creator)` });
    }
  }
  for (const message of parseCustomTags(params['aws-permissionset-owner-custom-tags']).problems) problems.push({ parameter: 'aws-permissionset-owner-custom-tags', message });
  return problems;
}
