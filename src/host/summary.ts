import type { CallCounter } from '../plugin-api/call-counter.js';
import type { AccessExportReport } from '../plugin-api/contract.js';

export interface StreamSummary {
  name: string;
  records: number;
  warnings: string[];
  complete: boolean;
}

export interface SyncSummary {
  sync: string;
  ok: boolean;
  durationMs: number;
  error?: string;
}

/** What one target run did, for the summary on stdout. */
export interface TargetSummary {
  target: string;
  connector: string;
  ok: boolean;
  /** Where the run went (a folder or a sync id), when it was committed. */
  location?: string;
  error?: string;
  durationMs: number;
  syncs: SyncSummary[];
  streams: StreamSummary[];
  calls: CallCounter;
  /** What the access export planned or did, when the plugin exports. */
  export?: AccessExportReport;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** A plain-text table: readable in a terminal and in CI logs. */
export function formatSummary(targets: TargetSummary[]): string {
  const lines: string[] = [];
  for (const t of targets) {
    lines.push(`Target ${t.target} (${t.connector}): ${t.ok ? 'succeeded' : 'FAILED'} in ${seconds(t.durationMs)}`);
    if (t.location) lines.push(`  written to ${t.location}`);
    if (t.error) lines.push(`  error: ${t.error}`);
    for (const s of t.syncs) {
      lines.push(`  ${s.sync.padEnd(16)} ${s.ok ? 'ok    ' : 'FAILED'} ${seconds(s.durationMs).padStart(7)}${s.error ? `  ${s.error}` : ''}`);
    }
    if (t.streams.length > 0) {
      lines.push(`  ${'stream'.padEnd(26)}${'records'.padStart(10)}${'warnings'.padStart(10)}  complete`);
      for (const s of t.streams) {
        lines.push(`  ${s.name.padEnd(26)}${String(s.records).padStart(10)}${String(s.warnings.length).padStart(10)}  ${s.complete ? 'yes' : 'NO'}`);
      }
      for (const s of t.streams) for (const w of s.warnings) lines.push(`  warning (${s.name}): ${w}`);
    }
    if (t.export) lines.push(...formatExport(t.export));
    const calls = t.calls.entries();
    if (calls.length > 0) {
      lines.push(`  AWS calls (${t.calls.total}):`);
      for (const [operation, n] of calls) lines.push(`    ${operation.padEnd(48)}${String(n).padStart(8)}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

const OUTCOMES = ['created', 'updated', 'deleted', 'unchanged', 'failed'] as const;

/** The export's counts per type (and on a dry run the plan table), as part of a target's summary. */
function formatExport(report: AccessExportReport): string[] {
  const lines: string[] = [];
  if (report.dryRun) lines.push(...report.planTable.trimEnd().split('\n').map((l) => `  ${l}`));
  lines.push(`  ${`access export${report.dryRun ? ' (dry run, planned)' : ''}`.padEnd(34)}${OUTCOMES.map((o) => o.padStart(10)).join('')}`);
  for (const [type, counts] of Object.entries(report.counts).sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`    ${type.padEnd(32)}${OUTCOMES.map((o) => String(counts[o] ?? 0).padStart(10)).join('')}`);
  }
  lines.push(`    eventual-consistency retries: ${report.consistencyRetries}`);
  return lines;
}
