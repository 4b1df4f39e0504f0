import pino from 'pino';
import { createSyncContext } from '../../src/host/sync-context.js';
import { coerceParameters } from '../../src/plugin-api/parameters.js';
import type { AwsInterceptor, ParameterSpec, SyncContext, SyncKind } from '../../src/plugin-api/contract.js';

export interface TestContextOptions {
  /** Parameter specs to coerce `params` with (defaults applied), as the config loader would. */
  specs?: readonly ParameterSpec[];
  /** Raw parameters as written in raito.yml (strings are fine). */
  params?: Record<string, unknown>;
  awsInterceptor?: AwsInterceptor;
  syncs?: SyncKind[];
  dryRun?: boolean;
  /** The run's signal (to stop the run in a test); a fresh one that never aborts by default. */
  signal?: AbortSignal;
}

/** A SyncContext for tests: silent logger, fresh state and call counter. */
export function testContext(options: TestContextOptions = {}): SyncContext {
  const raw = { 'aws-regions': 'eu-central-1', ...options.params };
  let params: Record<string, unknown> = raw;
  if (options.specs) {
    const { params: coerced, problems } = coerceParameters(options.specs, raw);
    if (problems.length > 0) throw new Error(`test parameters: ${problems.map((p) => `${p.parameter} ${p.message}`).join('; ')}`);
    params = { ...raw, ...coerced };
  }
  return createSyncContext({
    targetName: 'test-target',
    params,
    logger: pino({ level: 'silent' }),
    signal: options.signal ?? new AbortController().signal,
    syncs: new Set(options.syncs ?? ['data-source', 'identity-store', 'data-access', 'data-usage']),
    dryRun: options.dryRun ?? false,
    awsInterceptor: options.awsInterceptor,
  });
}
