import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { configJsonSchema, configJsonSchemaText } from '../../src/config/json-schema.js';
import type { ConnectorPlugin } from '../../src/plugin-api/contract.js';
import { builtInPlugins } from '../../src/plugins/index.js';

const file = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

/** The published schema, read back into a validator (zod reads JSON Schema), so the test judges the file itself. */
function validator(schema: Record<string, unknown> = JSON.parse(file('docs/schemas/raito.schema.json')) as Record<string, unknown>) {
  return z.fromJSONSchema(schema as never);
}

const valid = (doc: unknown, schema?: Record<string, unknown>) => validator(schema).safeParse(doc).success;

describe('docs/schemas/raito.schema.json (the editor schema of raito.yml)', () => {
  it('is what `npm run docs` generates from the loader and the built-in plugins (no drift)', () => {
    expect(file('docs/schemas/raito.schema.json')).toBe(configJsonSchemaText(builtInPlugins));
  });

  it('accepts raito.example.yml as it is written', () => {
    expect(validator().safeParse(parse(file('raito.example.yml'))).error).toBeUndefined();
  });

  it('describes every parameter of every built-in connector with its type, default and description', () => {
    const items = (configJsonSchema(builtInPlugins).properties as { targets: { items: { anyOf: { properties: Record<string, { description: string; default?: unknown }> }[] } } }).targets.items.anyOf;
    builtInPlugins.forEach((plugin, i) => {
      const properties = items[i]!.properties;
      for (const spec of plugin.parameters) {
        expect(properties[spec.name]?.description, spec.name).toContain(spec.description);
        expect(properties[spec.name]?.default, spec.name).toEqual(spec.default);
      }
    });
  });

  it('rejects what the loader rejects: unknown keys, a parameter of the wrong type, a target without connector-name', () => {
    const target = { name: 'prod', 'connector-name': 'aws-account', 'aws-regions': 'eu-central-1' };
    expect(valid({ targets: [target] })).toBe(true);
    expect(valid({ targets: [{ ...target, 'aws-regoins': 'eu-central-1' }] })).toBe(false);
    expect(valid({ targets: [{ ...target, 'aws-concurrency': 'many' }] })).toBe(false);
    expect(valid({ targets: [{ ...target, 'aws-s3-enabled': 'maybe' }] })).toBe(false);
    expect(valid({ targets: [{ name: 'prod' }] })).toBe(false);
    expect(valid({ 'api-uri': 'https://x', targets: [target] })).toBe(false);
    expect(valid({ targets: [] })).toBe(false);
  });

  it('accepts the value forms the loader accepts: text booleans and numbers, {{VAR}}, lists as YAML lists', () => {
    const target = { name: 'prod', 'connector-name': 'raito-io/cli-plugin-aws-account' };
    expect(valid({ targets: [{ ...target, 'aws-s3-enabled': 'Yes', 'aws-concurrency': '8', 'aws-regions': ['eu-central-1', 'us-east-1'] }] })).toBe(true);
    expect(valid({ targets: [{ ...target, 'aws-s3-enabled': '{{S3_ON}}', 'aws-concurrency': 8, 'aws-account-id': 111122223333 }] })).toBe(true);
  });

  it('leaves the parameters of an external connector to that connector', () => {
    expect(valid({ targets: [{ name: 'x', 'connector-name': '@acme/raito-plugin', 'anything-it-wants': 1 }] })).toBe(true);
  });

  it('picks up a parameter a plugin adds, without editing the schema by hand', () => {
    const plugin = builtInPlugins[0]!;
    const extended: ConnectorPlugin = { ...plugin, parameters: [...plugin.parameters, { name: 'aws-new-switch', type: 'boolean', default: false, description: 'A switch added later.' }] };
    const schema = configJsonSchema([extended]);
    const target = { name: 'prod', 'connector-name': 'aws-account', 'aws-new-switch': true };
    expect(valid({ targets: [target] }, schema)).toBe(true);
    expect(valid({ targets: [target] })).toBe(false);
  });
});
