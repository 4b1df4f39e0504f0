import { createReadStream, type ReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Logger } from 'pino';
import { z } from 'zod';
import { ConnectorError, errorMessage } from '../errors.js';
import { SecretMasker } from '../text/secrets.js';
import type { AccessProviderToExport, DataSourceMetadata, Manifest, StreamName } from '../model/index.js';
import { fromWebBody, jsonLines } from '../streams/read.js';
import { parseAccessProvidersToExport } from './export-file.js';
import { RETRYABLE_STATUSES, backoffDelay, defaultRetry, parseRetryAfter, sleep, type RetryOptions } from './retry.js';
import type { SpooledStream, SyncRunInfo } from './types.js';

export interface SyncApiClientOptions {
  /** Base URL of the sync API (`api-url`); a path prefix is kept. */
  apiUrl: string;
  /** OAuth2 client id (`api-user`). */
  apiUser: string;
  /** OAuth2 client secret (`api-secret`): sent to the token endpoint only, never logged. */
  apiSecret: string;
  /** Tenant, sent as `Raito-Domain` when set. */
  domain?: string;
  /** `aws-access-connector/<version>`. */
  userAgent: string;
  /** Injectable for tests; default the global fetch (undici). */
  fetch?: typeof fetch;
  retry?: Partial<RetryOptions>;
  /** Interval between status polls after commit. Default 2 000. */
  pollIntervalMs?: number;
  /** How long to wait for a committed sync to be processed. Default 10 minutes. */
  pollTimeoutMs?: number;
  /** Per attempt, upload included (`api-request-timeout`). Default 10 minutes. */
  requestTimeoutMs?: number;
  /**
   * Time to connect and receive the first answer of a request (`api-connect-timeout`); stream
   * uploads are bounded by requestTimeoutMs only, since their answer comes after the whole body. Default 10 s.
   */
  connectTimeoutMs?: number;
  /** The run's stop signal: requests in flight and waits between retries end when it fires. */
  signal?: AbortSignal;
  /** Multiplies every wait (backoff, Retry-After, polling); tests pass a small factor. Default 1. */
  delayScale?: number;
  logger?: Logger;
}

/** What the connector tells the API when it opens a sync. */
export type OpenSyncRequest = Omit<SyncRunInfo, 'exportFile'>;

const TokenResponse = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive().optional(),
  token_type: z.string().optional(),
});

export const OpenSyncResponse = z.object({
  id: z.string().min(1),
  lastUsed: z.string().nullish(),
});
export type OpenSyncResponse = z.infer<typeof OpenSyncResponse>;

