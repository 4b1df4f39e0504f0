import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Manifest } from '../src/model/index.js';
import type { FloorResult } from './floor.js';
import { startBenchServer, type BenchServer } from './server/http.js';
import type { HttpScenario } from './types.js';

const here = fileURLToPath(new URL('.', import.meta.url));

/** One run of the connector against the bench endpoint, and the CPU floor of the same responses and records. */
export interface HttpRun extends Omit<ConnectorRun, 'runDir'> {
  /** Calls by operation, counted by the endpoint. */
  calls: Record<string, number>;
  /** CPU the endpoint (in the bench's process) spent answering, on the same 2 cores. */
  serverCpuMs: number;
  floor: FloorResult;
  /** Wall time of `connector --version` in the same way: Node and the CLI's modules loading, part of every run's wall. */
  startupMs: number;
}

/** Median, min and max of one figure over the runs. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

export interface HttpScenarioResult {
  scenario: string;
  title: string;
  runs: number;
  latencyMs: number;
  /** What one page costs in the latency bound: the latency, or the quota's interval. */
  perPageMs: number;
  pages: number;
  concurrency: number;
  pageBoundExplained: string;
  wallMs: Spread;
  cpuMs: Spread;
  peakRssMb: Spread;
  serverCpuMs: Spread;
  startupMs: Spread;
  parseCpuMs: Spread;
  writeCpuMs: Spread;
  cpuFloorMs: Spread;
  latencyBoundMs: number;
  /** max(latency bound, median CPU floor). */
  boundMs: number;
  ratioToBound: number;
  ratioToLatencyBound: number;
  ratioToCpuFloor: number;
  /** Calls by operation of the last run; totalCalls over all runs (S3 listing splits by timing, so it may vary). */
  calls: Record<string, number>;
  totalCalls: Spread;
  records: Record<string, number>;
  complete: Record<string, boolean>;
  problems: string[];
}

/** The middle value (the upper one of an even count: always a measured value). */
export function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

export function spread(values: number[]): Spread {
  return { median: Math.round(median(values)), min: Math.round(Math.min(...values)), max: Math.round(Math.max(...values)) };
}

function yamlTarget(endpoint: string, target: HttpScenario['target']): string {
  const lines = ['targets:', '  - name: bench', `    aws-endpoint-url: ${endpoint}`];
  for (const [k, v] of Object.entries({ 'connector-name': 'aws-account', ...target })) lines.push(`    ${k}: ${String(v)}`);
  return `${lines.join('\n')}\n`;
}

/** Runs a compiled script of the bench in a child process; resolves with its stdout, or rejects with its stderr. */
function node(script: string, args: string[], options: { cwd: string; env: Record<string, string> }): Promise<{ stdout: string; stderr: string; code: number | null; wallMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [join(here, script), ...args], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-20_000)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code, wallMs: performance.now() - started }));
  });
}

/** One `connector run` of the CLI in a child process, as a user runs it: what it cost and what it wrote. */
export interface ConnectorRun {
  wallMs: number;
  /** user + system CPU of the connector process (process.resourceUsage() at exit: all its threads). */
  cpuMs: number;
  /** Peak RSS of the connector process (its own high-water mark, see peak-rss.ts), MB. */
  peakRssMb: number;
  records: Record<string, number>;
  complete: Record<string, boolean>;
  /** The run's folder in the directory target. */
  runDir: string;
}

function connectorEnv(dir: string): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: dir, AWS_ACCESS_KEY_ID: 'AKIABENCH', AWS_SECRET_ACCESS_KEY: 'bench-secret', AWS_EC2_METADATA_DISABLED: 'true', BENCH_USAGE_FILE: join(dir, 'usage.json') };
}

/**
 * Runs the connector once in `dir` against `endpoint` (raito.yml with one target named bench; its
 * runs go to `dir/raito-sync/bench`, where a later run in the same folder finds the earlier ones).
 */
export async function runConnector(dir: string, endpoint: string, target: Record<string, string | number | boolean>): Promise<ConnectorRun> {
  writeFileSync(join(dir, 'raito.yml'), yamlTarget(endpoint, target));
  const env = connectorEnv(dir);
  const run = await node('connector-process.js', ['run'], { cwd: dir, env });
  if (run.code !== 0) throw new Error(`the connector exited with ${run.code}\n${run.stdout}\n${run.stderr}`);
  const usage = JSON.parse(readFileSync(env.BENCH_USAGE_FILE!, 'utf8')) as NodeJS.ResourceUsage & { peakRssKb?: number };
  const targetDir = join(dir, 'raito-sync', 'bench');
  // The newest run folder (run ids sort by time).
  const runDir = join(targetDir, readdirSync(targetDir).filter((d) => !d.endsWith('.partial') && !d.endsWith('.json')).sort().pop()!);
  const manifest = JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8')) as Manifest;
  return {
    wallMs: run.wallMs,
    cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
    peakRssMb: (usage.peakRssKb ?? usage.maxRSS) / 1024,
    records: Object.fromEntries(manifest.streams.map((s) => [s.name, s.records])),
    complete: Object.fromEntries(manifest.streams.map((s) => [s.name, s.complete])),
    runDir,
  };
}

