import { readFile } from 'node:fs/promises';
import { dirname, resolve as resolvePath } from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, visit, type Document } from 'yaml';
import { z } from 'zod';
import { ConfigError, errorMessage, type ConfigIssue } from '../errors.js';
import { locateConfigFile } from './locate.js';
import { didYouMean } from './suggest.js';

/** Environment variables, as `process.env` holds them. */
export type Env = Readonly<Record<string, string | undefined>>;

export interface TargetConfig {
  name: string;
  connectorName: string;
  dataSourceId?: string;
  identityStoreId?: string;
  /**
   * Directory target only: the JSONL file of access providers to export, resolved against the
   * config file's folder (`access-providers-to-export`).
   */
  exportFile?: string;
  /** Host-level switches: the host skips these syncs for this target. */
  skip: { dataSource: boolean; identityStore: boolean; dataAccess: boolean; dataUsage: boolean };
  /** Plugin parameters as written (after {{VAR}} substitution); the plugin's specs coerce them later. */
  raw: Record<string, unknown>;
  /** Line of every key of the target (target keys and plugin parameters). */
  lines: Record<string, number>;
  /** Line where the target's list item starts. */
  line: number;
  /** Position in `targets`, as used in issue paths (`targets[<index>].<key>`). */
  index: number;
}

export interface LoadedConfig {
  /** Absolute path of the file read. */
  file: string;
  apiUrl?: string;
  apiUser?: string;
  apiSecret?: string;
  domain?: string;
  fileBackupLocation?: string;
  targets: TargetConfig[];
}

export interface LoadOptions {
  /** `--config-file`; without it the usual places are searched (see locateConfigFile). */
  file?: string;
  cwd: string;
  home: string;
  env: Env;
}

export const GLOBAL_KEYS = ['api-url', 'api-user', 'api-secret', 'domain', 'file-backup-location', 'targets'] as const;

export const TARGET_KEYS = [
  'name',
  'connector-name',
  'data-source-id',
  'identity-store-id',
  'skip-data-source-sync',
  'skip-identity-store-sync',
  'skip-data-access-sync',
  'skip-data-usage-sync',
  'access-providers-to-export',
] as const;

type GlobalSetting = 'api-url' | 'api-user' | 'api-secret' | 'domain' | 'file-backup-location';

/**
 * The environment variable behind each global setting. As in the Raito CLI, a value in the file
 * wins; the environment only fills a setting the file leaves unset (absent, empty or null).
 */
export const GLOBAL_ENV: Readonly<Record<GlobalSetting, string>> = {
  'api-url': 'RAITO_API_URL',
  'api-user': 'RAITO_API_USER',
  'api-secret': 'RAITO_API_SECRET',
  domain: 'RAITO_DOMAIN',
  'file-backup-location': 'RAITO_FILE_BACKUP_LOCATION',
};

const NO_TARGETS = 'no targets: add a list under "targets:" with at least one target (name and connector-name)';

// ---------------------------------------------------------------------------------------------
// Schema: values as raito.yml writes them (unquoted numbers and booleans are text too).

const MAX_SHOWN = 60;

/** A short description of a value for messages; never dumps a whole structure. */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `"${value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}...` : value}"`;
  return String(value);
}

const scalarToText = (value: unknown): unknown => (typeof value === 'number' || typeof value === 'boolean' ? String(value) : value);

// Same words as the plugin parameters accept (src/plugin-api/parameters.ts), so every flag reads alike.
const toBoolean = (value: unknown): unknown => {
  if (typeof value !== 'string' && typeof value !== 'number') return value;
  const text = String(value).trim();
  if (/^(true|yes|1)$/i.test(text)) return true;
  if (/^(false|no|0)$/i.test(text)) return false;
  return value;
};

const text = z.preprocess(
  scalarToText,
  z.string({ error: (issue) => (issue.input === undefined ? 'is mandatory but not set' : `expected a text value, got ${describeValue(issue.input)}`) }),
);
const requiredText = text.refine((value) => value.trim() !== '', 'is mandatory but empty');
const flag = z.preprocess(toBoolean, z.boolean({ error: (issue) => `expected true or false, got ${describeValue(issue.input)}` })).optional();

const targetSchema = z.looseObject(
  {
    name: requiredText,
    'connector-name': requiredText,
    'data-source-id': text.optional(),
    'identity-store-id': text.optional(),
    'skip-data-source-sync': flag,
    'skip-identity-store-sync': flag,
    'skip-data-access-sync': flag,
    'skip-data-usage-sync': flag,
    'access-providers-to-export': requiredText.optional(),
  },
  { error: (issue) => `each target must be a mapping with at least name and connector-name, got ${describeValue(issue.input)}` },
);

const rootSchema = z.looseObject({
  'api-url': text.pipe(z.url({ protocol: /^https?$/, error: 'expected an http(s) URL, e.g. https://api.example.com' })).optional(),
  'api-user': text.optional(),
  'api-secret': text.optional(),
  domain: text.optional(),
  'file-backup-location': text.optional(),
  targets: z
    .array(targetSchema, { error: (issue) => (issue.input === undefined ? NO_TARGETS : `expected a list of targets, got ${describeValue(issue.input)}`) })
    .min(1, NO_TARGETS),
});

