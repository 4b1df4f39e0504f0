import type { AccessProviderFeedback } from '../model/index.js';
import type { ExportOutcome } from '../plugin-api/contract.js';
import type { ProviderPlan } from './types.js';

/** What happened to one provider, for the summary: failed wins, then what its main resource did. */
export function outcomeOf(plan: ProviderPlan, applyErrors: readonly string[]): ExportOutcome {
  if (plan.errors.length > 0 || applyErrors.length > 0) return 'failed';
  if (plan.changes.length === 0) return 'unchanged';
  if (plan.delete) return 'deleted';
  return plan.changes.some((c) => c.action === 'create') ? 'created' : 'updated';
}

/** The one feedback record of a provider: what it became in AWS (or would, on a dry run), or why not. */
export function feedbackOf(plan: ProviderPlan, applyErrors: readonly string[], dryRun: boolean): AccessProviderFeedback {
  const warnings = [...plan.warnings];
  if (dryRun && plan.changes.length > 0 && plan.errors.length === 0) {
    warnings.push(`dry run: ${plan.changes.length} change${plan.changes.length === 1 ? '' : 's'} planned (${plan.changes.map((c) => `${c.action} ${c.resource}`).join(', ')}), nothing was applied`);
  }
  const record: AccessProviderFeedback = { accessProvider: plan.provider, actualName: plan.actualName, type: plan.type, errors: [...plan.errors, ...applyErrors], warnings };
  if (plan.externalId) record.externalId = plan.externalId;
  return record;
}
