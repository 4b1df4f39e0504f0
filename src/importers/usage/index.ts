import pLimit, { type LimitFunction } from 'p-limit';
import { awsContextFor } from '../../aws/index.js';
import type { AwsCall } from '../../aws/errors.js';
import { AwsReads } from '../../aws/reads.js';
import { ConnectorError } from '../../errors.js';
import type { UsageStatement } from '../../model/index.js';
import type { DataUsageInput, DataUsageResult, StreamSink, SyncContext, SyncOutputs } from '../../plugin-api/contract.js';
import { loadS3Permissions } from '../../policy/s3-permissions.js';
import { dataObjectOptions } from '../data-objects/index.js';
import { CursorTracker, readWindow, type ReadWindow } from './cursor.js';
import { resolverSpec } from './data-objects.js';
import { EventIdSet } from './event-ids.js';
import type { LogFile } from './layout.js';
import { usageFailures } from './failures.js';
import { NO_DATA_OBJECT, statementAt, UNKNOWN_PERMISSION, type FileBatch } from './file-batch.js';
import { accountFolders, dayFiles, fetchLogFile, regionFolders, trailBucketRegion, type TrailBucket } from './log-files.js';
import { openLogParser, type LogParser } from './log-parser.js';
import { unreadableReason } from './log-text.js';
import { usageOptions, validateUsageParameters, type UsageOptions } from './parameters.js';
import { EventPermissions } from './permissions.js';
import type { DropReason } from './statements.js';
import { discoverTrail, type TrailLocation } from './trail.js';

export { usageParameters, validateUsageParameters } from './parameters.js';

/** How many unreadable files are named one by one in warnings; the rest are counted in one more. */
const NAMED_FAILURES = 10;

/**
 * The data usage sync: S3 data events from the CloudTrail log files written since the cursor,
 * one usage statement per event. Returns the new cursor (see DataUsageResult).
 */
export async function syncDataUsage(ctx: SyncContext, out: Pick<SyncOutputs, 'data-usage'>, input: DataUsageInput): Promise<DataUsageResult> {
  const problems = validateUsageParameters(ctx.params);
  if (problems.length > 0) {
    throw new ConnectorError('config', problems.map((p) => `${p.parameter}: ${p.message}`).join('\n'), { hint: 'Fix the usage parameters of this target in the config file.' });
  }
  const sink = out['data-usage'];
  const options = usageOptions(ctx.params);
  const aws = awsContextFor(ctx);
  const account = await aws.accountId();
  const reads = new AwsReads(ctx, aws, usageFailures);
  const location = options.bucket ? { bucket: options.bucket, prefix: options.prefix } : await discoverTrail(reads, sink);
  if (!location) {
    sink.warn(
      'usage: no CloudTrail trail that logs S3 data events was found for this account (cloudtrail:DescribeTrails, cloudtrail:GetEventSelectors); the usage sync was skipped. Set aws-s3-cloudtrail-bucket (and aws-s3-cloudtrail-prefix) to the bucket of the trail that logs them.',
    );
    sink.markIncomplete('no CloudTrail trail with S3 data events: usage was not read');
    return {};
  }
  const startedAt = Date.now();
  const window = readWindow(input.lastUsed, startedAt, options.startDays);
  const reader = new UsageReader(reads, sink, account, location, options, window, new CursorTracker(startedAt));
  await reader.run();
  return { lastUsed: reader.cursor.next(input.lastUsed) };
}

/** What reading the files of one sync shares: the parser, and the checks that need every file of the run. */
interface ReadEnv {
  parser: LogParser;
  /** The files being parsed and written: parser.parallel x 2, so that each parser always has the next file. */
  parsing: LimitFunction;
  /** The event ids seen in this run: `add` is true the first time. */
  seen: EventIdSet;
  /** Counts the event names without a permission, for the stream's warning. */
  permissions: EventPermissions;
}

class UsageReader {
  private readonly dropped = new Map<DropReason, number>();
  private readonly failures: string[] = [];
  private filesRead = 0;
  private events = 0;

