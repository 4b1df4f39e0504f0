import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fault-injecting HTTP proxy for tests, on loopback only, between the connector
 * (`aws-endpoint-url`) and an AWS endpoint (moto). On a given fraction of requests it answers in
 * AWS's own error formats instead of forwarding, or breaks the connection, or forwards late.
 */
export type FaultKind = 'throttle' | 'server-error' | 'reset' | 'slow';

/** What the proxy saw of a request, to decide on persistent faults. */
export interface ProxiedRequest {
  method: string;
  /** Path and query, as sent (S3 is path-style behind an endpoint override: `/<bucket>?list-type=2`). */
  url: string;
  /** The region of the SigV4 credential scope. */
  region?: string;
  /** The service of the credential scope (s3, iam, sts, glue...). */
  service?: string;
  /** `Action` of a query-protocol call, or the operation of `X-Amz-Target`. */
  operation?: string;
  /** The access key id the request was signed with. */
  accessKeyId?: string;
}

export interface FaultPlan {
  /** Fraction of requests (0 to 1) that get a fault, chosen by a seeded generator. */
  fraction: number;
  /** The kinds of faults, used in turn. */
  kinds?: FaultKind[];
  /** How late a `slow` answer is forwarded. */
  slowMs?: number;
  seed?: number;
  /** A fault for every request this returns one for, whatever the fraction (a bucket that is always broken). */
  persistent?: (request: ProxiedRequest) => FaultKind | undefined;
}

export interface FaultProxy {
  url: string;
  /** Requests seen, and faults injected by kind (persistent ones included). */
  readonly requests: number;
  readonly seen: readonly ProxiedRequest[];
  readonly faults: Record<FaultKind, number>;
  /** Faults answered with an error or a reset (the ones the connector must retry). */
  readonly failures: number;
  close(): Promise<void>;
}

/** A small deterministic generator (mulberry32), so a failing run can be replayed with its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function describe(req: IncomingMessage, body: Buffer): ProxiedRequest {
  const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\//.exec(String(req.headers.authorization ?? ''));
  const target = req.headers['x-amz-target'];
  const form = String(req.headers['content-type'] ?? '').includes('x-www-form-urlencoded') ? new URLSearchParams(body.toString('utf8')) : undefined;
  return {
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    accessKeyId: scope?.[1],
    region: scope?.[2],
    service: scope?.[3],
    operation: typeof target === 'string' ? target.split('.').pop() : (form?.get('Action') ?? undefined),
  };
}

/** Writes the error as the protocol of the request expects it: JSON, query XML, or REST XML (S3). */
function answerError(res: ServerResponse, req: IncomingMessage, seen: ProxiedRequest, kind: 'throttle' | 'server-error'): void {
  const json = typeof req.headers['x-amz-target'] === 'string';
  const query = seen.operation !== undefined && !json;
  const s3 = !json && !query;
  const status = kind === 'throttle' ? (s3 ? 503 : 400) : 500;
  const code = kind === 'throttle' ? (s3 ? 'SlowDown' : json ? 'ThrottlingException' : 'Throttling') : json ? 'InternalServiceException' : s3 ? 'InternalError' : 'InternalFailure';
  const message = kind === 'throttle' ? 'Rate exceeded (injected)' : 'We encountered an internal error (injected)';
  if (json) {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': code });
    res.end(JSON.stringify({ __type: code, message }));
  } else if (query) {
    res.writeHead(status, { 'content-type': 'text/xml' });
    res.end(`<ErrorResponse><Error><Type>${kind === 'throttle' ? 'Sender' : 'Receiver'}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>injected</RequestId></ErrorResponse>`);
  } else {
    res.writeHead(status, { 'content-type': 'application/xml' });
    res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>injected</RequestId></Error>`);
  }
}

export async function startFaultProxy(target: string, plan: FaultPlan): Promise<FaultProxy> {
  const upstream = new URL(target);
  const next = random(plan.seed ?? 1);
  const kinds = plan.kinds ?? ['throttle', 'server-error', 'reset', 'slow'];
  const faults: Record<FaultKind, number> = { throttle: 0, 'server-error': 0, reset: 0, slow: 0 };
  let requests = 0;
  let turn = 0;
  const seenRequests: ProxiedRequest[] = [];

  function forward(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const out = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    out.end(body);
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests++;
      const body = Buffer.concat(chunks);
      const seen = describe(req, body);
      seenRequests.push(seen);
      const kind = plan.persistent?.(seen) ?? (next() < plan.fraction ? kinds[turn++ % kinds.length] : undefined);
      if (kind) faults[kind]++;
      switch (kind) {
        case 'throttle':
        case 'server-error':
          return answerError(res, req, seen, kind);
        case 'reset':
          req.socket.destroy();
          return;
        case 'slow':
          setTimeout(() => forward(req, res, body), plan.slowMs ?? 300);
          return;
        default:
          forward(req, res, body);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    seen: seenRequests,
    faults,
    get failures() {
      return faults.throttle + faults['server-error'] + faults.reset;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
