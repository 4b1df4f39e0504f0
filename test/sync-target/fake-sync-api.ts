import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, gzipSync } from 'node:zlib';

/** One request as the fake server saw it. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** Time the request arrived (ms, performance.now()). */
  at: number;
  /** True when the request's body was cut off because a fault reset the connection. */
  reset?: boolean;
}

/** A scripted misbehaviour: the next `times` requests matching method and path get this answer instead. */
export interface Fault {
  method?: string;
  /** Exact path, or a pattern. */
  path: string | RegExp;
  times?: number;
  /**
   * `reset` destroys the socket after the first body bytes arrive (a connection reset mid-upload);
   * `hang` reads the request and never answers (an endpoint that is up but stuck).
   */
  action: 'reset' | 'hang' | { status: number; headers?: Record<string, string>; body?: unknown };
}

interface FakeSync {
  id: string;
  runId: string;
  open: Record<string, unknown>;
  streams: Map<string, Buffer>;
  metadata?: unknown;
  manifest?: unknown;
  status: 'open' | 'committing' | 'completed' | 'failed' | 'aborted';
  pollsUntilDone: number;
  abortReason?: string;
}

export interface FakeSyncApiOptions {
  clientId?: string;
  clientSecret?: string;
  /** Lifetime of issued tokens, seconds. */
  expiresIn?: number;
  /** Polls of GET /v1/syncs/{id} answered `committing` before the final state. */
  pollsBeforeDone?: number;
  /** Final state after commit, and its error. */
  commitOutcome?: { status: 'completed' } | { status: 'failed'; error: string };
  /** Served by GET /v1/syncs/{id}/access-providers as gzip JSONL; empty → 204. */
  accessProviders?: unknown[];
  /** Cursor returned when a sync is opened. */
  lastUsed?: string;
}

/**
 * A small in-memory sync API (docs/sync-api.md) on 127.0.0.1: it records every request, checks
 * tokens and Content-Digest, keeps idempotency keys, and can be scripted to misbehave.
 */
export class FakeSyncApi {
  readonly requests: RecordedRequest[] = [];
  readonly syncs = new Map<string, FakeSync>();
  readonly issuedTokens: string[] = [];
  digestMismatches = 0;
  private readonly validTokens = new Set<string>();
  private readonly faults: (Fault & { left: number })[] = [];
  private readonly server: Server;
  private readonly options: Required<Omit<FakeSyncApiOptions, 'lastUsed'>> & { lastUsed?: string };
  private url_ = '';