  /** Where a log file's failure is said: the first NAMED_FAILURES by name, and one incomplete mark for them all. */
  private readonly fileSink = {
    warn: (message: string) => {
      if (this.failures.length <= NAMED_FAILURES) this.out.warn(message);
    },
    markIncomplete: () => this.out.markIncomplete('some CloudTrail log files could not be read'),
  };

  constructor(
    private readonly reads: AwsReads,
    private readonly out: StreamSink<UsageStatement>,
    private readonly account: string,
    private readonly location: TrailLocation,
    private readonly options: UsageOptions,
    private readonly window: ReadWindow,
    readonly cursor: CursorTracker,
  ) {}

  async run(): Promise<void> {
    const { reads, out, location } = this;
    const { ctx } = reads;
    ctx.logger.info({ bucket: location.bucket, prefix: location.prefix, trail: location.trail, from: new Date(this.window.from).toISOString(), days: this.window.days.length, why: this.window.reason }, 'reading CloudTrail logs');
    const region = await trailBucketRegion(reads, out, location.bucket);
    const trail: TrailBucket = { reads, out, bucket: location.bucket, prefix: location.prefix, account: this.account, region };
    const resolver = await resolverSpec({ reads, account: this.account, options: dataObjectOptions(ctx.params), out });
    const started = Date.now();

    const folders: { folder: string; region: string }[] = [];
    const call: AwsCall = { service: 'S3', operation: 'ListObjectsV2', resource: `s3://${trail.bucket}/${location.prefix}`, region: trail.region };
    const listed = await reads.guard(call, out, `usage: the CloudTrail logs in bucket ${trail.bucket}`, async () => {
      for (const folder of await accountFolders(trail)) {
        for (const region of await regionFolders(trail, folder, this.options.regions)) folders.push({ folder, region });
      }
    });
    // Nothing was read: the cursor stays where this run started reading.
    if (!listed.ok) return this.cursor.failed(this.window.from);
    if (folders.length === 0) {
      // Most likely a wrong bucket or prefix: the cursor must not move past logs that are elsewhere.
      this.cursor.failed(this.window.from);
      const where = `${location.prefix ? `${location.prefix}/` : ''}AWSLogs/`;
      out.warn(`usage: bucket ${trail.bucket} has no CloudTrail logs of account ${this.account} under ${where}; check aws-s3-cloudtrail-bucket and aws-s3-cloudtrail-prefix`);
      out.markIncomplete(`no CloudTrail logs of account ${this.account} in s3://${trail.bucket}/${where}`);
      return;
    }

    // Events are mapped where the files are parsed (worker threads); the duplicate check and the
    // count of unknown event names need every file of the run, so they stay on this thread.
    const catalogue = await loadS3Permissions();
    const parser = openLogParser({ account: this.account, trailBucket: location.bucket, resolver, permissions: catalogue.all });
    ctx.logger.info({ parser: parser.mode, why: parser.why }, 'parsing CloudTrail log files');
    const env: ReadEnv = { parser, parsing: pLimit(2 * parser.parallel), seen: new EventIdSet(), permissions: new EventPermissions(catalogue) };
    try {
      await this.readAll(trail, folders, env);
    } finally {
      // The workers end with the sync, also when it fails or is aborted.
      await parser.close();
    }
    this.finish(started, env);
  }

  private async readAll(trail: TrailBucket, folders: { folder: string; region: string }[], env: ReadEnv): Promise<void> {
    const { reads } = this;
    const { aws } = reads;
    // Files are read by their own pool (the AWS calls inside take aws.limit): at most aws-concurrency files are in memory.
    const pool = pLimit(aws.concurrency);
    const pending = new Set<Promise<void>>();
    try {
      await Promise.all(
        folders.map(async ({ folder, region }) => {
          for await (const file of dayFiles(trail, folder, region, this.window, (day) => this.dayFailed(day))) {
            const task = pool(() => this.readFile(trail, file, env));
            pending.add(task);
            const done = () => pending.delete(task);
            task.then(done, done);
            // Listing runs ahead of reading by at most a few pages' worth of keys.
            if (pool.pendingCount > 4 * aws.concurrency) await Promise.race(pending);
          }
        }),
      );
      await Promise.all(pending);
    } catch (err) {
      // A fatal failure (bad credentials) cancels the other reads: queued files stop before their
      // first call, and nothing of this sync runs after it has failed.
      reads.fail(err);
      await Promise.allSettled(pending);
      throw err;
    }
  }

