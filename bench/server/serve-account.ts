import { pathToFileURL } from 'node:url';
import type { FakeAccount } from '../../src/demo/fake-aws/types.js';
import { startBenchServer } from './http.js';

// The bench endpoint in a process of its own, serving the account a scenario module builds (its
// export `accountExport`), keeping the state of mutating calls (the export writes into it).
// Usage: node serve-account.js <compiled scenario module> <accountExport> <latencyMs>; prints the URL.
const [modulePath, accountExport, latency] = process.argv.slice(2) as [string, string, string];
const module = (await import(pathToFileURL(modulePath).href)) as Record<string, () => FakeAccount>;
const server = await startBenchServer({ account: module[accountExport]!(), latencyMs: Number(latency), cache: false });
process.stdout.write(`${server.url}\n`);
