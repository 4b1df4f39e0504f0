import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProgressLine, progressLine } from '../../src/cli/progress.js';
import { countWork } from '../../src/plugin-api/progress.js';
import { testContext } from '../helpers/context.js';
import { binPath, workdir } from './cli.js';

/** A terminal that records what is written to it. */
function fakeTerminal(columns = 200) {
  const writes: string[] = [];
  return { writes, out: { isTTY: true, columns, write: (text: string) => writes.push(text) } };
}

describe('the progress line', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows the target, sync, records per stream, buckets done of the total, AWS calls and retries, elapsed time', () => {
    const { writes, out } = fakeTerminal();
    const progress = new ProgressLine({ out });
    const ctx = testContext();
    const sinks = new Map([['data-objects', { records: 0 }]]);
    progress.syncStarted({ ctx, sync: 'data-source', sinks });
    const buckets = countWork(ctx, 'buckets', 50);
    sinks.set('data-objects', { records: 123_456 });
    buckets.done = 3;
    ctx.calls.add('S3.ListObjectsV2', 1200);
    ctx.calls.add('S3.ListObjectsV2#retry', 4);
    vi.advanceTimersByTime(62_000);
    expect(writes.at(-1)).toBe('\r\u001b[2Ktest-target data-source | data-objects 123,456 | buckets 3/50 | AWS calls 1,200 (4 retried) | 1:02\r');
    progress.stop();
    expect(writes.at(-1)).toBe('\r\u001b[2K');
  });

  it('redraws at most four times a second, and stops redrawing after the target', () => {
    const { writes, out } = fakeTerminal();
    const progress = new ProgressLine({ out });
    const ctx = testContext();
    progress.syncStarted({ ctx, sync: 'identity-store', sinks: new Map() });
    progress.syncStarted({ ctx, sync: 'data-access', sinks: new Map() });
    vi.advanceTimersByTime(10_000);
    // One draw at the start (the second sync start came too soon after it), then one per 250 ms.
    expect(writes).toHaveLength(1 + 40);
    progress.targetFinished();
    const after = writes.length;
    vi.advanceTimersByTime(10_000);
    expect(writes).toHaveLength(after);
  });

  it('cuts the line to the terminal width', () => {
    const { writes, out } = fakeTerminal(40);
    new ProgressLine({ out }).syncStarted({ ctx: testContext(), sync: 'data-access', sinks: new Map([['access-providers', { records: 5 }]]) });
    expect(writes[0]).toBe('\r\u001b[2Ktest-target data-access | access-provi…\r');
  });

  it('exists only on a terminal and without --no-progress', () => {
    expect(progressLine(true, { isTTY: true, write: () => true })).toBeInstanceOf(ProgressLine);
    expect(progressLine(false, { isTTY: true, write: () => true })).toBeUndefined();
    expect(progressLine(true, { isTTY: false, write: () => true })).toBeUndefined();
    expect(progressLine(true, { write: () => true })).toBeUndefined();
  });
});

/** Runs the CLI with a pseudo-terminal as stdin/stdout/stderr (python3's pty, present wherever moto runs). */
function cliOnTerminal(args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  const script = 'import os, pty, sys\nstatus = pty.spawn(sys.argv[1:])\nsys.exit(os.waitstatus_to_exitcode(status))';
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', script, process.execPath, binPath, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: cwd, AWS_EC2_METADATA_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('connector demo on a terminal', () => {
  it('draws the progress line on a terminal, and erases it before the summary', async () => {
    const result = await cliOnTerminal(['demo', '--log-level', 'warn'], await workdir());
    expect(result.code, result.output).toBe(0);
    const ESC = '\u001b';
    expect(result.output.startsWith(`\r${ESC}[2Kdemo data-source | data-objects `)).toBe(true);
    // Later redraws depend on the machine's speed (at most one per 250 ms); the first one is always there.
    expect(result.output).toContain('\r\u001b[2KTarget demo (aws-account): succeeded');
  });

  it('with log lines on the terminal, each log line first erases the progress line, so none keeps its tail', async () => {
    const result = await cliOnTerminal(['demo', '--log-level', 'info'], await workdir());
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('INFO');
    // A progress line ends with its elapsed time and a carriage return; what follows must erase it.
    const drawn = [...result.output.matchAll(/\| \d+:\d\d\r/g)];
    expect(drawn.length).toBeGreaterThanOrEqual(1);
    const erase = '\u001b[2K';
    for (const m of drawn) {
      const next = result.output.slice(m.index + m[0].length, m.index + m[0].length + 5);
      expect(next === '' || next.startsWith(erase) || next.startsWith(`\r${erase}`), JSON.stringify(next)).toBe(true);
    }
  });

  it('draws nothing with --no-progress', async () => {
    const result = await cliOnTerminal(['demo', '--log-level', 'warn', '--no-progress'], await workdir());
    expect(result.code, result.output).toBe(0);
    expect(result.output).not.toContain('\u001b[2K');
    expect(result.output).toMatch(/^Target demo \(aws-account\): succeeded/);
  });
});
