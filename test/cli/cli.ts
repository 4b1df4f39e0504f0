import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '../helpers/tmp.js';

export const binPath = new URL('../../bin/connector.js', import.meta.url).pathname;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI (built dist/) in `cwd` with a clean environment plus `env`. */
export function cli(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], {
      cwd: options.cwd,
      // Tests never reach for instance metadata (a non-loopback address), whatever they configure.
      env: { PATH: process.env.PATH ?? '', HOME: options.cwd, AWS_EC2_METADATA_DISABLED: 'true', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A fresh working folder (removed when the test file ends), optionally with a raito.yml in it. */
export async function workdir(raitoYml?: string): Promise<string> {
  const dir = await tempDir('connector-cli-');
  if (raitoYml !== undefined) await writeFile(join(dir, 'raito.yml'), raitoYml);
  return dir;
}