// ---------------------------------------------------------------------------------------------
// Source positions.

type Path = readonly PropertyKey[];

/** `targets[1].aws-regions`: the path style of every config issue. */
export function formatPath(path: Path): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

class Positions {
  constructor(
    private readonly doc: Document,
    private readonly counter: LineCounter,
  ) {}

  private lineAt(node: unknown): number | undefined {
    const range = (node as { range?: readonly number[] | null } | null)?.range;
    const start = range?.[0];
    return start === undefined ? undefined : this.counter.linePos(start).line;
  }

  /**
   * Line of the deepest part of `path` that is written in the file: the key for a mapping entry
   * (a null value has no useful position of its own), the item for a list entry. A missing
   * top-level key has no line.
   */
  lineOf(path: Path): number | undefined {
    let node: unknown = this.doc.contents;
    let line: number | undefined;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) break;
        line = this.lineAt(pair.key) ?? line;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item: unknown = node.items[segment];
        if (item === undefined) break;
        line = this.lineAt(item) ?? line;
        node = item;
      } else {
        // Aliases and merged keys: the nearest written position is the best we can do.
        break;
      }
    }
    return line;
  }
}

// ---------------------------------------------------------------------------------------------

const VARIABLE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Unset for host settings: absent, null (`key:` with nothing) or empty text. */
function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

function withoutBlanks(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => !isBlank(value)));
}

class Reader {
  readonly issues: ConfigIssue[] = [];

  constructor(
    private readonly file: string,
    private readonly positions: Positions,
    private readonly env: Env,
  ) {}

  add(path: Path, message: string, line = this.positions.lineOf(path)): void {
    this.issues.push({ path: formatPath(path), message, file: this.file, ...(line === undefined ? {} : { line }) });
  }

  line(path: Path): number | undefined {
    return this.positions.lineOf(path);
  }

  /** Replaces {{VAR}} in every string value; returns a new tree (aliases share objects, so no mutation). */
  substitute(value: unknown, path: PropertyKey[], ancestors: Set<object>): unknown {
    if (typeof value === 'string') {
      const missing = new Set<string>();
      const replaced = value.replace(VARIABLE, (whole, name: string) => {
        const found = this.env[name];
        if (found === undefined) {
          missing.add(name);
          return whole;
        }
        return found;
      });
      for (const name of missing) this.add(path, `environment variable ${name} is not set (used as {{${name}}})`);
      return replaced;
    }
    if (typeof value !== 'object' || value === null) return value;
    if (ancestors.has(value)) {
      this.add(path, 'a YAML alias refers to a collection that contains it (a cycle)');
      return null;
    }
    ancestors.add(value);
    try {
      if (Array.isArray(value)) return value.map((item, i) => this.substitute(item, [...path, i], ancestors));
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.substitute(item, [...path, key], ancestors)]));
    } finally {
      ancestors.delete(value);
    }
  }
}

/** After this many syntax errors the rest are mostly consequences of the first ones. */
const MAX_SYNTAX_ISSUES = 10;

function yamlIssues(doc: Document, file: string): ConfigIssue[] {
  const issues = doc.errors.slice(0, MAX_SYNTAX_ISSUES).map((error): ConfigIssue => {
    const position = error.linePos?.[0];
    // The parser's message repeats the position and a code excerpt; keep the sentence.
    const sentence = error.message.split(/ at line \d+, column \d+/)[0]?.split('\n')[0] ?? error.message;
    const column = position ? ` (column ${position.col})` : '';
    return { path: '', message: `YAML syntax error: ${sentence}${column}`, file, ...(position ? { line: position.line } : {}) };
  });
  const more = doc.errors.length - issues.length;
  if (more > 0) issues.push({ path: '', message: `and ${more} more YAML syntax errors`, file });
  return issues;
}

/** `? [a, b]: x` is valid YAML, but a setting's name must be plain text. */
function complexKeyIssues(doc: Document, counter: LineCounter, file: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  visit(doc, {
    Pair(_, pair) {
      if (pair.key === null || isScalar(pair.key)) return;
      const start = (pair.key as { range?: readonly number[] | null }).range?.[0];
      const line = start === undefined ? undefined : counter.linePos(start).line;
      issues.push({ path: '', message: 'a key must be plain text, not a list or mapping', file, ...(line === undefined ? {} : { line }) });
    },
  });
  return issues;
}

