import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createSyncContext } from '../src/host/sync-context.js';
import { coerceParameters } from '../src/plugin-api/parameters.js';
import type { AwsInterceptor, ConnectorPlugin, StreamSink, SyncContext, SyncKind, SyncOutputs } from '../src/plugin-api/contract.js';
import { streamSchemas, type StreamName } from '../src/model/index.js';
import { JsonlSpool } from '../src/streams/spool.js';
import type { BenchResult } from './types.js';
import { peakRssKb } from './peak-rss.js';

/** A SyncContext as the host makes it, with the plugin's parameters coerced and defaults applied. */
export function benchContext(plugin: ConnectorPlugin, raw: Record<string, unknown>, awsInterceptor: AwsInterceptor | undefined, syncs: SyncKind[]): SyncContext {
  const { params, problems } = coerceParameters(plugin.parameters, raw);
  if (problems.length > 0) throw new Error(problems.map((p) => `${p.parameter}: ${p.message}`).join('; '));
  return createSyncContext({ targetName: 'bench', params, logger: pino({ level: 'silent' }), signal: new AbortController().signal, syncs: new Set(syncs), dryRun: false, awsInterceptor });
}

/** Real spools (gzip JSONL in a temp folder, validated), so the bench pays what a run pays. */
export function benchOutputs(): { out: SyncOutputs; finish(): Promise<Partial<Record<StreamName, { records: number; bytes: number; complete: boolean }>>> } {
  const dir = mkdtempSync(join(tmpdir(), 'connector-bench-'));
  const names: StreamName[] = ['data-objects', 'users', 'groups', 'access-providers', 'access-provider-feedback', 'data-usage'];
  const spools = names.map((stream) => new JsonlSpool<unknown>({ dir, stream, schema: streamSchemas[stream] as never }));
  const out = Object.fromEntries(names.map((n, i) => [n, spools[i] as StreamSink<unknown>])) as unknown as SyncOutputs;
  return {
    out,
    async finish() {
      const streams: Partial<Record<StreamName, { records: number; bytes: number; complete: boolean }>> = {};
      for (const spool of spools) {
        const s = await spool.finish();
        if (s.records > 0) streams[s.name] = { records: s.records, bytes: s.bytes, complete: s.complete };
      }
      rmSync(dir, { recursive: true, force: true });
      return streams;
    },
  };
}

/** Wall time, CPU time and peak RSS around a scenario body. */
export async function measure(scenario: string, ctx: SyncContext, body: () => Promise<Record<string, string | number>>): Promise<BenchResult> {
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const figures = await body();
  const wallMs = Math.round(performance.now() - started);
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = Math.round((cpu.user + cpu.system) / 1000);
  return { scenario, wallMs, cpuMs, peakRssMb: Math.round(peakRssKb() / 1024), calls: ctx.calls.toJSON(), figures };
}

/** Lets a compiled scenario file run on its own: prints its result as one JSON line. */
export async function runIfMain(url: string, scenario: () => Promise<BenchResult>): Promise<void> {
  if (process.argv[1] && url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
    process.stdout.write(`${JSON.stringify(await scenario())}\n`);
  }
}
