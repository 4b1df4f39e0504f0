import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createAwsContext, type ManagedAwsContext } from '../../src/aws/client-factory.js';
import { AwsReads, type FailureTable } from '../../src/aws/reads.js';
import { awsError } from '../../src/demo/fake-aws/errors.js';
import { ConnectorError } from '../../src/errors.js';
import { testContext } from '../helpers/context.js';
import { MemorySink } from '../helpers/sinks.js';

// The read layer on its own: what a sync's table makes of each failure, and cancellation.

const made: ManagedAwsContext[] = [];
afterEach(() => {
  for (const aws of made.splice(0)) aws.destroy();
});

const table: FailureTable = { 'access-denied': 'partial', 'not-found': 'empty', throttled: 'detail' };

function reads(params: Record<string, unknown> = {}, controller = new AbortController()) {
  const ctx = { ...testContext({ params: { 'aws-regions': 'eu-central-1', ...params } }), signal: controller.signal };
  const aws = createAwsContext(ctx);
  made.push(aws);
  return new AwsReads(ctx, aws, table);
}

const call = { service: 'S3', operation: 'GetBucketPolicy', resource: 'sales', region: 'eu-central-1' };

describe('AwsReads.guard: one table per sync decides', () => {
  it('partial: a warning naming the call and permission, and the stream incomplete', async () => {
    const sink = new MemorySink<unknown>();
    const result = await reads().guard(call, sink, 'the policy of bucket sales', () => Promise.reject(awsError('AccessDenied', 403, 'no')));
    expect(result).toMatchObject({ ok: false, kind: 'access-denied', outcome: 'partial' });
    expect(sink.incomplete).toBe(true);
    expect(sink.warnings).toEqual([
      'the policy of bucket sales could not be read: AWS denied S3.GetBucketPolicy on sales: the credentials need s3:GetBucketPolicy on sales (AccessDenied: no)',
      'the policy of bucket sales: missing (access-denied)',
    ]);
  });

  it('empty: nothing said; detail: a warning, the stream stays complete', async () => {
    const sink = new MemorySink<unknown>();
    const r = reads();
    expect(await r.guard(call, sink, 'x', () => Promise.reject(awsError('NoSuchBucketPolicy', 404, 'none')))).toMatchObject({ ok: false, outcome: 'empty' });
    expect(sink.warnings).toEqual([]);
    expect(await r.guard(call, sink, 'the tags of sales', () => Promise.reject(awsError('SlowDown', 503, 'slow')))).toMatchObject({ ok: false, outcome: 'detail' });
    expect(sink.warnings).toEqual(['the tags of sales could not be read: AWS kept throttling S3.GetBucketPolicy on sales (SlowDown: slow)']);
    expect(sink.incomplete).toBe(false);
  });

  it('logs an empty outcome at debug level: "AWS has none" when AWS said so, "could not be read" when it failed', async () => {
    const lines: Record<string, unknown>[] = [];
    const ctx = { ...testContext({ params: { 'aws-regions': 'eu-central-1' } }), logger: pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) }) };
    const aws = createAwsContext(ctx);
    made.push(aws);
    const r = new AwsReads(ctx, aws, table);
    const sink = new MemorySink<unknown>();
    await r.guard(call, sink, 'the policy of bucket sales', () => Promise.reject(awsError('NoSuchBucketPolicy', 404, 'none')));
    await r.guard(call, sink, 'the region of bucket logs', () => Promise.reject(awsError('AccessDenied', 403, 'no')), { 'access-denied': 'empty' });
    expect(lines.filter((l) => l.outcome === 'empty').map((l) => [l.level, l.msg])).toEqual([
      [20, 'the policy of bucket sales: AWS has none'],
      [20, 'the region of bucket logs could not be read'],
    ]);
    expect(sink.warnings).toEqual([]);
  });

  it('a kind the table does not name is fatal: thrown described, and every other read of the sync is cancelled', async () => {
    const r = reads();
    const sink = new MemorySink<unknown>();
    const failure = await r.guard(call, sink, 'x', () => Promise.reject(awsError('InvalidAccessKeyId', 403, 'revoked'))).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ConnectorError);
    expect((failure as ConnectorError).message).toBe('AWS did not accept the credentials for S3.GetBucketPolicy (revoked, inactive or mistyped access key, or a wrong secret) (InvalidAccessKeyId: revoked)');
    expect(r.signal.aborted).toBe(true);
    expect(sink.warnings).toEqual([]);
    let started = false;
    await expect(r.call(async () => (started = true))).rejects.toBe(failure);
    expect(started).toBe(false);
  });

  it('an override changes one read without changing the sync table', async () => {
    const sink = new MemorySink<unknown>();
    const r = reads();
    const result = await r.guard(call, sink, 'tags', () => Promise.reject(awsError('AccessDenied', 403, 'no')), { 'access-denied': 'detail' });
    expect(result).toMatchObject({ outcome: 'detail' });
    expect(sink.incomplete).toBe(false);
  });
});

describe('AwsReads.forEach', () => {
  it('runs aws-concurrency items at a time and starts none after the first failure', async () => {
    const r = reads({ 'aws-concurrency': 3 });
    let running = 0;
    let most = 0;
    let failed = false;
    const started: number[] = [];
    const startedAfterFailure: number[] = [];
    const failure = await r
      .forEach(
        Array.from({ length: 20 }, (_, i) => i),
        async (i) => {
          started.push(i);
          if (failed) startedAfterFailure.push(i);
          running++;
          most = Math.max(most, running);
          await new Promise((resolve) => setTimeout(resolve, 10));
          running--;
          if (i === 4) {
            failed = true;
            throw new Error('item 4 failed');
          }
        },
      )
      .catch((e: unknown) => e);
    expect((failure as Error).message).toBe('item 4 failed');
    expect(most).toBe(3);
    expect(startedAfterFailure).toEqual([]);
    // Items 0-2, then 3-5 (and at most one more freed by 3 finishing just before 4 failed).
    expect(started.slice(0, 6)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(started.length).toBeLessThanOrEqual(7);
  });

  it('a stop of the run stops the items and rethrows the stop, not a partial result', async () => {
    const controller = new AbortController();
    const r = reads({ 'aws-concurrency': 2 }, controller);
    const started: number[] = [];
    const work = r.forEach([0, 1, 2, 3], async (i) => {
      started.push(i);
      if (i === 0) controller.abort(new Error('stopped by SIGTERM'));
      await new Promise((resolve) => setTimeout(resolve, 5));
    });
    await expect(work).rejects.toThrow('stopped by SIGTERM');
    // Item 1 was next in the pool when the stop came: it never started.
    expect(started).toEqual([0]);
  });
});