async function runOnce(scenario: HttpScenario, server: BenchServer): Promise<HttpRun> {
  const dir = mkdtempSync(join(tmpdir(), `bench-${scenario.name}-`));
  try {
    server.reset();
    let run: ConnectorRun;
    try {
      run = await runConnector(dir, server.url, scenario.target);
    } catch (err) {
      throw new Error(`${scenario.name}: ${(err as Error).message}`);
    }
    const calls = server.calls();
    const serverCpuMs = server.cpuMs();
    const requestsFile = join(dir, 'requests.json');
    writeFileSync(requestsFile, JSON.stringify(server.requests()));
    const startup = await node('connector-process.js', ['--version'], { cwd: dir, env: connectorEnv(dir) });
    const floorRun = await node('floor.js', [scenario.name, requestsFile, run.runDir], { cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: dir } });
    if (floorRun.code !== 0) throw new Error(`${scenario.name}: the CPU floor failed\n${floorRun.stderr}`);
    return {
      wallMs: run.wallMs,
      cpuMs: run.cpuMs,
      peakRssMb: run.peakRssMb,
      calls,
      records: run.records,
      complete: run.complete,
      serverCpuMs,
      floor: JSON.parse(floorRun.stdout.trim().split('\n').pop()!) as FloorResult,
      startupMs: startup.wallMs,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Serves the scenario's account and runs the connector against it `runs` times (one after another). */
export async function runHttpScenario(scenario: HttpScenario, runs: number): Promise<HttpScenarioResult> {
  const account = scenario.account();
  const server = await startBenchServer({ account, latencyMs: scenario.latencyMs, record: true });
  const results: HttpRun[] = [];
  try {
    for (let i = 0; i < runs; i++) results.push(await runOnce(scenario, server));
  } finally {
    await server.close();
  }
  const last = results[results.length - 1]!;
  const { pages, concurrency, msPerPage, explain } = scenario.pageBound(account);
  const perPageMs = msPerPage ?? scenario.latencyMs;
  const latencyBoundMs = (pages * perPageMs) / concurrency;
  const floors = results.map((r) => r.floor.parseCpuMs + r.floor.writeCpuMs);
  const wall = spread(results.map((r) => r.wallMs));
  const cpuFloor = spread(floors);
  const boundMs = Math.max(latencyBoundMs, cpuFloor.median);
  const problems = results.flatMap((r, i) => (scenario.check?.(r, account) ?? []).map((p) => `run ${i + 1}: ${p}`));
  for (const [stream, complete] of Object.entries(last.complete)) if (!complete) problems.push(`stream ${stream} is incomplete`);
  const ratio = (to: number) => Number((wall.median / to).toFixed(2));
  return {
    scenario: scenario.name,
    title: scenario.title,
    runs,
    latencyMs: scenario.latencyMs,
    perPageMs,
    pages,
    concurrency,
    pageBoundExplained: explain,
    wallMs: wall,
    cpuMs: spread(results.map((r) => r.cpuMs)),
    peakRssMb: spread(results.map((r) => r.peakRssMb)),
    serverCpuMs: spread(results.map((r) => r.serverCpuMs)),
    startupMs: spread(results.map((r) => r.startupMs)),
    parseCpuMs: spread(results.map((r) => r.floor.parseCpuMs)),
    writeCpuMs: spread(results.map((r) => r.floor.writeCpuMs)),
    cpuFloorMs: cpuFloor,
    latencyBoundMs: Math.round(latencyBoundMs),
    boundMs: Math.round(boundMs),
    ratioToBound: ratio(boundMs),
    ratioToLatencyBound: ratio(latencyBoundMs),
    ratioToCpuFloor: ratio(cpuFloor.median),
    calls: last.calls,
    totalCalls: spread(results.map((r) => Object.values(r.calls).reduce((a, b) => a + b, 0))),
    records: last.records,
    complete: last.complete,
    problems,
  };
}
