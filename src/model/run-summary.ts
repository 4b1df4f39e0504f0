import { z } from 'zod';

/**
 * The run summary as one JSON document (`--summary-file`, `--output json`): what a scheduler or
 * CI step reads to decide whether the run is good, instead of parsing the text table.
 */
const count = z.number().int().nonnegative();

export const RunSummaryStream = z.object({
  name: z.string().meta({ description: 'Stream name, e.g. data-objects.' }),
  records: count.meta({ description: 'Records written to the stream.' }),
  warnings: z.array(z.string()).meta({ description: 'Warnings on the stream (also in the manifest).' }),
  complete: z.boolean().meta({ description: 'False when the stream does not hold everything: never a full snapshot.' }),
});

export const RunSummarySync = z.object({
  sync: z.string().meta({ description: 'data-source, identity-store, data-access or data-usage.' }),
  status: z.enum(['succeeded', 'failed']),
  durationMs: count,
  error: z.string().optional().meta({ description: 'Why the sync failed, with the hint for the user.' }),
  streams: z.array(RunSummaryStream).meta({ description: 'The streams this sync wrote.' }),
});

export const RunSummaryTarget = z.object({
  target: z.string(),
  connector: z.string(),
  status: z.enum(['succeeded', 'failed', 'stopped']).meta({ description: 'stopped: a signal (SIGTERM, SIGINT) stopped the run before this target finished.' }),
  runId: z.string().optional().meta({ description: 'The run id (folder name of the directory target, Idempotency-Key of the sync API). Absent when the target did not start.' }),
  syncId: z.string().optional().meta({ description: 'The id the sync API gave the sync; absent for the directory target.' }),
  location: z.string().optional().meta({ description: 'Where the run went (a folder, or the sync id and its final state), once committed.' }),
  error: z.string().optional().meta({ description: 'Why the target failed as a whole.' }),
  durationMs: count,
  syncs: z.array(RunSummarySync),
  awsCalls: z
    .object({
      total: count.meta({ description: 'Calls sent (a retried call counts once).' }),
      retries: count.meta({ description: 'Retried attempts, all operations together.' }),
      byOperation: z.record(z.string(), count).meta({ description: 'Calls by Service.Operation; Service.Operation#retry counts the retried attempts of one operation.' }),
    })
    .meta({ description: 'Calls to AWS made by this target.' }),
  export: z
    .object({
      dryRun: z.boolean().meta({ description: 'True when the export was only planned (--dry-run).' }),
      counts: z.record(z.string(), z.record(z.string(), count)).meta({ description: 'Access providers per type and outcome (created, updated, deleted, unchanged, failed); on a dry run the planned outcome.' }),
      failed: count.meta({ description: 'Access providers that could not be exported (the run exits 1 when not 0).' }),
      consistencyRetries: count.meta({ description: 'Calls retried while AWS caught up with a create.' }),
    })
    .optional()
    .meta({ description: 'What the access export planned or did, when the connector exported.' }),
});

export const RunSummary = z.object({
  connectorVersion: z.string(),
  command: z.string().meta({ description: 'The command that ran: run or demo.' }),
  status: z.enum(['succeeded', 'failed']),
  exitCode: z.number().int().meta({ description: 'The exit code of the process: 0 every sync succeeded, 1 a sync or target failed.' }),
  startedAt: z.string().meta({ description: 'ISO timestamp.' }),
  finishedAt: z.string().meta({ description: 'ISO timestamp.' }),
  durationMs: count,
  dryRun: z.boolean(),
  error: z.string().optional().meta({ description: 'Why the run stopped before its targets ran (a configuration or usage error, exit code 2).' }),
  targets: z.array(RunSummaryTarget),
});
export type RunSummary = z.infer<typeof RunSummary>;
export type RunSummaryTarget = z.infer<typeof RunSummaryTarget>;
