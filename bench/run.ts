import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { uptime, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { median, runHttpScenario, spread, type HttpScenarioResult } from './http-run.js';
import type { BenchResult, HttpScenario } from './types.js';

// npm run bench -- [scenario name prefixes...] [--runs N] [--json [file]]
//   --runs N       runs each scenario N times (default 5) and reports medians with min-max
//   --json [file]  writes one JSON document (every scenario, every figure) to the file, or to
//                  stdout instead of the table (the table then goes to stderr)
const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 5;
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number from 1, got "${args[runsAt + 1]}"`);
const jsonAt = args.indexOf('--json');
const json = jsonAt >= 0;
const jsonFile = json && args[jsonAt + 1] !== undefined && !args[jsonAt + 1]!.startsWith('--') ? args[jsonAt + 1] : undefined;
const only = args.filter((a, i) => !a.startsWith('--') && i !== runsAt + 1 && !(jsonFile !== undefined && i === jsonAt + 1));

const dir = fileURLToPath(new URL('./scenarios/', import.meta.url));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.js'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();

/** A scenario that runs the sync in its own process and measures itself (export, cloudtrail-usage): medians over its runs. */
interface InProcessResult {
  scenario: string;
  transport: 'self-measured';
  runs: number;
  wallMs: ReturnType<typeof spread>;
  cpuMs: ReturnType<typeof spread>;
  peakRssMb: ReturnType<typeof spread>;
  calls: Record<string, number>;
  /** The last run's figures, and every run's. */
  figures: Record<string, string | number>;
  figuresByRun: Record<string, string | number>[];
}

const log = (line: string) => {
  if (json && jsonFile === undefined) process.stderr.write(`${line}\n`);
  else console.log(line);
};
const fmt = (s: { median: number; min: number; max: number }) => `${s.median} (${s.min}-${s.max})`;

function printHttp(r: HttpScenarioResult): void {
  log(`\n== ${r.title}   [over HTTP, medians of ${r.runs} runs (min-max)]`);
  log(`   connector: wall ${fmt(r.wallMs)} ms   cpu ${fmt(r.cpuMs)} ms   peak RSS ${fmt(r.peakRssMb)} MB`);
  log(`   bound ${r.boundMs} ms = max(latency ${r.latencyBoundMs} ms, CPU floor ${r.cpuFloorMs.median} ms)`);
  log(`     latency: ${r.pageBoundExplained}: ${r.pages} x ${r.perPageMs} ms / ${r.concurrency}`);
  log(`     CPU floor ${fmt(r.cpuFloorMs)} ms = SDK parse ${fmt(r.parseCpuMs)} + writing the records ${fmt(r.writeCpuMs)}`);
  log(`   ratio: ${r.ratioToBound} to the bound, ${r.ratioToLatencyBound} to latency, ${r.ratioToCpuFloor} to the CPU floor`);
  log(`   connector startup (connector --version) ${fmt(r.startupMs)} ms of the wall; endpoint cpu ${fmt(r.serverCpuMs)} ms (the bench's own process)`);
  log(`   records: ${Object.entries(r.records).map(([k, v]) => `${k} ${v}${r.complete[k] ? '' : ' (INCOMPLETE)'}`).join(', ')}`);
  log(`   AWS calls by operation (counted by the endpoint, last run; total ${fmt(r.totalCalls)}):`);
  for (const [op, n] of Object.entries(r.calls)) log(`     ${op.padEnd(46)}${String(n).padStart(8)}`);
  for (const p of r.problems) log(`   PROBLEM: ${p}`);
}

function runInProcess(file: string): InProcessResult | undefined {
  const results: BenchResult[] = [];
  for (let i = 0; i < runs; i++) {
    const child = spawnSync(process.execPath, [`${dir}${file}`], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const line = child.stdout.trim().split('\n').pop() ?? '';
    if (child.status !== 0 || !line.startsWith('{')) {
      log(`${file}: FAILED (exit ${child.status})\n${child.stderr}`);
      return undefined;
    }
    results.push(JSON.parse(line) as BenchResult);
  }
  const last = results[results.length - 1]!;
  const r: InProcessResult = {
    scenario: last.scenario,
    transport: 'self-measured',
    runs,
    wallMs: spread(results.map((x) => x.wallMs)),
    cpuMs: spread(results.map((x) => x.cpuMs)),
    peakRssMb: spread(results.map((x) => x.peakRssMb)),
    calls: last.calls,
    figures: last.figures,
    figuresByRun: results.map((x) => x.figures),
  };
  log(`\n== ${r.scenario}   [${last.measuredAs ?? 'measured by the scenario in its own process, not as a CLI child with a CPU floor'}; medians of ${runs} runs (min-max)]`);
  log(`   wall ${fmt(r.wallMs)} ms   cpu ${fmt(r.cpuMs)} ms   peak RSS ${fmt(r.peakRssMb)} MB`);
  for (const [k, v] of Object.entries(r.figures)) {
    const values = results.map((x) => x.figures[k]);
    // A number every run reports is shown as the median over the runs; anything else as the last run said it.
    if (runs > 1 && values.every((x): x is number => typeof x === 'number')) {
      log(`   ${k}: ${median(values)} (${Math.min(...values)}-${Math.max(...values)})   (median of ${runs} runs)`);
    } else log(`   ${k}: ${v}   (last run)`);
  }
  log(`   AWS calls by operation${last.measuredAs ? ' (counted by the endpoint, last run)' : ''}:`);
  for (const [op, n] of Object.entries(r.calls)) log(`     ${op.padEnd(46)}${String(n).padStart(8)}`);
  return r;
}

const machine = { uptimeS: Math.round(uptime()), loadAverage: loadavg().map((l) => Number(l.toFixed(2))) };
log(`load average ${machine.loadAverage.join(' ')} (the machine is shared: figures are medians of ${runs} runs)`);
let failed = false;
const scenarios: (HttpScenarioResult | InProcessResult)[] = [];
for (const file of files) {
  const module = (await import(`${dir}${file}`)) as { default: HttpScenario | (() => Promise<BenchResult>) };
  if (typeof module.default === 'function') {
    const r = runInProcess(file);
    if (r) scenarios.push(r);
    else failed = true;
    continue;
  }
  try {
    const r = await runHttpScenario(module.default, runs);
    printHttp(r);
    scenarios.push(r);
    if (r.problems.length > 0) failed = true;
  } catch (err) {
    failed = true;
    log(`${file}: FAILED\n${err instanceof Error ? err.message : String(err)}`);
  }
}
const loadAfter = loadavg().map((l) => Number(l.toFixed(2)));
log(`\nload average after: ${loadAfter.join(' ')}`);
const document = `${JSON.stringify({ date: new Date().toISOString(), node: process.version, runs, machine: { ...machine, loadAverageAfter: loadAfter }, scenarios }, null, 2)}\n`;
if (jsonFile !== undefined) writeFileSync(jsonFile, document);
else if (json) process.stdout.write(document);
process.exitCode = failed ? 1 : 0;