  constructor(options: FakeSyncApiOptions = {}) {
    this.options = {
      clientId: 'connector-ci',
      clientSecret: 'S3cr3t-do-not-leak',
      expiresIn: 3600,
      pollsBeforeDone: 1,
      commitOutcome: { status: 'completed' },
      accessProviders: [],
      ...options,
    };
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) this.json(res, 500, { error: String(err) });
        else res.destroy();
      });
    });
  }

  get url(): string {
    return this.url_;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url_ = `http://127.0.0.1:${port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Script a misbehaviour for the next matching request(s). */
  fail(fault: Fault): void {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  /** Every issued token stops working (as if they expired). */
  expireTokens(): void {
    this.validTokens.clear();
  }

  requestsTo(method: string, path: string | RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)));
  }

  /** The records of an uploaded stream, decoded. */
  streamRecords(syncId: string, stream: string): unknown[] {
    const body = this.syncs.get(syncId)?.streams.get(stream);
    if (!body) return [];
    return gunzipSync(body)
      .toString('utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as unknown);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const method = req.method ?? 'GET';
    const recorded: RecordedRequest = { method, path, headers: req.headers, body: Buffer.alloc(0), at: performance.now() };
    this.requests.push(recorded);

    const fault = this.takeFault(method, path);
    if (fault?.action === 'reset') {
      recorded.reset = true;
      // Take the first bytes, then drop the connection mid-upload.
      await new Promise<void>((resolve) => {
        req.once('data', () => resolve());
        req.once('end', () => resolve());
      });
      req.socket.destroy();
      return;
    }
    recorded.body = await readBody(req);
    if (fault === undefined) {
      // no fault: answer normally below
    } else if (fault.action === 'hang') {
      return;
    } else {
      const { status, headers, body } = fault.action;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body === undefined ? '' : JSON.stringify(body));
      return;
    }

    if (method === 'POST' && path === '/oauth/token') return this.token(recorded, res);
    if (!path.startsWith('/v1/')) return this.json(res, 404, { error: 'not_found', message: `no such resource ${path}` });
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !this.validTokens.has(auth.slice('Bearer '.length))) {
      return this.json(res, 401, { error: 'invalid_token', message: 'the access token is invalid or expired' });
    }
    if (method === 'GET' && path === '/v1/ping') return this.json(res, 200, { ok: true });
    if (method === 'POST' && path === '/v1/syncs') return this.openSync(recorded, res);

    const m = /^\/v1\/syncs\/([^/]+)(?:\/(streams\/[^/]+|metadata|access-providers|commit|abort))?$/.exec(path);
    const sync = m ? this.syncs.get(decodeURIComponent(m[1]!)) : undefined;
    if (!m || !sync) return this.json(res, 404, { error: 'not_found', message: `no such resource ${path}` });
    const sub = m[2];
    if (method === 'GET' && sub === undefined) return this.status(sync, res);
    if (method === 'PUT' && sub?.startsWith('streams/')) return this.putStream(sync, decodeURIComponent(sub.slice('streams/'.length)), recorded, res);
    if (method === 'PUT' && sub === 'metadata') {
      sync.metadata = JSON.parse(recorded.body.toString('utf8'));
      return this.json(res, 204);
    }
    if (method === 'GET' && sub === 'access-providers') return this.accessProviders(res);
    if (method === 'POST' && sub === 'commit') {
      if (sync.status !== 'open' && sync.status !== 'committing') return this.json(res, 409, { error: 'conflict', message: `sync is ${sync.status}` });
      sync.manifest = JSON.parse(recorded.body.toString('utf8'));
      sync.status = 'committing';
      sync.pollsUntilDone = this.options.pollsBeforeDone;
      return this.json(res, 202, { id: sync.id, status: 'committing' });
    }
    if (method === 'POST' && sub === 'abort') {
      sync.status = 'aborted';
      sync.abortReason = (JSON.parse(recorded.body.toString('utf8')) as { reason?: string }).reason;
      return this.json(res, 204);
    }
    return this.json(res, 405, { error: 'method_not_allowed', message: `${method} ${path}` });
  }

  private token(req: RecordedRequest, res: ServerResponse): void {
    const form = new URLSearchParams(req.body.toString('utf8'));
    if (req.headers['content-type'] !== 'application/x-www-form-urlencoded' || form.get('grant_type') !== 'client_credentials') {
      return this.json(res, 400, { error: 'invalid_request' });
    }
    if (form.get('client_id') !== this.options.clientId || form.get('client_secret') !== this.options.clientSecret) {
      return this.json(res, 401, { error: 'invalid_client', error_description: 'unknown client or wrong secret' });
    }
    const token = `tok-${randomBytes(12).toString('hex')}`;
    this.issuedTokens.push(token);
    this.validTokens.add(token);
    this.json(res, 200, { access_token: token, expires_in: this.options.expiresIn, token_type: 'Bearer' });
  }

  private openSync(req: RecordedRequest, res: ServerResponse): void {
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || key === '') return this.json(res, 400, { error: 'bad_request', message: 'Idempotency-Key is required' });
    const existing = [...this.syncs.values()].find((s) => s.runId === key);
    if (existing) return this.json(res, 200, { id: existing.id, lastUsed: this.options.lastUsed });
    const open = JSON.parse(req.body.toString('utf8')) as Record<string, unknown>;
    const sync: FakeSync = { id: `sync-${this.syncs.size + 1}`, runId: key, open, streams: new Map(), status: 'open', pollsUntilDone: 0 };
    this.syncs.set(sync.id, sync);
    this.json(res, 201, { id: sync.id, lastUsed: this.options.lastUsed });
  }

  private putStream(sync: FakeSync, stream: string, req: RecordedRequest, res: ServerResponse): void {
    if (sync.status !== 'open') return this.json(res, 409, { error: 'conflict', message: `sync is ${sync.status}` });
    const { headers } = req;
    if (headers['content-type'] !== 'application/x-ndjson' || headers['content-encoding'] !== 'gzip') {
      return this.json(res, 415, { error: 'unsupported_media_type', message: 'expected gzip application/x-ndjson' });
    }
    const expected = `sha-256=:${createHash('sha256').update(req.body).digest('base64')}:`;
    if (headers['content-digest'] !== expected) {
      this.digestMismatches++;
      return this.json(res, 400, { error: 'digest_mismatch', message: `Content-Digest does not match the body (${req.body.length} bytes)` });
    }
    sync.streams.set(stream, req.body);
    this.json(res, 204);
  }

  private accessProviders(res: ServerResponse): void {
    const list = this.options.accessProviders;
    if (list.length === 0) return this.json(res, 204);
    const body = gzipSync(list.map((ap) => JSON.stringify(ap)).join('\n') + '\n');
    res.writeHead(200, { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip', 'content-length': body.length });
    res.end(body);
  }

  private status(sync: FakeSync, res: ServerResponse): void {
    if (sync.status === 'committing') {
      if (sync.pollsUntilDone > 0) sync.pollsUntilDone--;
      else sync.status = this.options.commitOutcome.status;
    }
    const error = sync.status === 'failed' && 'error' in this.options.commitOutcome ? this.options.commitOutcome.error : undefined;
    this.json(res, 200, { id: sync.id, status: sync.status, ...(error ? { error } : {}) });
  }

  private takeFault(method: string, path: string): Fault | undefined {
    const fault = this.faults.find(
      (f) => f.left > 0 && (f.method === undefined || f.method === method) && (typeof f.path === 'string' ? f.path === path : f.path.test(path)),
    );
    if (fault) fault.left--;
    return fault;
  }

  private json(res: ServerResponse, status: number, body?: unknown): void {
    if (body === undefined || status === 204) {
      res.writeHead(status);
      res.end();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
