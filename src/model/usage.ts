import { z } from 'zod';
import { DataObjectReference, GlobalPermission } from './common.js';

export const UsageStatement = z.object({
  externalId: z.string().min(1),
  accessedDataObjects: z.array(
    z.object({
      dataObject: DataObjectReference,
      permissions: z.array(z.string()),
      globalPermission: GlobalPermission,
    }),
  ),
  user: z.string().optional(),
  role: z.string().optional(),
  success: z.boolean(),
  status: z.string().optional(),
  /** Milliseconds since the epoch. */
  startTime: z.number().int(),
  endTime: z.number().int().optional(),
  bytes: z.number().int().nonnegative().optional(),
});
export type UsageStatement = z.infer<typeof UsageStatement>;
