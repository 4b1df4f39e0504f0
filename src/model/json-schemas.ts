import { z } from 'zod';
import { AccessProvider, AccessProviderFeedback, AccessProviderToExport } from './access-provider.js';
import { DataObject } from './data-object.js';
import { Group, User } from './identity.js';
import { Manifest } from './manifest.js';
import { DataSourceMetadata } from './metadata.js';
import { RunSummary } from './run-summary.js';
import { UsageStatement } from './usage.js';

/** Every record of the contract, by the file name of its JSON Schema in docs/schemas/. */
export const contractSchemas: Record<string, z.ZodType> = {
  'data-object': DataObject,
  user: User,
  group: Group,
  'access-provider': AccessProvider,
  'access-provider-to-export': AccessProviderToExport,
  'access-provider-feedback': AccessProviderFeedback,
  'usage-statement': UsageStatement,
  'data-source-metadata': DataSourceMetadata,
  manifest: Manifest,
  'run-summary': RunSummary,
};

/** The JSON Schema text of one record, as written to docs/schemas/<name>.schema.json. */
export function jsonSchemaText(name: string, schema: z.ZodType): string {
  // Input shape: what a producer may write (defaults are optional there).
  const json = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' });
  return `${JSON.stringify({ $id: `${name}.schema.json`, title: name, ...json }, null, 2)}\n`;
}
