import { Option, type Command } from 'commander';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ExitCode, errorMessage } from '../errors.js';
import { formatSummary, type TargetSummary } from '../host/summary.js';
import { RunSummary, type RunSummaryTarget } from '../model/run-summary.js';
import { syncStreams, type SyncKind } from '../plugin-api/contract.js';
import { writeFileAtomic } from '../streams/index.js';
import { connectorVersion } from '../version.js';
import { callTotals } from './progress.js';

/** How `run` and `demo` report: the summary's format on stdout, a JSON copy in a file, the progress line. */
export interface ReportFlags {
  output?: 'text' | 'json';
  summaryFile?: string;
  /** Commander's `--no-progress` sets this to false. */
  progress?: boolean;
}

export function addReportOptions(command: Command): Command {
  return command
    .addOption(new Option('-o, --output <format>', 'the summary on stdout as text or as one JSON document').choices(['text', 'json']).default('text'))
    .option('--summary-file <path>', 'also write the summary as one JSON document to this file (schema: docs/schemas/run-summary.schema.json)')
    .option('--no-progress', 'no live progress line on stderr (there is none anyway when stderr is not a terminal)');
}

export interface RunFacts {
  command: string;
  dryRun: boolean;
  startedAt: Date;
  finishedAt: Date;
  exitCode: number;
  /** Why the run stopped before its targets ran. */
  error?: string;
}

function streamsOf(target: TargetSummary, sync: string) {
  const names: readonly string[] = syncStreams[sync as SyncKind] ?? [];
  return target.streams.filter((s) => names.includes(s.name)).map(({ name, records, warnings, complete }) => ({ name, records, warnings, complete }));
}

/** The export's counts as the access export reports them to the host (TargetSummary.export, set by the access sync that exports). */
interface ExportReport {
  dryRun: boolean;
  counts: Record<string, Partial<Record<string, number>>>;
  failed: number;
  consistencyRetries: number;
}

function exportCounts(t: TargetSummary): RunSummaryTarget['export'] {
  const report = (t as TargetSummary & { export?: ExportReport }).export;
  if (!report) return undefined;
  const counts = Object.fromEntries(
    Object.entries(report.counts).map(([type, outcomes]) => [type, Object.fromEntries(Object.entries(outcomes).filter((e): e is [string, number] => e[1] !== undefined))]),
  );
  return { dryRun: report.dryRun, counts, failed: report.failed, consistencyRetries: report.consistencyRetries };
}

function targetSummary(t: TargetSummary): RunSummaryTarget {
  const { total, retries } = callTotals(t.calls);
  const exported = exportCounts(t);
  return {
    target: t.target,
    connector: t.connector,
    status: t.stopped ? 'stopped' : t.ok ? 'succeeded' : 'failed',
    ...(t.runId === undefined ? {} : { runId: t.runId }),
    ...(t.syncId === undefined ? {} : { syncId: t.syncId }),
    ...(t.location === undefined ? {} : { location: t.location }),
    ...(t.error === undefined ? {} : { error: t.error }),
    durationMs: t.durationMs,
    syncs: t.syncs.map((s) => ({
      sync: s.sync,
      status: s.ok ? 'succeeded' : 'failed',
      durationMs: s.durationMs,
      ...(s.error === undefined ? {} : { error: s.error }),
      streams: streamsOf(t, s.sync),
    })),
    awsCalls: { total, retries, byOperation: t.calls.toJSON() },
    ...(exported === undefined ? {} : { export: exported }),
  };
}

/** The run summary as one JSON document, checked against its own schema (docs/schemas/run-summary.schema.json). */
export function runSummaryDocument(targets: TargetSummary[], facts: RunFacts): RunSummary {
  return RunSummary.parse({
    connectorVersion,
    command: facts.command,
    status: facts.exitCode === ExitCode.ok ? 'succeeded' : 'failed',
    exitCode: facts.exitCode,
    startedAt: facts.startedAt.toISOString(),
    finishedAt: facts.finishedAt.toISOString(),
    durationMs: facts.finishedAt.getTime() - facts.startedAt.getTime(),
    dryRun: facts.dryRun,
    ...(facts.error === undefined ? {} : { error: facts.error }),
    targets: targets.map(targetSummary),
  });
}

/**
 * Prints the summary (text or JSON) and writes the summary file. A summary file that cannot be
 * written fails the run: the job that reads it would otherwise see nothing, or an old one.
 */
export async function writeResults(targets: TargetSummary[], facts: RunFacts, flags: ReportFlags, cwd = process.cwd()): Promise<number> {
  const document = runSummaryDocument(targets, facts);
  const json = `${JSON.stringify(document, null, 2)}\n`;
  process.stdout.write(flags.output === 'json' ? json : formatSummary(targets));
  if (!flags.summaryFile) return facts.exitCode;
  const file = resolve(cwd, flags.summaryFile);
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFileAtomic(file, json);
    return facts.exitCode;
  } catch (err) {
    process.stderr.write(`Error: cannot write the summary file ${file}: ${errorMessage(err)}\nHint: give --summary-file a path the connector may write to\n`);
    return facts.exitCode === ExitCode.ok ? ExitCode.syncFailed : facts.exitCode;
  }
}

/**
 * A run that stopped before its targets (a configuration or usage error, already reported on
 * stderr) still leaves its JSON summary when one was asked for, so the job reading it sees why.
 */
export async function writeStoppedRun(exitCode: number, err: unknown, flags: ReportFlags & { command: string; dryRun?: boolean }, startedAt: Date): Promise<number> {
  if (flags.output !== 'json' && !flags.summaryFile) return exitCode;
  return writeResults([], { command: flags.command, dryRun: flags.dryRun ?? false, startedAt, finishedAt: new Date(), exitCode, error: errorMessage(err) }, flags);
}
