import { z } from 'zod';
import { Tag } from './common.js';

export const DataObjectType = z.enum(['datasource', 'bucket', 'folder', 'file', 'glue-table', 'column']);
export type DataObjectType = z.infer<typeof DataObjectType>;

/**
 * One node of the data object tree. Full names: `<account>` for the datasource, then
 * `<account>:<region>:<bucket>[/<path>]` with the bucket's real region.
 */
export const DataObject = z.object({
  externalId: z.string().min(1),
  name: z.string().min(1),
  fullName: z.string().min(1),
  type: DataObjectType,
  description: z.string().optional(),
  parentExternalId: z.string().optional(),
  tags: z.array(Tag).optional(),
  dataType: z.string().optional(),
});
export type DataObject = z.infer<typeof DataObject>;
