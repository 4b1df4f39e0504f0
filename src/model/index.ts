export * from './common.js';
export * from './data-object.js';
export * from './identity.js';
export * from './access-provider.js';
export * from './usage.js';
export * from './metadata.js';
export * from './manifest.js';

import { AccessProvider, AccessProviderFeedback } from './access-provider.js';
import { DataObject } from './data-object.js';
import { Group, User } from './identity.js';
import type { StreamName } from './manifest.js';
import { UsageStatement } from './usage.js';

/** The schema of the records of each stream: the JSONL contract. */
export const streamSchemas = {
  'data-objects': DataObject,
  users: User,
  groups: Group,
  'access-providers': AccessProvider,
  'access-provider-feedback': AccessProviderFeedback,
  'data-usage': UsageStatement,
} as const satisfies Record<StreamName, unknown>;
