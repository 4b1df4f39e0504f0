import { writeFileSync } from 'node:fs';
import { configJsonSchemaText } from '../config/json-schema.js';
import { contractSchemas, jsonSchemaText } from '../model/json-schemas.js';
import { builtInPlugins } from '../plugins/index.js';
import { parameterTableMarkdown } from './parameters.js';

// `npm run docs`: regenerates what docs/ derives from the code (record schemas, parameter tables).
const docs = new URL('../../docs/', import.meta.url);
for (const [name, schema] of Object.entries(contractSchemas)) {
  writeFileSync(new URL(`schemas/${name}.schema.json`, docs), jsonSchemaText(name, schema));
}
writeFileSync(new URL('schemas/raito.schema.json', docs), configJsonSchemaText(builtInPlugins));
for (const plugin of builtInPlugins) {
  writeFileSync(new URL(`${plugin.name}-parameters.md`, docs), parameterTableMarkdown(plugin));
}
console.log(`wrote ${Object.keys(contractSchemas).length + 1} JSON Schemas and ${builtInPlugins.length} parameter table(s) to docs/`);
