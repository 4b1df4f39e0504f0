import { spawn, type ChildProcess } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/**
 * A real AWS API implementation for the integration suite: moto's server mode, shipped in the
 * default python3 of every machine here (CI's included). Each test file starts its own server on a
 * free loopback port, so files run in parallel without sharing an account.
 */
export interface Moto {
  /** `http://127.0.0.1:<port>`, for `aws-endpoint-url` and the SDK clients that seed the account. */
  endpoint: string;
  /** Forgets every resource (moto's reset API), for a fresh account between tests. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** The credentials moto accepts (any), in the environment form the connector's chain reads. */
export const motoCredentials = { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_SESSION_TOKEN: 'testing' };
/** moto's fixed account id. */
export const motoAccountId = '123456789012';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitUntilUp(endpoint: string, child: ChildProcess, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`moto exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto did not answer on ${endpoint} within ${deadlineMs} ms`);
}

/** Starts `python3 -m moto.server` on a free loopback port and waits until it answers. */
export async function startMoto(): Promise<Moto> {
  let lastError: unknown;
  // Another process may take the port between probing and binding: try a few ports.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    try {
      await waitUntilUp(endpoint, child, 30_000);
    } catch (error) {
      child.kill('SIGKILL');
      lastError = new Error(`${(error as Error).message}\n${stderr}`);
      continue;
    }
    return {
      endpoint,
      async reset() {
        const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
        if (!res.ok) throw new Error(`moto reset answered ${res.status}`);
      },
      stop: () =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    };
  }
  throw lastError;
}

/**
 * One moto for the test file: started before its tests, stopped after them. The returned object
 * reads through to the running server, so tests use `moto.endpoint` as with `startMoto()`.
 */
export function useMoto(): Moto {
  let running: Moto | undefined;
  beforeAll(async () => {
    running = await startMoto();
  }, 60_000);
  afterAll(async () => running?.stop());
  const current = (): Moto => {
    if (!running) throw new Error('moto is not running yet: use it inside a test');
    return running;
  };
  return {
    get endpoint() {
      return current().endpoint;
    },
    reset: () => current().reset(),
    stop: () => current().stop(),
  };
}

/** The folder of the newest committed run of a target under `<dir>/raito-sync/` (run ids sort in start order). */
export async function lastRun(dir: string, target = 'moto'): Promise<string> {
  const runs = (await readdir(join(dir, 'raito-sync', target), { withFileTypes: true })).filter((e) => e.isDirectory() && !e.name.endsWith('.partial')).map((e) => e.name).sort();
  if (runs.length === 0) throw new Error(`no run of target ${target} in ${dir}`);
  return join(dir, 'raito-sync', target, runs[runs.length - 1]!);
}
