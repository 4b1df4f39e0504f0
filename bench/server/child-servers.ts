import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** A bench endpoint serving the CloudTrail log files of a folder (see serve-logs.ts), started in a child process. */
export async function startLogServer(spec: { dir: string; accountId: string; bucket: string; region: string; latencyMs: number; otherBuckets: string[] }): Promise<{
  url: string;
  /** Calls by operation since the last reset, counted by the endpoint; `reset` starts a new count. */
  calls(command?: 'calls' | 'reset'): Promise<Record<string, number>>;
  close(): void;
}> {
  const script = fileURLToPath(new URL('./serve-logs.js', import.meta.url));
  const child = spawn(process.execPath, [script, JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const [first] = (await once(child.stdout!, 'data')) as [Buffer];
  const url = first.toString().trim();
  if (!url.startsWith('http://')) throw new Error(`the log server did not start: ${url}`);
  const calls = async (command: 'calls' | 'reset' = 'calls') => {
    child.send(command);
    const [answer] = (await once(child, 'message')) as [{ calls: Record<string, number> }];
    return answer.calls;
  };
  return { url, calls, close: () => child.kill() };
}

/** A bench endpoint serving `accountExport()` of a compiled scenario module, with its state, started in a child process. */
export async function startAccountServer(modulePath: string, accountExport: string, latencyMs: number): Promise<{ url: string; close(): void }> {
  const script = fileURLToPath(new URL('./serve-account.js', import.meta.url));
  const child = spawn(process.execPath, [script, modulePath, accountExport, String(latencyMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [first] = (await once(child.stdout, 'data')) as [Buffer];
  const url = first.toString().trim();
  if (!url.startsWith('http://')) throw new Error(`the account server did not start: ${url}`);
  return { url, close: () => child.kill() };
}
