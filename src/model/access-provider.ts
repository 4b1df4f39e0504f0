import { z } from 'zod';
import { DataObjectReference, Tag } from './common.js';

export const AccessProviderType = z.enum([
  'aws_role',
  'aws_policy',
  'aws_inline_policy',
  'aws_access_point',
  'aws_bucket_policy',
  'aws_sso_role',
]);
export type AccessProviderType = z.infer<typeof AccessProviderType>;

export const AccessAction = z.enum(['grant', 'deny']);
export type AccessAction = z.infer<typeof AccessAction>;

/** Permissions on one data object. `conditional` marks permissions that only hold when a policy condition is met. */
export const WhatItem = z.object({
  dataObject: DataObjectReference,
  permissions: z.array(z.string()),
  conditional: z.boolean().optional(),
});
export type WhatItem = z.infer<typeof WhatItem>;

export const LockKind = z.enum(['who', 'what', 'name', 'delete', 'inheritance']);
export type LockKind = z.infer<typeof LockKind>;

export const Lock = z.object({ lock: LockKind, reason: z.string() });
export type Lock = z.infer<typeof Lock>;

/** When the AWS entity behind an access provider was last used (IAM roles: RoleLastUsed). */
export const LastUsed = z
  .object({
    date: z.string().min(1).describe('When the entity was last used (ISO 8601). IAM tracks roles over a trailing 400 days.'),
    region: z.string().optional().describe('The region of that last use.'),
  })
  .describe('Last use of the AWS entity (aws_role: from RoleLastUsed). Absent when AWS has no record of a use.');
export type LastUsed = z.infer<typeof LastUsed>;

/** An access control read back from AWS (import). */
export const AccessProvider = z.object({
  externalId: z.string().min(1),
  name: z.string().min(1),
  type: AccessProviderType,
  action: AccessAction,
  description: z.string().optional(),
  /** `users` and `groups` hold identity names (as the cloud matches them); `accessProviders` holds access provider externalIds. */
  who: z.object({
    users: z.array(z.string()),
    groups: z.array(z.string()),
    accessProviders: z.array(z.string()),
  }),
  what: z.array(WhatItem),
  /** True when the connector could not express everything the AWS entity grants; `reasons` says why. */
  incomplete: z.boolean(),
  reasons: z.array(z.string()),
  locks: z.array(Lock).optional(),
  notInternalizable: z.boolean().optional(),
  tags: z.array(Tag).optional(),
  actualName: z.string(),
  lastUsed: LastUsed.optional(),
});
export type AccessProvider = z.infer<typeof AccessProvider>;

/** An access control decided in the cloud, to be written into AWS (export input). */
export const AccessProviderToExport = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  description: z.string().optional(),
  namingHint: z.string().optional(),
  type: AccessProviderType.optional(),
  externalId: z.string().optional(),
  action: AccessAction,
  who: z.object({
    users: z.array(z.string()).default([]),
    groups: z.array(z.string()).default([]),
    inheritFrom: z.array(z.string()).default([]),
  }),
  deletedWho: z
    .object({
      users: z.array(z.string()).default([]),
      groups: z.array(z.string()).default([]),
      inheritFrom: z.array(z.string()).default([]),
    })
    .optional(),
  delete: z.boolean().default(false),
  what: z.array(WhatItem).default([]),
  deleteWhat: z.array(WhatItem).optional(),
  actualName: z.string().optional(),
  owners: z.array(z.string()).optional(),
});
export type AccessProviderToExport = z.infer<typeof AccessProviderToExport>;

/** Exactly one per exported access provider: what it became in AWS, or why it could not. */
export const AccessProviderFeedback = z.object({
  accessProvider: z.string().min(1),
  actualName: z.string(),
  externalId: z.string().optional(),
  type: AccessProviderType.optional(),
  errors: z.array(z.string()),
  warnings: z.array(z.string()),
});
export type AccessProviderFeedback = z.infer<typeof AccessProviderFeedback>;
