import { z } from 'zod';

/** A key/value label with the system it came from (for example `aws-iam`, `aws-s3`, `aws-glue`). */
export const Tag = z.object({
  key: z.string(),
  value: z.string(),
  source: z.string(),
});
export type Tag = z.infer<typeof Tag>;

/** The three coarse permissions every fine-grained permission maps to. */
export const GlobalPermission = z.enum(['read', 'write', 'admin']);
export type GlobalPermission = z.infer<typeof GlobalPermission>;

/** How a record points at a data object: by full name and type. */
export const DataObjectReference = z.object({
  fullName: z.string().min(1),
  type: z.string().min(1),
});
export type DataObjectReference = z.infer<typeof DataObjectReference>;
