import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contractSchemas, jsonSchemaText } from '../../src/model/json-schemas.js';

describe('the JSON Schemas in docs/schemas/', () => {
  it.each(Object.entries(contractSchemas))('%s.schema.json matches the zod schema (run `npm run schemas` after changing src/model)', (name, schema) => {
    const onDisk = readFileSync(new URL(`../../docs/schemas/${name}.schema.json`, import.meta.url), 'utf8');
    expect(onDisk).toBe(jsonSchemaText(name, schema));
  });
});