/** Reads raito.yml text: YAML with positions, {{VAR}} substitution, shape checks. Throws one ConfigError with every issue. */
export function parseConfig(source: string, options: { file: string; env: Env }): LoadedConfig {
  const { file, env } = options;
  const counter = new LineCounter();
  let doc: Document;
  let data: unknown;
  try {
    // logLevel: the parser must not print warnings of its own; stderr carries our JSON log only.
    doc = parseDocument(source, { lineCounter: counter, merge: true, uniqueKeys: true, prettyErrors: true, logLevel: 'error' });
    const syntax = [...yamlIssues(doc, file), ...complexKeyIssues(doc, counter, file)];
    if (syntax.length > 0) throw new ConfigError(syntax, { hint: 'Fix the YAML syntax at the line shown.' });
    // The alias limit stops "billion laughs" files from expanding without bound.
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError([{ path: '', message: `cannot read the YAML (${errorMessage(err)})`, file }], { cause: err });
  }

  const reader = new Reader(file, new Positions(doc, counter), env);
  if (data === null || data === undefined) {
    reader.add([], `the file is empty; ${NO_TARGETS}`);
    throw new ConfigError(reader.issues);
  }
  if (!isRecord(data)) {
    reader.add([], `expected a mapping of settings (api-user, api-secret, targets, ...) at the top, got ${describeValue(data)}`, reader.line([]) ?? 1);
    throw new ConfigError(reader.issues);
  }

  const root = reader.substitute(data, [], new Set()) as Record<string, unknown>;

  for (const key of Object.keys(root)) {
    if (!(GLOBAL_KEYS as readonly string[]).includes(key)) reader.add([key], `unknown setting "${key}"${didYouMean(key, GLOBAL_KEYS)}`);
  }

  // The file wins; the environment fills what it leaves unset.
  const input = withoutBlanks(root);
  const fromEnv = new Set<string>();
  for (const [key, variable] of Object.entries(GLOBAL_ENV)) {
    const value = env[variable];
    if (input[key] === undefined && value !== undefined && value !== '') {
      input[key] = value;
      fromEnv.add(key);
    }
  }
  if (Array.isArray(input.targets)) input.targets = input.targets.map((t) => (isRecord(t) ? withoutBlanks(t) : t));

  const result = rootSchema.safeParse(input);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const top = issue.path[0];
      if (typeof top === 'string' && fromEnv.has(top)) {
        reader.add(issue.path, `${issue.message} (value from environment variable ${GLOBAL_ENV[top as GlobalSetting]})`, undefined);
      } else {
        reader.add(issue.path, issue.message);
      }
    }
  }

  const rawTargets = Array.isArray(root.targets) ? root.targets : [];
  const firstByName = new Map<string, number>();
  rawTargets.forEach((target, index) => {
    if (!isRecord(target)) return;
    const name = scalarToText(target.name);
    if (typeof name !== 'string' || name.trim() === '') return;
    const first = firstByName.get(name);
    if (first === undefined) {
      firstByName.set(name, index);
      return;
    }
    const firstLine = reader.line(['targets', first]);
    reader.add(['targets', index, 'name'], `duplicate target name "${name}" (also used by targets[${first}]${firstLine === undefined ? '' : ` at line ${firstLine}`})`);
  });

  if (!result.success || reader.issues.length > 0) throw new ConfigError(reader.issues, { hint: 'Fix the settings at the lines shown.' });

  const parsed = result.data;
  const targetsLine = reader.line(['targets']) ?? 1;
  const targets = parsed.targets.map((target, index): TargetConfig => {
    const written = rawTargets[index] as Record<string, unknown>;
    const keys = Object.keys(written);
    const lines = Object.fromEntries(
      keys.flatMap((key) => {
        const line = reader.line(['targets', index, key]);
        return line === undefined ? [] : [[key, line]];
      }),
    );
    return {
      name: target.name,
      connectorName: target['connector-name'],
      ...(target['data-source-id'] === undefined ? {} : { dataSourceId: target['data-source-id'] }),
      ...(target['identity-store-id'] === undefined ? {} : { identityStoreId: target['identity-store-id'] }),
      ...(target['access-providers-to-export'] === undefined ? {} : { exportFile: resolvePath(dirname(file), target['access-providers-to-export']) }),
      skip: {
        dataSource: target['skip-data-source-sync'] ?? false,
        identityStore: target['skip-identity-store-sync'] ?? false,
        dataAccess: target['skip-data-access-sync'] ?? false,
        dataUsage: target['skip-data-usage-sync'] ?? false,
      },
      raw: Object.fromEntries(Object.entries(written).filter(([key]) => !(TARGET_KEYS as readonly string[]).includes(key))),
      lines,
      line: reader.line(['targets', index]) ?? targetsLine,
      index,
    };
  });

  const config: LoadedConfig = { file, targets };
  if (parsed['api-url'] !== undefined) config.apiUrl = parsed['api-url'];
  if (parsed['api-user'] !== undefined) config.apiUser = parsed['api-user'];
  if (parsed['api-secret'] !== undefined) config.apiSecret = parsed['api-secret'];
  if (parsed.domain !== undefined) config.domain = parsed.domain;
  if (parsed['file-backup-location'] !== undefined) config.fileBackupLocation = parsed['file-backup-location'];
  return config;
}

/** Finds, reads and checks the config file. Every problem of the file comes in one ConfigError. */
export async function loadConfig(options: LoadOptions): Promise<LoadedConfig> {
  const file = await locateConfigFile(options);
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError([{ path: '', message: `cannot read the config file (${errorMessage(err)})`, file }], { cause: err });
  }
  return parseConfig(source, { file, env: options.env });
}
