import type { ExportOutcome } from '../plugin-api/contract.js';
import type { ExportPlan } from './types.js';

/** Outcome counts per type, in a fixed order of outcomes. */
export type ExportCounts = Record<string, Partial<Record<ExportOutcome, number>>>;

export function countOutcomes(outcomes: readonly { type: string; outcome: ExportOutcome }[]): ExportCounts {
  const counts: ExportCounts = {};
  for (const { type, outcome } of outcomes) {
    const row = (counts[type] ??= {});
    row[outcome] = (row[outcome] ?? 0) + 1;
  }
  return counts;
}

const pad = (text: string, width: number) => (text.length >= width ? text : text + ' '.repeat(width - text.length));

/**
 * The plan as a table: one line per resource change (type, resource, action, what changes), one per
 * provider that cannot be applied (its error), and a line for the unchanged ones.
 */
export function formatPlanTable(plan: ExportPlan): string {
  const rows: [string, string, string, string][] = [];
  let unchanged = 0;
  for (const p of plan.providers) {
    if (p.errors.length > 0) {
      rows.push([p.type, p.actualName, 'ERROR', p.errors.join('; ')]);
      continue;
    }
    if (p.changes.length === 0) unchanged++;
    for (const c of p.changes) rows.push([c.type, c.resource, c.action, `${c.changes.join('; ')} (${c.calls.length} call${c.calls.length === 1 ? '' : 's'})`]);
  }
  const header: [string, string, string, string] = ['type', 'resource', 'action', 'what changes'];
  const widths = [0, 1, 2].map((i) => Math.min(48, Math.max(header[i]!.length, ...rows.map((r) => r[i]!.length))));
  const line = (r: string[]) => `  ${pad(r[0]!, widths[0]!)}  ${pad(r[1]!, widths[1]!)}  ${pad(r[2]!, widths[2]!)}  ${r[3]}`;
  const calls = plan.providers.reduce((n, p) => n + (p.errors.length > 0 ? 0 : p.changes.reduce((m, c) => m + c.calls.length, 0)), 0);
  const out = [`Access export plan${plan.dryRun ? ' (dry run: nothing is applied)' : ''}: ${rows.length} line${rows.length === 1 ? '' : 's'}, ${calls} AWS call${calls === 1 ? '' : 's'}, ${unchanged} access provider${unchanged === 1 ? '' : 's'} unchanged`];
  if (rows.length > 0) out.push(line(header), ...rows.map(line));
  return `${out.join('\n')}\n`;
}
