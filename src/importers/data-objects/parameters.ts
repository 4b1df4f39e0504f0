import type { ParameterProblem, ParameterSpec, Parameters } from '../../plugin-api/contract.js';
import { bucketFilter } from './filters.js';

/** The parameters of the data source sync (`aws-regions` and `aws-concurrency` belong to the AWS connection). */
export const dataObjectParameters: ParameterSpec[] = [
  {
    name: 'aws-s3-enabled',
    description:
      'Read S3 buckets and objects directly from the S3 API (see the other aws-s3- parameters). Cannot be enabled together with aws-glue-enabled.',
    type: 'boolean',
    default: true,
  },
  {
    name: 'aws-s3-emulate-folder-structure',
    description: 'Emulate a folder structure for S3 objects, as the AWS console does: each /-separated prefix becomes a folder.',
    type: 'boolean',
    default: true,
  },
  {
    name: 'aws-s3-max-folder-depth',
    description:
      'With folder emulation, objects are listed one by one up to this depth (path segments); deeper objects are represented by their folder at this depth.',
    type: 'integer',
    default: 20,
  },
  {
    name: 'aws-s3-include-buckets',
    description: 'Comma-separated list of buckets to include. Wildcards (*) can be used. When set, only these buckets are handled.',
    type: 'list',
    default: '*',
  },
  {
    name: 'aws-s3-exclude-buckets',
    description: 'Comma-separated list of buckets to exclude. Wildcards (*) can be used. Excludes have preference over includes.',
    type: 'list',
  },
  {
    name: 'aws-glue-enabled',
    description:
      'Read data objects from the AWS Glue catalog (databases and tables of each region in aws-regions); they are still represented as S3 objects. Cannot be enabled together with aws-s3-enabled.',
    type: 'boolean',
    default: false,
  },
  {
    name: 'aws-glue-exclude-databases',
    description: 'Comma-separated list of regular expressions; Glue databases whose whole name matches one are skipped.',
    type: 'regex-list',
  },
  {
    name: 'aws-glue-exclude-tables',
    description: 'Comma-separated list of regular expressions; Glue tables whose whole name, or <database>.<table>, matches one are skipped.',
    type: 'regex-list',
  },
];

/** The data source options, read from coerced parameters (defaults also apply when a parameter is absent). */
export interface DataObjectOptions {
  s3Enabled: boolean;
  glueEnabled: boolean;
  emulateFolders: boolean;
  maxFolderDepth: number;
  includeBuckets: string[];
  excludeBuckets: string[];
  excludeDatabases: RegExp[];
  excludeTables: RegExp[];
  /** aws-s3-include-buckets and aws-s3-exclude-buckets as one predicate: is this bucket in scope? */
  bucketInScope: (bucket: string) => boolean;
}

function bool(params: Parameters, name: string, fallback: boolean): boolean {
  const value = params[name];
  return typeof value === 'boolean' ? value : fallback;
}

function strings(params: Parameters, name: string): string[] {
  const value = params[name];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function regexes(params: Parameters, name: string): RegExp[] {
  const value = params[name];
  return Array.isArray(value) ? value.filter((v): v is RegExp => v instanceof RegExp) : [];
}

/** Options are parsed once per parameter object (a target run's params never change). */
const parsed = new WeakMap<Parameters, DataObjectOptions>();

export function dataObjectOptions(params: Parameters): DataObjectOptions {
  let options = parsed.get(params);
  if (!options) {
    options = parseDataObjectOptions(params);
    parsed.set(params, options);
  }
  return options;
}

function parseDataObjectOptions(params: Parameters): DataObjectOptions {
  const depth = params['aws-s3-max-folder-depth'];
  const includeBuckets = strings(params, 'aws-s3-include-buckets');
  const excludeBuckets = strings(params, 'aws-s3-exclude-buckets');
  return {
    s3Enabled: bool(params, 'aws-s3-enabled', true),
    glueEnabled: bool(params, 'aws-glue-enabled', false),
    emulateFolders: bool(params, 'aws-s3-emulate-folder-structure', true),
    maxFolderDepth: typeof depth === 'number' && Number.isInteger(depth) ? depth : 20,
    includeBuckets,
    excludeBuckets,
    excludeDatabases: regexes(params, 'aws-glue-exclude-databases'),
    excludeTables: regexes(params, 'aws-glue-exclude-tables'),
    bucketInScope: bucketFilter(includeBuckets, excludeBuckets),
  };
}

/** Checks across the data source parameters: S3 and Glue exclude each other; the depth must be positive. */
export function validateDataObjectParameters(params: Parameters): ParameterProblem[] {
  const options = dataObjectOptions(params);
  const problems: ParameterProblem[] = [];
  if (options.s3Enabled && options.glueEnabled) {
    problems.push({
      parameter: 'aws-glue-enabled',
      message:
        'cannot be enabled together with aws-s3-enabled: choose one (set aws-s3-enabled to false to read data objects from the Glue catalog, or aws-glue-enabled to false to read them from S3)',
    });
  }
  if (options.maxFolderDepth < 1) {
    problems.push({ parameter: 'aws-s3-max-folder-depth', message: `must be at least 1, got ${options.maxFolderDepth}` });
  }
  return problems;
}
