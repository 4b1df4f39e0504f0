import pLimit from 'p-limit';
import { awsContextFor } from '../../aws/index.js';
import type { AwsCall } from '../../aws/errors.js';
import { AwsReads } from '../../aws/reads.js';
import { ConnectorError } from '../../errors.js';
import type { UsageStatement } from '../../model/index.js';
import type { DataUsageInput, DataUsageResult, StreamSink, SyncContext, SyncOutputs } from '../../plugin-api/contract.js';
import { loadS3Permissions } from '../../policy/s3-permissions.js';
import { dataObjectOptions } from '../data-objects/index.js';
import { CursorTracker, readWindow, type ReadWindow } from './cursor.js';
import { dataObjectResolver } from './data-objects.js';
import { EventIdSet } from './event-ids.js';
import type { LogFile } from './layout.js';
import { cachedAttribution } from './attribution.js';
import type { CloudTrailEvent } from './cloudtrail-event.js';
import { usageFailures } from './failures.js';
import { accountFolders, dayFiles, fetchLogFile, gunzipLogFile, parseLogFile, regionFolders, trailBucketRegion, unreadableReason, type TrailBucket } from './log-files.js';
import { usageOptions, validateUsageParameters, type UsageOptions } from './parameters.js';
import { EventPermissions } from './permissions.js';
import { toStatement, type DropReason, type StatementEnv } from './statements.js';
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
    const { ctx, aws } = reads;
    const started = Date.now();
    ctx.logger.info({ bucket: location.bucket, prefix: location.prefix, trail: location.trail, from: new Date(this.window.from).toISOString(), days: this.window.days.length, why: this.window.reason }, 'reading CloudTrail logs');
    const region = await trailBucketRegion(reads, out, location.bucket);
    const trail: TrailBucket = { reads, out, bucket: location.bucket, prefix: location.prefix, account: this.account, region };
    const env: StatementEnv = {
      account: this.account,
      trailBucket: location.bucket,
      resolver: await dataObjectResolver({ reads, account: this.account, options: dataObjectOptions(ctx.params), out }),
      permissions: new EventPermissions(await loadS3Permissions()),
      attribute: cachedAttribution(this.account),
      firstSeen: ((ids) => (id: string) => ids.add(id))(new EventIdSet()),
    };

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
    this.finish(started, env);
  }

  private async readFile(trail: TrailBucket, file: LogFile, env: StatementEnv): Promise<void> {
    const { reads, out } = this;
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
    let records: CloudTrailEvent[];
    try {
      // Parsed here, with no await before the mapping starts: one file's objects at a time.
      records = parseLogFile(await gunzipLogFile(fetched.value));
    } catch (err) {
      this.countFailure(file);
      this.fileSink.warn(`usage: log file ${where} could not be read: ${unreadableReason(err)}`);
      this.fileSink.markIncomplete();
      return;
    }
    // Waits only when the sink asks to: a file's events are then mapped in one go, so only the
    // file being mapped is held as parsed objects while the others are still downloading.
    for (const event of records) {
      this.events++;
      const made = toStatement(event, env);
      if (typeof made === 'string') this.dropped.set(made, (this.dropped.get(made) ?? 0) + 1);
      else {
        const writing = out.write(made);
        if (writing) await writing;
      }
    }
    this.filesRead++;
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

  private finish(started: number, env: StatementEnv): void {
    if (this.failures.length > NAMED_FAILURES) this.out.warn(`usage: ${this.failures.length - NAMED_FAILURES} more log files could not be read (the first ${NAMED_FAILURES} are named above)`);
    const unknown = env.permissions.warning();
    if (unknown) this.out.warn(`usage: ${unknown}`);
    this.reads.ctx.logger.info(
      { files: this.filesRead, unreadable: this.failures.length, events: this.events, statements: this.out.records, dropped: Object.fromEntries(this.dropped), ms: Date.now() - started },
      'CloudTrail logs read',
    );
  }
}
