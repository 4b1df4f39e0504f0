import type {
  FinalizeRequestMiddleware,
  HandlerExecutionContext,
  InitializeMiddleware,
  MetadataBearer,
  MiddlewareStack,
} from '@smithy/types';
import type { Logger } from 'pino';
import type { AwsInterceptor, SyncContext } from '../plugin-api/contract.js';

/** Names of the middlewares the factory adds to every client. */
export const CALL_COUNTER_MIDDLEWARE = 'awsConnectorCallCounter';
export const RETRY_COUNTER_MIDDLEWARE = 'awsConnectorRetryCounter';
export const INTERCEPTOR_MIDDLEWARE = 'awsConnectorInterceptor';

/** The service names used in call counts, messages and the interceptor: the client name without "Client". */
export type AwsServiceName = 'IAM' | 'STS' | 'S3' | 'S3Control' | 'Glue' | 'SSOAdmin' | 'Identitystore' | 'CloudTrail';

export interface InstrumentedClient {
  middlewareStack: MiddlewareStack<object, MetadataBearer>;
  destroy(): void;
}

/** The previous attempt of one send: when it failed and why (for the retry log line). */
interface Attempt {
  n: number;
  failedAt?: number;
  error?: string;
}

function errorName(err: unknown): string {
  if (typeof err !== 'object' || err === null) return String(err);
  const e = err as { name?: unknown; code?: unknown };
  return typeof e.code === 'string' ? e.code : typeof e.name === 'string' ? e.name : 'Error';
}

/**
 * Adds the connector's middlewares to a client: a call counter (one count per `send`), a retry
 * counter inside the retry loop (`Service.Operation#retry` per retried attempt, and one info log
 * line per retry with the call, the attempt and the delay since the failed one), and, in demos
 * and benches, the interceptor that answers in-process without touching the network.
 */
export function instrument(client: InstrumentedClient, service: AwsServiceName, region: string, ctx: SyncContext, log: Logger): void {
  const stack = client.middlewareStack;
  const operationOf = (context: HandlerExecutionContext) => (context.commandName ?? 'Unknown').replace(/Command$/, '');
  const serviceOf = (context: HandlerExecutionContext) => context.clientName?.replace(/Client$/, '') || service;

  const counter: InitializeMiddleware<object, MetadataBearer> = (next, context) => (args) => {
    ctx.calls.add(`${serviceOf(context)}.${operationOf(context)}`);
    return next(args);
  };
  stack.add(counter, { step: 'initialize', priority: 'high', name: CALL_COUNTER_MIDDLEWARE });

  // One HandlerExecutionContext per send, shared by its attempts: the second sight of it is a retry.
  const attempts = new WeakMap<HandlerExecutionContext, Attempt>();
  const retries: FinalizeRequestMiddleware<object, MetadataBearer> = (next, context) => async (args) => {
    const previous = attempts.get(context);
    const attempt: Attempt = { n: (previous?.n ?? 0) + 1 };
    attempts.set(context, attempt);
    if (previous) {
      const call = `${serviceOf(context)}.${operationOf(context)}`;
      ctx.calls.add(`${call}#retry`);
      const delayMs = previous.failedAt === undefined ? undefined : Date.now() - previous.failedAt;
      log.info({ call, region, attempt: attempt.n, delayMs, after: previous.error }, `retrying ${call} (attempt ${attempt.n}, after ${previous.error ?? 'a failure'}, waited ${delayMs ?? '?'} ms)`);
    }
    try {
      return await next(args);
    } catch (err) {
      attempt.failedAt = Date.now();
      attempt.error = errorName(err);
      throw err;
    }
  };
  stack.addRelativeTo(retries, { relation: 'after', toMiddleware: 'retryMiddleware', name: RETRY_COUNTER_MIDDLEWARE });

  const interceptor: AwsInterceptor | undefined = ctx.awsInterceptor;
  if (interceptor) {
    const answer: InitializeMiddleware<object, MetadataBearer> = (_next, context) => async (args) => {
      const input = (args.input ?? {}) as Record<string, unknown>;
      const result = (await interceptor({ service: serviceOf(context), operation: operationOf(context), region, input })) as Partial<MetadataBearer> | undefined;
      const output = { ...result, $metadata: result?.$metadata ?? { httpStatusCode: 200 } } as MetadataBearer;
      return { output, response: {} };
    };
    stack.addRelativeTo(answer, { relation: 'after', toMiddleware: CALL_COUNTER_MIDDLEWARE, name: INTERCEPTOR_MIDDLEWARE });
  }
}
