import { z } from 'zod';
import { Tag } from './common.js';

export const User = z.object({
  externalId: z.string().min(1),
  name: z.string().min(1),
  userName: z.string().min(1),
  /** The person's display name, where the identity store keeps one (Identity Center). */
  displayName: z.string().optional(),
  email: z.string().optional(),
  groupExternalIds: z.array(z.string()).optional(),
  tags: z.array(Tag).optional(),
  isMachine: z.boolean().optional(),
});
export type User = z.infer<typeof User>;

export const Group = z.object({
  externalId: z.string().min(1),
  name: z.string().min(1),
  displayName: z.string().min(1),
  description: z.string().optional(),
  parentGroupExternalIds: z.array(z.string()).optional(),
  tags: z.array(Tag).optional(),
});
export type Group = z.infer<typeof Group>;
