import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parameterTableMarkdown } from '../../src/docs/parameters.js';
import { contractSchemas, jsonSchemaText } from '../../src/model/json-schemas.js';
import { builtInPlugins } from '../../src/plugins/index.js';

const docs = (file: string) => readFileSync(new URL(`../../docs/${file}`, import.meta.url), 'utf8');

describe('docs generated from the code (run `npm run docs` after changing src/model or a parameter)', () => {
  it.each(Object.entries(contractSchemas))('docs/schemas/%s.schema.json matches the zod schema', (name, schema) => {
    expect(docs(`schemas/${name}.schema.json`)).toBe(jsonSchemaText(name, schema));
  });

  it.each(builtInPlugins.map((p) => [p.name, p] as const))('docs/%s-parameters.md lists every declared parameter', (name, plugin) => {
    expect(docs(`${name}-parameters.md`)).toBe(parameterTableMarkdown(plugin));
  });

  // The drift checks above take their expected text from the generator itself; these rows are
  // written out by hand, so a generator that drops a column, a default or a parameter fails here.
  it('the aws-account parameter table has the rows a user reads, with type, mandatory and default', () => {
    const table = docs('aws-account-parameters.md');
    expect(table).toContain('| `aws-concurrency` | integer | no | `5` | The number of AWS API calls made at the same time (1 to 100). |');
    expect(table).toContain('| `aws-connect-timeout` | integer | no | `10` |');
    expect(table).toContain('| `aws-attempt-timeout` | integer | no | `60` |');
    expect(table).toContain('| `aws-s3-exclude-buckets` | list | no |');
  });

  it('the data object schema requires externalId, name, fullName and type', () => {
    const schema = JSON.parse(docs('schemas/data-object.schema.json')) as { required: string[]; properties: Record<string, unknown> };
    expect([...schema.required].sort()).toEqual(['externalId', 'fullName', 'name', 'type']);
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['externalId', 'parentExternalId', 'tags', 'dataType']));
  });
});
