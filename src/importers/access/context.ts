import type { StreamSink, SyncContext } from '../../plugin-api/contract.js';
import { getState, stateKey } from '../../plugin-api/shared-state.js';
import type { AccessProvider, AccessProviderType } from '../../model/index.js';
import type { EvaluationContext, KnownIdentities } from '../../policy/index.js';

/** Figures of one access import, for the log line and the bench. */
export interface AccessImportStats {
  providers: Partial<Record<AccessProviderType, number>>;
  denyProviders: number;
  /** Time spent parsing and evaluating policy documents (ms). */
  policyMs: number;
  documents: number;
  /** Documents that could not be read (each is a reason on its access provider). */
  unreadableDocuments: number;
  /** Actions of other services than S3 that the imported policies name (left out of `what`). */
  otherServiceActions: number;
  excludedRoles: number;
  excludedPolicies: number;
}

/** Everything one access import works with, handed to each importer. */
export interface AccessImport {
  sync: SyncContext;
  sink: StreamSink<AccessProvider>;
  accountId: string;
  evaluation: EvaluationContext;
  known: KnownIdentities;
  stats: AccessImportStats;
  /** AWSReservedSSO_ role name -> externalId of its permission set, when permission sets are imported. */
  ssoRoles?: ReadonlyMap<string, string>;
}

export const ACCESS_STATS_KEY = stateKey<AccessImportStats>('access-import:stats');

export function newStats(): AccessImportStats {
  return { providers: {}, denyProviders: 0, policyMs: 0, documents: 0, unreadableDocuments: 0, otherServiceActions: 0, excludedRoles: 0, excludedPolicies: 0 };
}

/** The figures of the last access import of this target run (bench, summary). */
export function accessImportStats(ctx: SyncContext): AccessImportStats | undefined {
  return getState(ctx, ACCESS_STATS_KEY);
}

/** externalIds: `role:<RoleName>`; the deny side of any provider is `<externalId>#deny`. */
export function roleExternalId(name: string): string {
  return `role:${name}`;
}
