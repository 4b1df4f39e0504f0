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
});
