import type { ParameterSpec, Parameters } from '../plugin-api/contract.js';

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
}

const affix = (name: string, what: string): ParameterSpec => ({
  name,
  description: `Text put ${name.endsWith('prefix') ? 'before' : 'after'} the name of every ${what} the export creates. It counts towards the name's length limit: the name itself is shortened to fit.`,
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
  {
    name: 'aws-export-manage-existing',
    description:
      'If true, the export may update (never delete) existing roles, policies and access points that it did not create (they lack the tag creator=RAITO), for example an imported role whose trust policy the cloud now manages. When false, such a resource is left alone and its access provider gets an error.',
    type: 'boolean',
    default: false,
  },
];

const CONSISTENCY_WINDOW_MS = 60_000;
const CONSISTENCY_BASE_DELAY_MS = 1_000;

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
    ...overrides,
  };
}
