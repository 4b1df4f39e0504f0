import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import type { ConnectorPlugin } from '../../src/plugin-api/contract.js';
import { CallCounter } from '../../src/plugin-api/call-counter.js';
import { PluginRegistry } from '../../src/host/registry.js';
import { prepareTargets, runTargets, type SkipFlags } from '../../src/host/run.js';
import { StopHandler, StopRequest } from '../../src/host/stop.js';
import { formatSummary, type TargetSummary } from '../../src/host/summary.js';
import type { SpooledStream, SyncSession, SyncTarget } from '../../src/sync-target/types.js';
import { tempDir } from '../helpers/tmp.js';

const noSkip: SkipFlags = { 'data-source': false, 'identity-store': false, 'data-access': false, 'data-usage': false };

/** Reads two data objects, then waits on AWS until the run is stopped (as an SDK call with the abort signal does). */
const slowPlugin: ConnectorPlugin = {
  name: 'slow',
  description: 'test plugin',
  version: '0.0.1',
  parameters: [],
  metadata: () => ({ type: 'slow', dataObjectTypes: [], accessProviderTypes: [], usageLevels: [] }),
  syncs: {
    async dataSource(ctx, out) {
      await out['data-objects'].write({ externalId: 'acct', name: 'acct', fullName: 'acct', type: 'datasource' });
      await out['data-objects'].write({ externalId: 'b1', name: 'b1', fullName: 'acct:eu-west-1:b1', type: 'bucket', parentExternalId: 'acct' });
      await new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('ListObjectsV2 aborted')), { once: true }));
    },
    async identityStore(_ctx, out) {
      await out.users.write({ externalId: 'u1', name: 'alice', userName: 'alice' });
    },
  },
};

/** A sync target that records what the host asked of it. */
function recordingTarget(spoolDir: string) {
  const calls: string[] = [];
  const session: SyncSession = {
    spoolDir,
    accessProvidersToExport: async function* () {},
    putStream: async (s: SpooledStream) => void calls.push(`putStream ${s.name} complete=${s.complete}`),
    putMetadata: async () => void calls.push('putMetadata'),
    commit: async () => {
      calls.push('commit');
      return 'sync 7 completed';
    },
    abort: async (reason: string) => void calls.push(`abort: ${reason}`),
  };
  const target: SyncTarget = { kind: 'api', description: 'recording', check: async () => 'ok', open: async () => session };
  return { target, calls };
}

async function runSlow(stopAfterMs: number, quietMs?: number) {
  const dir = await tempDir('host-stop-');
  const config = parseConfig('targets:\n  - name: t1\n    connector-name: slow\n  - name: t2\n    connector-name: slow\n', { file: `${dir}/raito.yml`, env: {} });
  const targets = await prepareTargets(config, new PluginRegistry([slowPlugin]), []);
  const { target, calls } = recordingTarget(dir);
  const controller = new AbortController();
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>) });
  setTimeout(() => controller.abort(new StopRequest('SIGTERM')), stopAfterMs);
  const summaries = await runTargets({ config, targets, syncTarget: target, skip: noSkip, dryRun: false, logger, signal: controller.signal, quietMs });
  return { summaries, calls, lines };
}

describe('a stopped run', () => {
  it('uploads nothing after the stop, commits nothing, aborts the sync and says "stopped"', async () => {
    const { summaries, calls } = await runSlow(100);
    expect(calls).toEqual(['abort: stopped during the data-source sync: stopped by SIGTERM']);
    const [t1, t2] = summaries;
    expect(t1).toMatchObject({ target: 't1', ok: false, stopped: true, error: 'stopped during the data-source sync: stopped by SIGTERM', streams: [] });
    expect(t1?.syncs).toEqual([{ sync: 'data-source', ok: false, durationMs: expect.any(Number), error: 'stopped: stopped by SIGTERM' }]);
    expect(t2).toMatchObject({ target: 't2', ok: false, stopped: true, error: 'not run: stopped by SIGTERM' });
    const text = formatSummary(summaries);
    expect(text).toContain('Target t1 (slow): STOPPED in');
    expect(text).toContain('Target t2 (slow): STOPPED in 0.0s');
    expect(text).toContain('Run stopped: 2 target(s) not finished, nothing of them was committed.');
    expect(text).not.toContain('succeeded');
  });

  it('a wait with no progress for longer than the quiet time is logged with what it waits for', async () => {
    const { lines } = await runSlow(700, 200);
    const waits = lines.filter((l) => l.waitingFor !== undefined);
    expect(waits.length).toBeGreaterThanOrEqual(1);
    expect(waits[0]).toMatchObject({ level: 30, target: 't1', waitingFor: 'the data-source sync (AWS calls and records)' });
    expect(String(waits[0]?.msg)).toMatch(/^still waiting for the data-source sync \(AWS calls and records\): nothing has moved for \d+ s$/);
  });
});

