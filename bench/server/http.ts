import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeAccount } from '../../src/demo/fake-aws/types.js';
import { answer } from './answer.js';
import type { WireRequest } from './wire.js';

export interface BenchServerOptions {
  account: FakeAccount;
  /** Added before every answer, as a remote endpoint's round trip. */
  latencyMs: number;
  /** Keep every request (method, url, signing headers, body) so the CPU floor can replay them. */
  record?: boolean;
  /** Keep answers of reads for repeated runs (default true); off when the account changes between runs. */
  cache?: boolean;
}

export interface BenchServer {
  url: string;
  /** Calls by operation since the last reset(), counted here, not by the connector. */
  calls(): Record<string, number>;
  requests(): WireRequest[];
  /** CPU time the server process spent since the last reset(), in ms (it shares the machine with the connector). */
  cpuMs(): number;
  reset(): void;
  close(): Promise<void>;
}

/** Answers are kept by request (up to this many bytes in all), so repeated runs cost the server little CPU. */
const CACHE_BYTES = 256 * 1024 * 1024;

/** A loopback AWS endpoint answering in the real wire formats (see answer.ts), with a fixed latency per call. */
export async function startBenchServer(options: BenchServerOptions): Promise<BenchServer> {
  let calls = new Map<string, number>();
  let requests: WireRequest[] = [];
  let cpuStart = process.cpuUsage();
  // Answers with their body already encoded: a GetAccountAuthorizationDetails page is 1.5 MB of text.
  const cache = new Map<string, { out: ReturnType<typeof answer>; bytes: Buffer }>();
  let cached = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      const wire: WireRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers, body: Buffer.concat(chunks).toString('utf8') };
      // Reads are answered from the cache; the signature changes per request, so the key leaves it out.
      const key = `${wire.method} ${wire.url} ${headers['x-amz-target'] ?? ''} ${/Credential=[^,]+/.exec(headers.authorization ?? '')?.[0].split('/').slice(2, 4).join('/')} ${wire.body}`;
      let hit = cache.get(key);
      if (!hit) {
        let out: ReturnType<typeof answer>;
        try {
          out = answer(wire, options.account);
        } catch (err) {
          out = { operation: 'Bench.Error', status: 500, headers: { 'content-type': 'text/plain' }, body: String(err) };
        }
        hit = { out, bytes: Buffer.from(out.body) };
        const size = hit.bytes.length;
        if (options.cache !== false && out.status === 200 && isRead(wire) && cached + size <= CACHE_BYTES) {
          cache.set(key, hit);
          cached += size;
        }
      }
      const answered = hit.out;
      const bytes = hit.bytes;
      calls.set(answered.operation, (calls.get(answered.operation) ?? 0) + 1);
      if (options.record) requests.push({ ...wire, headers: { authorization: headers.authorization ?? '', ...(headers['x-amz-target'] ? { 'x-amz-target': headers['x-amz-target'] } : {}) } });
      setTimeout(() => {
        res.writeHead(answered.status, { ...answered.headers, 'x-amzn-requestid': 'bench', 'content-length': bytes.length });
        res.end(bytes);
      }, options.latencyMs);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls: () => Object.fromEntries([...calls].sort(([a], [b]) => a.localeCompare(b))),
    requests: () => requests,
    cpuMs: () => {
      const c = process.cpuUsage(cpuStart);
      return (c.user + c.system) / 1000;
    },
    reset() {
      calls = new Map();
      requests = [];
      cpuStart = process.cpuUsage();
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Only answers of reads are cached: a mutating call (export) changes what the next read answers. */
function isRead(req: WireRequest): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return true;
  const action = new URLSearchParams(req.body).get('Action') ?? req.headers['x-amz-target']?.split('.').pop() ?? '';
  // A credential report still being built is an error answer (never cached); its answer of 200 is
  // the finished report, which took the endpoint about 170 ms to render for 20,000 users at every
  // call, and held up every answer due meanwhile.
  return /^(Get|List|Describe)/.test(action);
}
