import type { CallCounter } from '../plugin-api/call-counter.js';
import { escapeLine } from '../text/terminal.js';
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
  /** What to do about the error (grant a permission, log in); printed once per target however many syncs share it. */
  hint?: string;
}

/** What one target run did, for the summary on stdout. */
export interface TargetSummary {
  target: string;
  connector: string;
  ok: boolean;
  /** The run was stopped by a signal before this target finished (or started). */
  stopped?: boolean;
  /** Where the run went (a folder or a sync id), when it was committed. */
  location?: string;
  error?: string;
  /** The run id (directory target folder, sync API Idempotency-Key), once the target started. */
  runId?: string;
  /** The sync API's id for this run; the directory target has none. */
  syncId?: string;
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

function outcome(t: TargetSummary): string {
  if (t.stopped) return 'STOPPED';
  return t.ok ? 'succeeded' : 'FAILED';
}

/**
 * A plain-text table: readable in a terminal and in CI logs. Every value from outside (target
 * names from raito.yml, server and AWS messages) is escaped: it cannot move the cursor or forge a line.
 */
export function formatSummary(targets: TargetSummary[]): string {
  const lines: string[] = [];
  const e = escapeLine;
  for (const t of targets) {
    lines.push(`Target ${e(t.target)} (${e(t.connector)}): ${outcome(t)} in ${seconds(t.durationMs)}`);
    // The server's status ("sync 42 completed") must not read like success when a sync failed.
    if (t.location) lines.push(t.ok ? `  written to ${e(t.location)}` : `  committed with incomplete streams to ${e(t.location)}`);
    if (t.error) lines.push(`  error: ${e(t.error)}`);
    for (const s of t.syncs) {
      lines.push(`  ${e(s.sync).padEnd(16)} ${s.ok ? 'ok    ' : 'FAILED'} ${seconds(s.durationMs).padStart(7)}${s.error ? `  ${e(s.error)}` : ''}`);
    }
    for (const hint of new Set(t.syncs.flatMap((s) => (s.hint ? [s.hint] : [])))) lines.push(`  hint: ${e(hint)}`);
    if (t.streams.length > 0) {
      lines.push(`  ${'stream'.padEnd(26)}${'records'.padStart(10)}${'warnings'.padStart(10)}  complete`);
      for (const s of t.streams) {
        lines.push(`  ${e(s.name).padEnd(26)}${String(s.records).padStart(10)}${String(s.warnings.length).padStart(10)}  ${s.complete ? 'yes' : 'NO'}`);
      }
      for (const s of t.streams) for (const w of s.warnings) lines.push(`  warning (${e(s.name)}): ${e(w)}`);
    }
    if (t.export) lines.push(...formatExport(t.export));
    const calls = t.calls.entries();
    if (calls.length > 0) {
      lines.push(`  AWS calls (${t.calls.total}):`);
      for (const [operation, n] of calls) lines.push(`    ${e(operation).padEnd(48)}${String(n).padStart(8)}`);
    }
    lines.push('');
  }
  const stopped = targets.filter((t) => t.stopped);
  if (stopped.length > 0) lines.push(`Run stopped: ${stopped.length} target(s) not finished, nothing of them was committed.`, '');
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
