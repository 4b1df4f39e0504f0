import { z } from 'zod';
import type { ConnectorPlugin, ParameterSpec, ParameterType } from '../plugin-api/contract.js';
import { GLOBAL_ENV, GLOBAL_KEYS, TARGET_KEYS, rootSchema, targetSchema } from './load.js';

/**
 * The editor schema of raito.yml (docs/schemas/raito.schema.json): made from the zod schemas the
 * loader validates with and from each built-in plugin's parameter specs, so a new key or
 * parameter reaches editors with the next `npm run docs`, never by hand.
 */

type JsonSchema = Record<string, unknown>;
type GlobalKey = Exclude<(typeof GLOBAL_KEYS)[number], 'targets'>;
type TargetKey = (typeof TARGET_KEYS)[number];

// Hover texts. Typed by the key lists, so a key added to the loader without a text does not compile.
const globalDescriptions: Record<GlobalKey, string> = {
  'api-url': 'URL of the cloud sync API. Without it every run is written to a local folder (file-backup-location).',
  'api-user': 'User of the sync API (OAuth2 client id).',
  'api-secret': 'Secret of the sync API user. Write it as "{{VARIABLE}}" and keep the value in the environment.',
  domain: 'Tenant of the sync API, sent as the Raito-Domain header.',
  'file-backup-location': 'Folder for runs without api-url (default ./raito-sync): <folder>/<target>/<run-id>/.',
  'api-connect-timeout': 'Seconds to connect to the sync API and receive the first answer of a request (default 10; uploads are bounded by api-request-timeout only).',
  'api-request-timeout': 'Seconds one sync API request (an upload included) may take before the attempt is retried (default 600).',
};

const targetDescriptions: Record<TargetKey, string> = {
  name: 'Name of the target, unique in the file (used by --only-targets and in folder names).',
  'connector-name': 'Connector that syncs this target: a built-in (aws-account, ...) or an npm package installed next to raito.yml.',
  'data-source-id': 'Id of the data source in the cloud that receives the data objects, access and usage.',
  'identity-store-id': 'Id of the identity store in the cloud that receives the users and groups.',
  'skip-data-source-sync': 'Skip the data source sync for this target (as --skip-data-source-sync).',
  'skip-identity-store-sync': 'Skip the identity store sync for this target (as --skip-identity-store-sync).',
  'skip-data-access-sync': 'Skip the access sync (export and import) for this target (as --skip-data-access-sync).',
  'skip-data-usage-sync': 'Skip the usage sync for this target (as --skip-data-usage-sync).',
  'access-providers-to-export': 'Without api-url: a JSONL file of access providers to export into AWS (relative to the folder of raito.yml).',
};

/** `{{VAR}}` is replaced from the environment before a value is checked: it may stand for any type. */
const placeholder: JsonSchema = { type: 'string', pattern: '\\{\\{\\s*[A-Za-z_][A-Za-z0-9_]*\\s*\\}\\}' };

/** The words a boolean parameter accepts (src/plugin-api/parameters.ts), in any letter case. */
function anyCase(words: string[]): string {
  const letters = (w: string) => [...w].map((c) => (/[a-z]/.test(c) ? `[${c}${c.toUpperCase()}]` : c)).join('');
  return `^(?:${words.map(letters).join('|')})$`;
}

/** What raito.yml may hold for each parameter type, as the coercion in src/plugin-api/parameters.ts reads it. */
const parameterTypeSchemas: Record<ParameterType, JsonSchema> = {
  string: { type: ['string', 'number', 'boolean'] },
  boolean: { anyOf: [{ type: 'boolean' }, { enum: [0, 1] }, { type: 'string', pattern: anyCase(['true', 'yes', '1', 'false', 'no', '0']) }, placeholder] },
  integer: { anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^\\s*-?\\d+\\s*$' }, placeholder] },
  list: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: ['string', 'number', 'boolean'] } }] },
  'regex-list': { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
};

function parameterSchema(spec: ParameterSpec): JsonSchema {
  const facts = [spec.type === 'list' ? 'Comma-separated list.' : spec.type === 'regex-list' ? 'Comma-separated regular expressions, each matched against the whole name.' : undefined, spec.mandatory ? 'Mandatory.' : undefined];
  return {
    description: [spec.description, ...facts].filter(Boolean).join(' '),
    ...parameterTypeSchemas[spec.type],
    ...(spec.default === undefined ? {} : { default: spec.default }),
  };
}

/** A key's JSON Schema from the loader's zod schema (its input side: what the file holds), with the hover text. */
function keySchema(schema: z.ZodType, description: string): JsonSchema {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' }) as JsonSchema;
  return { description, ...json };
}

function targetKeySchemas(): Record<string, JsonSchema> {
  const shape = targetSchema.shape as Record<TargetKey, z.ZodType>;
  return Object.fromEntries(TARGET_KEYS.map((key) => [key, keySchema(shape[key], targetDescriptions[key])]));
}

/** A target of one built-in connector: the target keys and exactly that connector's parameters. */
function builtInTarget(plugin: ConnectorPlugin): JsonSchema {
  const names = [plugin.name, ...(plugin.aliases ?? [])];
  const keys = targetKeySchemas();
  return {
    title: `target using the ${plugin.name} connector`,
    type: 'object',
    properties: {
      ...keys,
      'connector-name': { ...keys['connector-name'], enum: names },
      ...Object.fromEntries(plugin.parameters.map((spec) => [spec.name, parameterSchema(spec)])),
    },
    required: ['name', 'connector-name', ...plugin.parameters.filter((s) => s.mandatory && s.default === undefined).map((s) => s.name)],
    additionalProperties: false,
  };
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A target of an external plugin (an npm package): its parameters are its own business. */
function externalTarget(plugins: readonly ConnectorPlugin[]): JsonSchema {
  const builtIns = plugins.flatMap((p) => [p.name, ...(p.aliases ?? [])]);
  const keys = targetKeySchemas();
  return {
    title: 'target using an external connector (npm package)',
    type: 'object',
    // Any name but a built-in's (a lookahead: `not` is less widely supported by editors and validators).
    properties: { ...keys, 'connector-name': { ...keys['connector-name'], pattern: `^(?!(?:${builtIns.map(escapeRegex).join('|')})$)` } },
    required: ['name', 'connector-name'],
  };
}

/** The JSON Schema of raito.yml for the given built-in plugins. */
export function configJsonSchema(plugins: readonly ConnectorPlugin[]): JsonSchema {
  const shape = rootSchema.shape as Record<GlobalKey, z.ZodType>;
  const globals = Object.fromEntries(
    GLOBAL_KEYS.filter((key): key is GlobalKey => key !== 'targets').map((key) => [key, keySchema(shape[key], `${globalDescriptions[key]} Default from the environment variable ${GLOBAL_ENV[key]}.`)]),
  );
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'raito.schema.json',
    title: 'raito.yml of the AWS access connector',
    description: 'Generated from the code by `npm run docs`. {{VAR}} in a value is replaced by the environment variable VAR.',
    type: 'object',
    properties: {
      ...globals,
      targets: {
        description: 'The targets to sync, in order; each names its connector and that connector\'s parameters.',
        type: 'array',
        minItems: 1,
        items: { anyOf: [...plugins.map(builtInTarget), externalTarget(plugins)] },
      },
    },
    required: ['targets'],
    additionalProperties: false,
  };
}

export function configJsonSchemaText(plugins: readonly ConnectorPlugin[]): string {
  return `${JSON.stringify(configJsonSchema(plugins), null, 2)}\n`;
}