  private async readFile(trail: TrailBucket, file: LogFile, env: ReadEnv): Promise<void> {
    const { reads } = this;
    reads.signal.throwIfAborted();
    const where = `s3://${this.location.bucket}/${file.key}`;
    const call: AwsCall = { service: 'S3', operation: 'GetObject', resource: where, region: trail.region };
    const fetched = await reads.guard(call, this.fileSink, `usage: log file ${where}`, async () => {
      try {
        return await fetchLogFile(trail, file.key);
      } catch (err) {
        // Counted before the guard names it: only the first NAMED_FAILURES files are named.
        this.countFailure(file);
        throw err;
      }
    });
    if (!fetched.ok) return;
    // Downloads overlap to hide AWS's latency, but only a few files at a time are parsed and
    // written: a parsed file waiting for the spool would otherwise outlive the young generation,
    // and aws-concurrency of them would pile up in the old one (peak RSS 334 -> 242 MB at 16).
    await env.parsing(() => this.parseAndWrite(file, where, fetched.value, env));
  }

  private async parseAndWrite(file: LogFile, where: string, gz: Uint8Array, env: ReadEnv): Promise<void> {
    const { out } = this;
    let batch: FileBatch;
    try {
      batch = await env.parser.read(gz);
    } catch (err) {
      this.countFailure(file);
      this.fileSink.warn(`usage: log file ${where} could not be read: ${unreadableReason(err)}`);
      this.fileSink.markIncomplete();
      return;
    }
    this.events += batch.records;
    for (const [reason, count] of Object.entries(batch.dropped)) this.drop(reason as DropReason, count);
    for (let i = 0; i < batch.ids.length; i++) {
      if (!env.seen.add(batch.ids[i]!)) this.drop('duplicate');
      else if (batch.kind[i] === UNKNOWN_PERMISSION) {
        this.drop('unknown-permission');
        env.permissions.noteUnknown(batch.strings[batch.eventName[i]!]!);
      } else if (batch.kind[i] === NO_DATA_OBJECT) this.drop('no-data-object');
      else {
        // Waits only when the sink asks to.
        const writing = out.write(statementAt(batch, i));
        if (writing) await writing;
      }
    }
    this.filesRead++;
  }

  private drop(reason: DropReason, count = 1): void {
    this.dropped.set(reason, (this.dropped.get(reason) ?? 0) + count);
  }

  /** A log file that could not be read holds the cursor at its time. */
  private countFailure(file: LogFile): void {
    this.cursor.failed(file.writtenAt);
    this.failures.push(file.key);
  }

  private dayFailed(dayPrefix: string): void {
    // The day's files stay unread (the listing said why): the cursor must not pass the start of that day.
    const m = /(\d{4})\/(\d{2})\/(\d{2})\/$/.exec(dayPrefix);
    if (m) this.cursor.failed(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  }

  private finish(started: number, env: ReadEnv): void {
    if (this.failures.length > NAMED_FAILURES) this.out.warn(`usage: ${this.failures.length - NAMED_FAILURES} more log files could not be read (the first ${NAMED_FAILURES} are named above)`);
    const unknown = env.permissions.warning();
    if (unknown) this.out.warn(`usage: ${unknown}`);
    this.reads.ctx.logger.info(
      { parser: env.parser.mode, files: this.filesRead, unreadable: this.failures.length, events: this.events, statements: this.out.records, dropped: Object.fromEntries(this.dropped), ms: Date.now() - started },
      'CloudTrail logs read',
    );
  }
}