describe('StopHandler', () => {
  function handler(graceMs = 5_000) {
    const exits: number[] = [];
    let printed = '';
    const stop = new StopHandler({ graceMs, exit: (code) => void exits.push(code), out: { write: (t: string) => ((printed += t), true) } as unknown as NodeJS.WritableStream });
    return { stop, exits, printed: () => printed };
  }

  it('the first signal aborts the run; a second SIGINT runs the cleanups and exits 130', async () => {
    const { stop, exits, printed } = handler();
    const cleaned: string[] = [];
    stop.onEmergency(() => void cleaned.push('abort sync 7'));
    stop.stop('SIGINT');
    expect(stop.signal.aborted).toBe(true);
    expect(stop.stoppedBy).toBe('SIGINT');
    expect(exits).toEqual([]);
    stop.stop('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(cleaned).toEqual(['abort sync 7']);
    expect(exits).toEqual([130]);
    expect(printed()).toBe('Run stopped (second SIGINT): exited before the end; no stream of the unfinished target was committed.\n');
    stop.dispose();
  });

  it('a second SIGTERM exits 1, and a cleanup that hangs is cut off after 2 s', async () => {
    const { stop, exits } = handler();
    stop.onEmergency(() => new Promise(() => undefined));
    stop.stop('SIGTERM');
    const started = Date.now();
    stop.stop('SIGTERM');
    while (exits.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(exits).toEqual([1]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect(Date.now() - started).toBeLessThan(3_000);
    stop.dispose();
  });

  it('a run that does not end within the grace time is ended with exit 1', async () => {
    const { stop, exits } = handler(100);
    stop.stop('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(exits).toEqual([1]);
    stop.dispose();
  });
});

describe('the summary', () => {
  const base: TargetSummary = { target: 'prod', connector: 'aws-account', ok: false, durationMs: 1200, syncs: [], streams: [], calls: new CallCounter() };

  it('a failed target that was committed does not read like success', () => {
    const text = formatSummary([{ ...base, location: 'sync 7 completed', syncs: [{ sync: 'data-source', ok: false, durationMs: 10, error: 'ListBuckets denied' }] }]);
    expect(text).toContain('Target prod (aws-account): FAILED in 1.2s');
    expect(text).toContain('  committed with incomplete streams to sync 7 completed');
    expect(text).not.toContain('written to');
  });

  it('one hint shared by every failed sync is printed once', () => {
    const hint = 'Set aws-profile (or AWS_PROFILE), or run where a role is available.';
    const syncs = ['data-source', 'identity-store', 'data-access'].map((sync) => ({ sync, ok: false, durationMs: 1, error: 'No usable AWS credentials', hint }));
    const text = formatSummary([{ ...base, syncs }]);
    expect(text.split(hint)).toHaveLength(2);
    expect(text).toContain(`  hint: ${hint}`);
  });

  it('escapes control characters from config and servers: no cleared screen, no forged line', () => {
    const text = formatSummary([{ ...base, target: 'evil\u001b[2J', error: 'sync API said: boom\nTarget prod (aws-account): succeeded in 0.1s' }]);
    expect(text).toContain('Target evil\\x1b[2J (aws-account): FAILED');
    expect(text).toContain('  error: sync API said: boom\\nTarget prod (aws-account): succeeded in 0.1s');
    expect(text.split('\n').filter((l) => l.startsWith('Target'))).toHaveLength(1);
    expect(text).not.toContain('\u001b');
  });
});
