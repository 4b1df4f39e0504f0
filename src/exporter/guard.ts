import { createdByConnector } from './existing-iam.js';
import type { ProviderPlan } from './types.js';

export type GuardDecision = { allowed: true; warning?: string } | { allowed: false; error: string };

/**
 * The safety rule of the export: a resource is only changed or deleted when it carries the tag
 * creator=RAITO. With `aws-export-manage-existing` an untagged resource may be updated (the cloud
 * took it over), never deleted. `what` names the resource in messages (`role SalesReader`).
 */
export function guardChange(what: string, tags: readonly { Key?: string; Value?: string }[] | undefined, action: 'update' | 'delete', manageExisting: boolean): GuardDecision {
  if (createdByConnector(tags)) return { allowed: true };
  if (action === 'update' && manageExisting) {
    return { allowed: true, warning: `${what} was not created by the connector (no tag creator=RAITO); it was updated because aws-export-manage-existing is true` };
  }
  if (action === 'delete') return { allowed: false, error: `${what} was not created by the connector (no tag creator=RAITO): it is never deleted, nothing was sent` };
  return {
    allowed: false,
    error: `${what} was not created by the connector (no tag creator=RAITO): it is not changed, nothing was sent (set aws-export-manage-existing: true to let the export update resources the cloud has taken over)`,
  };
}

/** Records a guard decision on the plan (its error, or its warning); true when the change may be planned. */
export function passesGuard(plan: ProviderPlan, decision: GuardDecision): boolean {
  if (!decision.allowed) {
    plan.errors.push(decision.error);
    return false;
  }
  if (decision.warning) plan.warnings.push(decision.warning);
  return true;
}
