import { writeFileSync } from 'node:fs';
import { contractSchemas, jsonSchemaText } from './json-schemas.js';

// `npm run schemas`: regenerates docs/schemas/ from the zod schemas (the single source of truth).
const dir = new URL('../../docs/schemas/', import.meta.url);
for (const [name, schema] of Object.entries(contractSchemas)) {
  writeFileSync(new URL(`${name}.schema.json`, dir), jsonSchemaText(name, schema));
}
console.log(`wrote ${Object.keys(contractSchemas).length} JSON Schemas to docs/schemas/`);
