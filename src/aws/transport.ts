import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Logger } from 'pino';
import type { AwsConnection } from './credentials.js';

/** Sockets beyond aws-concurrency per host: paginators and credential refreshes may overlap the limit a little. */
const EXTRA_SOCKETS = 4;

/** The SDK's Logger shape, answered by pino, so socket warnings of the HTTP handler land in the structured log. */
function sdkLogger(log: Logger) {
  const line = (content: unknown[]) => content.map((c) => (typeof c === 'string' ? c : JSON.stringify(c))).join(' ');
  return {
    trace: (...content: unknown[]) => log.trace(line(content)),
    debug: (...content: unknown[]) => log.debug(line(content)),
    info: (...content: unknown[]) => log.info(line(content)),
    warn: (...content: unknown[]) => log.warn(line(content)),
    error: (...content: unknown[]) => log.error(line(content)),
  };
}

/** The HTTP side of every client of a run: one socket pool sized to aws-concurrency, and the timeouts. */
export interface Transport {
  requestHandler: NodeHttpHandler;
  maxSockets: number;
  destroy(): void;
}

export function createTransport(connection: AwsConnection, log: Logger, overrides: { connectionTimeoutMs?: number; requestTimeoutMs?: number } = {}): Transport {
  const maxSockets = connection.concurrency + EXTRA_SOCKETS;
  const httpAgent = new HttpAgent({ keepAlive: true, maxSockets });
  const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets });
  const requestHandler = new NodeHttpHandler({
    connectionTimeout: overrides.connectionTimeoutMs ?? connection.connectTimeoutMs,
    requestTimeout: overrides.requestTimeoutMs ?? connection.attemptTimeoutMs,
    // A slow answer fails the attempt, so the SDK retries it instead of hanging the sync.
    throwOnRequestTimeout: true,
    httpAgent,
    httpsAgent,
    logger: sdkLogger(log),
  });
  return {
    requestHandler,
    maxSockets,
    destroy() {
      requestHandler.destroy();
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
