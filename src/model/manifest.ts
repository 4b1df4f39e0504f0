import { z } from 'zod';

export const StreamName = z.enum([
  'data-objects',
  'users',
  'groups',
  'access-providers',
  'access-provider-feedback',
  'data-usage',
]);
export type StreamName = z.infer<typeof StreamName>;

export const StreamEntry = z.object({
  name: StreamName,
  file: z.string(),
  records: z.number().int().nonnegative(),
  /** Size of the gzip file as stored and uploaded. */
  bytes: z.number().int().nonnegative(),
  /** Hex sha256 of the gzip file. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** False when the stream did not finish: never treat it as a full snapshot. */
  complete: z.boolean(),
  warnings: z.array(z.string()),
});
export type StreamEntry = z.infer<typeof StreamEntry>;

export const Manifest = z.object({
  target: z.string(),
  connector: z.string(),
  connectorVersion: z.string(),
  runId: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  dataSourceId: z.string().optional(),
  identityStoreId: z.string().optional(),
  streams: z.array(StreamEntry),
  metadataFile: z.string().optional(),
});
export type Manifest = z.infer<typeof Manifest>;