export const SyncStatus = z.object({
  id: z.string().optional(),
  status: z.string(),
  error: z.string().nullish(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

type Method = 'GET' | 'POST' | 'PUT';

interface RequestSpec {
  method: Method;
  path: string;
  headers?: Record<string, string>;
  /** Called once per attempt, so a retry sends the whole body again (a file stream is re-opened). */
  body?: () => Promise<RequestBody> | RequestBody;
  /** Token endpoint only: no bearer token, and 400/401 mean bad credentials. */
  tokenRequest?: boolean;
  maxAttempts?: number;
  /** Overrides the per-attempt timeout (the abort request has a short deadline). */
  timeoutMs?: number;
  /** Not ended by the run's stop signal: the abort request is sent because the run was stopped. */
  detached?: boolean;
}

/** Network failures that a retry cannot fix: the name does not resolve, the TLS handshake is refused. */
export function isPermanentNetworkError(code: string | undefined): boolean {
  if (code === undefined) return false;
  return code === 'ENOTFOUND' || code === 'EPROTO' || /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(code);
}

type RequestBody = string | URLSearchParams | ReadStream;

/** Without expires_in, assume a short life rather than a long one. */
const DEFAULT_TOKEN_LIFETIME_S = 300;
const MAX_MESSAGE_CHARS = 500;

/**
 * The client of the HTTP sync API (docs/sync-api.md): OAuth2 client credentials, retries with
 * backoff and Retry-After, idempotent uploads of spooled gzip JSONL streams.
 */
export class SyncApiClient {
  readonly apiUrl: string;
  private readonly options: SyncApiClientOptions;
  private readonly retry: RetryOptions;
  private readonly fetchImpl: typeof fetch;
  private readonly log?: Logger;
  private readonly delayScale: number;
  private token?: { value: string; refreshAt: number };
  private tokenInFlight?: Promise<string>;
  /** The api-secret and every token this client has held, so none can leak through an echoed server message. */
  private readonly secrets = new SecretMasker();

  constructor(options: SyncApiClientOptions) {
    this.options = options;
    this.apiUrl = options.apiUrl.replace(/\/+$/, '');
    this.retry = { ...defaultRetry, ...options.retry };
    this.fetchImpl = options.fetch ?? fetch;
    this.log = options.logger?.child({ component: 'sync-api' });
    this.delayScale = options.delayScale ?? 1;
    this.secrets.add(options.apiSecret);
  }

  /** `connector check`: the credentials give a token and the API answers `GET /v1/ping`. */
  async check(): Promise<string> {
    await this.accessToken();
    await this.discard(await this.send({ method: 'GET', path: '/v1/ping' }));
    return `sync API ${this.apiUrl} accepts api-user ${this.options.apiUser}`;
  }

  async openSync(request: OpenSyncRequest): Promise<OpenSyncResponse> {
    const res = await this.send({
      method: 'POST',
      path: '/v1/syncs',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': request.runId },
      body: () => JSON.stringify(request),
    });
    return this.readJson(res, 'POST /v1/syncs', OpenSyncResponse);
  }

  /** Uploads one spooled stream; the body is read from disk again on every attempt. */
  async putStream(syncId: string, runId: string, stream: SpooledStream): Promise<void> {
    const size = (await stat(stream.path)).size;
    if (size !== stream.bytes) {
      throw new ConnectorError('internal', `stream ${stream.name}: ${stream.path} has ${size} bytes, the spool counted ${stream.bytes}`);
    }
    const res = await this.send({
      method: 'PUT',
      path: `${this.syncPath(syncId)}/streams/${encodeURIComponent(stream.name satisfies StreamName)}`,
      headers: {
        'Content-Type': 'application/x-ndjson',
        'Content-Encoding': 'gzip',
        'Content-Digest': contentDigest(stream.sha256),
        'Idempotency-Key': `${runId}/${stream.name}`,
        'Raito-Records': String(stream.records),
        'Raito-Stream-Complete': String(stream.complete),
      },
      body: () => createReadStream(stream.path),
    });
    await this.discard(res);
  }

  async putMetadata(syncId: string, runId: string, metadata: DataSourceMetadata): Promise<void> {
    const res = await this.send({
      method: 'PUT',
      path: `${this.syncPath(syncId)}/metadata`,
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `${runId}/metadata` },
      body: () => JSON.stringify(metadata),
    });
    await this.discard(res);
  }

  /** The access providers to export, read line by line from the response (204: none). */
  async *accessProviders(syncId: string): AsyncGenerator<AccessProviderToExport> {
    const path = `${this.syncPath(syncId)}/access-providers`;
    const res = await this.send({ method: 'GET', path, headers: { Accept: 'application/x-ndjson' } });
    if (res.status === 204 || res.body === null) {
      await this.discard(res);
      return;
    }
    // undici decodes Content-Encoding itself; jsonLines also gunzips a body that is still gzip.
    yield* parseAccessProvidersToExport(jsonLines(fromWebBody(res.body)), `GET ${path}`, 'sync-api');
  }

  /** Commits the run and waits until the server has processed it; a failed sync is an error. */
  async commit(syncId: string, runId: string, manifest: Manifest): Promise<SyncStatus> {
    return (await this.requestCommit(syncId, runId, manifest)) ?? this.waitForCompletion(syncId);
  }

  /** `POST /commit`; resolves to the final status when the server answered with one, else undefined (poll). */
  async requestCommit(syncId: string, runId: string, manifest: Manifest): Promise<SyncStatus | undefined> {
    const res = await this.send({
      method: 'POST',
      path: `${this.syncPath(syncId)}/commit`,
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `${runId}/commit` },
      body: () => JSON.stringify(manifest),
    });
    const text = await res.text();
    const immediate = text.trim() === '' ? undefined : SyncStatus.safeParse(safeJson(text));
    if (immediate?.success && isFinal(immediate.data.status)) return this.finalStatus(syncId, immediate.data);
    return undefined;
  }

  async waitForCompletion(syncId: string): Promise<SyncStatus> {
    const timeoutMs = this.options.pollTimeoutMs ?? 10 * 60_000;
    const intervalMs = (this.options.pollIntervalMs ?? 2_000) * this.delayScale;
    const deadline = Date.now() + timeoutMs;
    const path = this.syncPath(syncId);
    for (;;) {
      const status = await this.readJson(await this.send({ method: 'GET', path }), `GET ${path}`, SyncStatus);
      if (isFinal(status.status)) return this.finalStatus(syncId, status);
      if (Date.now() + intervalMs > deadline) {
        throw new ConnectorError('sync-api', `sync ${syncId} was not processed within ${Math.round(timeoutMs / 1000)} s (last status: ${status.status})`, {
          hint: 'The upload is complete; the server may still process it. Check the sync in the cloud before re-running.',
        });
      }
      await sleep(intervalMs);
    }
  }

  /**
   * Best effort by nature: one attempt with a short deadline (default 2 s), sent even after the run
   * was stopped (that is when it matters); the caller decides what a failure means.
   */
  async abort(syncId: string, runId: string, reason: string, deadlineMs = 2_000): Promise<void> {
    const res = await this.send({
      method: 'POST',
      path: `${this.syncPath(syncId)}/abort`,
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `${runId}/abort` },
      body: () => JSON.stringify({ reason }),
      maxAttempts: 1,
      timeoutMs: deadlineMs,
      detached: true,
    });
    await this.discard(res);
  }

  private finalStatus(syncId: string, status: SyncStatus): SyncStatus {
    if (status.status === 'failed') {
      throw new ConnectorError('sync-api', `sync ${syncId} failed on the server: ${this.redact(status.error ?? 'no reason given')}`);
    }
    return status;
  }

  private syncPath(syncId: string): string {
    return `/v1/syncs/${encodeURIComponent(syncId)}`;
  }

  /** A cached bearer token, renewed shortly before it expires; concurrent callers share one request. */
  private async accessToken(forSpec?: RequestSpec): Promise<string> {
    if (this.token && Date.now() < this.token.refreshAt) return this.token.value;
    this.tokenInFlight ??= this.fetchToken(forSpec).finally(() => {
      this.tokenInFlight = undefined;
    });
    return this.tokenInFlight;
  }

  private async fetchToken(forSpec?: RequestSpec): Promise<string> {
    const res = await this.send({
      method: 'POST',
      path: '/oauth/token',
      tokenRequest: true,
      ...(forSpec?.detached ? { detached: true, timeoutMs: forSpec.timeoutMs, maxAttempts: 1 } : {}),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: () =>
        new URLSearchParams({ grant_type: 'client_credentials', client_id: this.options.apiUser, client_secret: this.options.apiSecret }),
    });
    const body = await this.readJson(res, 'POST /oauth/token', TokenResponse);
    const lifetimeMs = (body.expires_in ?? DEFAULT_TOKEN_LIFETIME_S) * 1000;
    // Renew a little early (10 % of the lifetime, at most a minute) so a request never carries a stale token.
    const margin = Math.min(60_000, lifetimeMs / 10);
    this.secrets.add(body.access_token);
    this.token = { value: body.access_token, refreshAt: Date.now() + lifetimeMs - margin };
    return body.access_token;
  }

  private credentialsError(serverMessage = ''): ConnectorError {
    const detail = serverMessage ? ` (${serverMessage})` : '';
    return new ConnectorError('sync-api', `the sync API rejected the credentials of api-user ${this.options.apiUser}${detail}`, {
      hint: 'Check api-user and api-secret (and domain) in the configuration.',
    });
  }

  /**
   * One request with the retry policy: 408/409/429/502/503/504, timeouts and network errors are
   * retried with backoff (or Retry-After); a 401 renews the token once; any other non-2xx, a name
   * that does not resolve and a TLS failure fail at once; the run's stop signal ends it at once.
   */
  private async send(spec: RequestSpec): Promise<Response> {
    const maxAttempts = Math.max(1, spec.maxAttempts ?? this.retry.maxAttempts);
    const what = `${spec.method} ${spec.path}`;
    let attempt = 0;
    let renewedToken = false;
    for (;;) {
      attempt++;
      this.assertNotStopped(spec, what);
      const token = spec.tokenRequest ? undefined : await this.accessToken(spec);
      const body = spec.body ? await spec.body() : undefined;
      const started = Date.now();
      const timeouts = this.attemptSignal(spec, isStream(body));
      let res: Response;
      try {
        res = await this.fetchImpl(this.apiUrl + spec.path, {
          method: spec.method,
          headers: this.headers(spec, token),
          body,
          // A stream body needs half duplex in undici.
          ...(isStream(body) ? { duplex: 'half' as const } : {}),
          redirect: 'error',
          signal: timeouts.signal,
        });
      } catch (err) {
        this.assertNotStopped(spec, what);
        const reason = this.redact(timeouts.reason() ?? networkReason(err));
        if (isPermanentNetworkError(networkCode(err))) {
          throw new ConnectorError('sync-api', `${what} failed: ${reason}`, {
            hint: `Check api-url (${this.apiUrl}): the host name must resolve and present a valid certificate; this is not retried.`,
            cause: err,
          });
        }
        if (attempt >= maxAttempts) {
          throw new ConnectorError('sync-api', `${what} failed after ${attempt} attempts: ${reason}`, {
            hint: `Check that ${this.apiUrl} is reachable from here.`,
            cause: err,
          });
        }
        await this.pause(spec, what, attempt, reason, undefined);
        continue;
      } finally {
        timeouts.clear();
        if (isStream(body)) body.destroy();
      }
      this.log?.debug({ method: spec.method, path: spec.path, status: res.status, attempt, ms: Date.now() - started }, 'sync api request');

      if (spec.tokenRequest && (res.status === 400 || res.status === 401)) {
        throw this.credentialsError(await this.serverMessage(res));
      }
      if (res.status === 401 && token !== undefined) {
        await this.discard(res);
        if (renewedToken) throw this.credentialsError();
        renewedToken = true;
        if (this.token?.value === token) this.token = undefined;
        attempt--; // a renewed token is not a failed attempt
        continue;
      }
      if (RETRYABLE_STATUSES.has(res.status)) {
        const message = await this.serverMessage(res);
        const retryAfter = parseRetryAfter(res.headers.get('retry-after'));
        const reason = `${res.status}${message ? `: ${message}` : ''}`;
        if (attempt >= maxAttempts) {
          throw new ConnectorError('sync-api', `${what} failed after ${attempt} attempts: ${reason}`, {
            hint: 'The sync API is busy or unavailable; try again later.',
          });
        }
        if (retryAfter !== undefined && retryAfter > this.retry.maxRetryAfterMs) {
          throw new ConnectorError('sync-api', `${what} failed: ${reason}; the server asks to retry after ${Math.round(retryAfter / 1000)} s`, {
            hint: 'The sync API is busy; try again later.',
          });
        }
        await this.pause(spec, what, attempt, reason, retryAfter);
        continue;
      }
      if (res.ok) return res;
      const message = await this.serverMessage(res);
      throw new ConnectorError('sync-api', `${what} failed with ${res.status}${message ? `: ${message}` : ''}`, {
        hint: res.status === 403 ? `api-user ${this.options.apiUser} may not do this; check its permissions.` : undefined,
      });
    }
  }

  private async pause(spec: RequestSpec, what: string, attempt: number, reason: string, retryAfterMs: number | undefined): Promise<void> {
    const delay = (retryAfterMs ?? backoffDelay(attempt, this.retry)) * this.delayScale;
    this.log?.info({ call: what, attempt, reason, delayMs: Math.round(delay) }, `sync API call ${what} failed (attempt ${attempt}), retrying in ${Math.round(delay)} ms`);
    await sleep(delay, spec.detached ? undefined : this.options.signal);
    this.assertNotStopped(spec, what);
  }

  /** Once the run is stopped, no new request starts (except the abort itself). */
  private assertNotStopped(spec: RequestSpec, what: string): void {
    const signal = this.options.signal;
    if (spec.detached || !signal?.aborted) return;
    throw new ConnectorError('sync-api', `${what} not completed: ${errorMessage(signal.reason)}`);
  }

  /**
   * The signal of one attempt: the per-attempt timeout, the connect timeout until the answer
   * starts (not for uploads), and the run's stop signal. `reason()` names the timeout that fired.
   */
  private attemptSignal(spec: RequestSpec, upload: boolean): { signal: AbortSignal; reason: () => string | undefined; clear: () => void } {
    const requestMs = spec.timeoutMs ?? this.options.requestTimeoutMs ?? 10 * 60_000;
    const connectMs = this.options.connectTimeoutMs ?? 10_000;
    const request = AbortSignal.timeout(requestMs);
    const connect = new AbortController();
    const timer = upload || spec.timeoutMs !== undefined ? undefined : setTimeout(() => connect.abort(), connectMs);
    const signals = [request, connect.signal];
    if (this.options.signal && !spec.detached) signals.push(this.options.signal);
    return {
      signal: AbortSignal.any(signals),
      reason: () => {
        if (connect.signal.aborted) return `no answer within ${Math.round(connectMs / 1000)} s (api-connect-timeout)`;
        if (request.aborted) return `not finished within ${Math.round(requestMs / 1000)} s (${spec.timeoutMs === undefined ? 'api-request-timeout' : 'deadline'})`;
        return undefined;
      },
      // The connect timeout ends when the answer starts; the body may take longer.
      clear: () => clearTimeout(timer),
    };
  }

  private headers(spec: RequestSpec, token: string | undefined): Record<string, string> {
    const headers: Record<string, string> = { 'User-Agent': this.options.userAgent, ...spec.headers };
    if (this.options.domain) headers['Raito-Domain'] = this.options.domain;
    if (token !== undefined) headers.Authorization = `Bearer ${token}`;
    return headers;
  }

  private async readJson<S extends z.ZodType>(res: Response, what: string, schema: S): Promise<z.infer<S>> {
    const text = await res.text();
    const parsed = schema.safeParse(safeJson(text));
    if (!parsed.success) {
      throw new ConnectorError('sync-api', `${what} answered ${res.status} with an unexpected body: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')}`);
    }
    return parsed.data;
  }

  /** The server's own words (`error_description`, `error`, `message`, or the text), short and without secrets. */
  private async serverMessage(res: Response): Promise<string> {
    let text: string;
    try {
      text = await res.text();
    } catch {
      return '';
    }
    const json = safeJson(text);
    let message = text.trim();
    if (typeof json === 'object' && json !== null) {
      const o = json as Record<string, unknown>;
      const pick = [o.error_description, o.message, o.error].find((v) => typeof v === 'string' && v !== '');
      if (typeof pick === 'string') message = pick;
    }
    if (message.length > MAX_MESSAGE_CHARS) message = `${message.slice(0, MAX_MESSAGE_CHARS)}…`;
    return this.redact(message);
  }

  private redact(text: string): string {
    return this.secrets.mask(text);
  }

  /** Reads and drops a body so the connection can be reused. */
  private async discard(res: Response): Promise<void> {
    await res.arrayBuffer().catch(() => undefined);
  }
}

export function contentDigest(sha256Hex: string): string {
  return `sha-256=:${Buffer.from(sha256Hex, 'hex').toString('base64')}:`;
}

function isFinal(status: string): boolean {
  return status === 'completed' || status === 'failed';
}

function isStream(body: RequestBody | undefined): body is ReadStream {
  return typeof body === 'object' && body !== null && 'pipe' in body;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The OS or TLS error code behind a failed fetch (undici puts it in the cause). */
function networkCode(err: unknown): string | undefined {
  const cause = err instanceof Error ? err.cause : undefined;
  const code = cause instanceof Error ? (cause as NodeJS.ErrnoException).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** undici reports "fetch failed" with the interesting part (ECONNRESET, ...) in the cause. */
function networkReason(err: unknown): string {
  const parts = [errorMessage(err)];
  const cause = err instanceof Error ? err.cause : undefined;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    parts.push(code ? `${code} ${cause.message}` : cause.message);
  }
  return parts.join(': ');
}
