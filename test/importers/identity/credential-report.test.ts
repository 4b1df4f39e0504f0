import { readFileSync } from 'node:fs';
import {
  CredentialReportExpiredException,
  CredentialReportNotReadyException,
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  IAMClient,
  IAMServiceException,
} from '@aws-sdk/client-iam';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultReportWait, parseCredentialReport, readCredentialReport, ReportFormatError, type CredentialReport, type ReportWait } from '../../../src/importers/identity/credential-report.js';
import { identityParameters } from '../../../src/importers/identity/parameters.js';
import { testContext } from '../../helpers/context.js';

const reportCsv = readFileSync(new URL('../../fixtures/credential-report/report.csv', import.meta.url), 'utf8');
const generatedAt = '2026-11-30T06:00:00.000Z';

describe('parsing the credential report', () => {
  let report: CredentialReport;
  beforeAll(async () => {
    report = await parseCredentialReport(reportCsv, generatedAt);
  });

  it('reads a console user: password on and used, MFA, no keys', () => {
    expect(report.users.get('alice')).toEqual({
      reportGeneratedAt: generatedAt,
      createdAt: '2021-05-06T09:00:00.000Z',
      passwordEnabled: true,
      passwordLastUsed: '2026-11-29T16:45:03.000Z',
      passwordLastChanged: '2026-09-01T08:00:00.000Z',
      passwordNextRotation: '2026-12-01T08:00:00.000Z',
      mfaActive: true,
      accessKeys: [],
      signingCertificates: [],
    });
  });

  it('reads a machine user: two access keys (one inactive) with last use, region and service, and a signing certificate', () => {
    expect(report.users.get('svc-etl')).toEqual({
      reportGeneratedAt: generatedAt,
      createdAt: '2022-02-02T02:02:02.000Z',
      passwordEnabled: false,
      mfaActive: false,
      accessKeys: [
        { slot: 1, active: true, lastRotated: '2025-01-10T12:00:00.000Z', lastUsed: '2026-11-30T05:12:00.000Z', lastUsedRegion: 'eu-central-1', lastUsedService: 's3' },
        { slot: 2, active: false, lastRotated: '2023-06-01T00:00:00.000Z', lastUsed: '2024-02-03T04:05:06.000Z', lastUsedRegion: 'us-east-1', lastUsedService: 'glue' },
      ],
      signingCertificates: [{ slot: 1, active: true, lastRotated: '2022-02-02T02:02:02.000Z' }],
    });
  });

  it('leaves out what the report has as no_information or N/A: a password never used since tracking began, a key never used', () => {
    expect(report.users.get('legacy')).toEqual({
      reportGeneratedAt: generatedAt,
      createdAt: '2013-07-08T09:10:11.000Z',
      passwordEnabled: true,
      passwordLastChanged: '2013-07-08T09:10:11.000Z',
      mfaActive: false,
      accessKeys: [{ slot: 1, active: true, lastRotated: '2015-01-01T00:00:00.000Z' }],
      signingCertificates: [],
    });
  });

  it('keeps the root row apart: its ARN, and no password facts where AWS says not_supported', () => {
    expect(report.root).toEqual({
      arn: 'arn:aws:iam::111122223333:root',
      posture: {
        reportGeneratedAt: generatedAt,
        createdAt: '2019-03-04T10:11:12.000Z',
        passwordLastUsed: '2026-10-01T07:00:00.000Z',
        mfaActive: true,
        accessKeys: [],
        signingCertificates: [],
      },
    });
    expect(report.users.has('<root_account>')).toBe(false);
  });

  it('reads a quoted user name holding a comma', () => {
    expect([...report.users.keys()]).toEqual(['alice', 'svc-etl', 'legacy', 'ops,eu']);
    expect(report.users.get('ops,eu')?.createdAt).toBe('2024-04-04T04:04:04.000Z');
  });

  it('finds columns by name, so columns in another order or added by AWS change nothing', async () => {
    const [header, ...rows] = reportCsv.trim().split('\n').map((l) => l.split(','));
    const alice = rows.find((r) => r[0] === 'alice')!;
    const order = header!.map((_, i) => i).reverse();
    const shuffled = `${[...order.map((i) => header![i]), 'new_column'].join(',')}\n${[...order.map((i) => alice[i]), 'x'].join(',')}\n`;
    expect((await parseCredentialReport(shuffled, generatedAt)).users.get('alice')).toEqual(report.users.get('alice'));
  });

  it('reads a report of 20,000 users in slices, so that the answers that come meanwhile are handled', async () => {
    const [header, ...rows] = reportCsv.trim().split('\n');
    const big = [header, ...Array.from({ length: 20_000 }, (_, u) => rows[u % rows.length]!.replace(/^[^,]+/, `user-${u}`))].join('\n');
    const order: string[] = [];
    setImmediate(() => order.push('another answer'));
    await parseCredentialReport(big, generatedAt).then((read) => order.push(`report of ${read.users.size} users`));
    expect(order).toEqual(['another answer', 'report of 20000 users']);
  });

  it('refuses a text without a user column', async () => {
    await expect(parseCredentialReport('name,arn\nalice,x\n', generatedAt)).rejects.toThrow(new ReportFormatError('it has no header row with a "user" column'));
  });
});

/** A clock that only moves when the reader sleeps: the waits are recorded, none is real. */
function fakeClock(maxWaitMs = 30_000): ReportWait & { sleeps: number[] } {
  let now = 0;
  const sleeps: number[] = [];
  return {
    maxWaitMs,
    firstDelayMs: 1_000,
    maxDelayMs: 8_000,
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

const csvBytes = (text: string) => new TextEncoder().encode(text);
const deniedError = (operation: string) =>
  new IAMServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: `User: arn:aws:iam::111122223333:user/connector is not authorized to perform: iam:${operation}` });

describe('reading the credential report', () => {
  let iam: AwsClientStub<IAMClient>;
  beforeEach(() => {
    iam = mockClient(IAMClient);
  });
  afterEach(() => iam.restore());

  const ctx = () => testContext({ specs: identityParameters, syncs: ['identity-store'] });

  it('asks again with growing pauses while AWS answers STARTED and INPROGRESS, then reads the report', async () => {
    iam
      .on(GenerateCredentialReportCommand)
      .resolvesOnce({ State: 'STARTED' })
      .resolvesOnce({ State: 'INPROGRESS' })
      .resolvesOnce({ State: 'INPROGRESS' })
      .resolves({ State: 'COMPLETE' });
    iam.on(GetCredentialReportCommand).resolves({ Content: csvBytes(reportCsv), ReportFormat: 'text/csv', GeneratedTime: new Date(generatedAt) });
    const clock = fakeClock();
    const result = await readCredentialReport(ctx(), clock);

    expect(clock.sleeps).toEqual([1_000, 2_000, 4_000]);
    expect(iam.commandCalls(GenerateCredentialReportCommand)).toHaveLength(4);
    expect(iam.commandCalls(GetCredentialReportCommand)).toHaveLength(1);
    expect(result.ok && [...result.report.users.keys()]).toEqual(['alice', 'svc-etl', 'legacy', 'ops,eu']);
    expect(result.ok && result.report.generatedAt).toBe(generatedAt);
  });

  it('reads a recent report with two calls and no wait', async () => {
    iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iam.on(GetCredentialReportCommand).resolves({ Content: csvBytes(reportCsv), GeneratedTime: new Date(generatedAt) });
    const clock = fakeClock();
    const result = await readCredentialReport(ctx(), clock);
    expect(result.ok).toBe(true);
    expect(clock.sleeps).toEqual([]);
    expect(iam.calls()).toHaveLength(2);
  });

  it('gives up after the bounded wait with one warning, pauses capped at maxDelayMs and the last one cut to the deadline', async () => {
    iam.on(GenerateCredentialReportCommand).resolves({ State: 'INPROGRESS' });
    const clock = fakeClock(20_000);
    const result = await readCredentialReport(ctx(), clock);

    expect(clock.sleeps).toEqual([1_000, 2_000, 4_000, 8_000, 5_000]);
    expect(iam.commandCalls(GetCredentialReportCommand)).toHaveLength(0);
    expect(result).toEqual({
      ok: false,
      warning:
        'The IAM credential report was not ready after 20 s (iam:GenerateCredentialReport, last state INPROGRESS); users are written without their credential facts (posture) and the root user is left out',
    });
  });

  it('waits and asks again when the report expired or is rebuilt between COMPLETE and GetCredentialReport', async () => {
    iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iam
      .on(GetCredentialReportCommand)
      .rejectsOnce(new CredentialReportExpiredException({ $metadata: { httpStatusCode: 410 }, message: 'expired' }))
      .rejectsOnce(new CredentialReportNotReadyException({ $metadata: { httpStatusCode: 404 }, message: 'in progress' }))
      .resolves({ Content: csvBytes(reportCsv), GeneratedTime: new Date(generatedAt) });
    const clock = fakeClock();
    const result = await readCredentialReport(ctx(), clock);
    expect(result.ok).toBe(true);
    expect(clock.sleeps).toEqual([1_000, 2_000]);
    expect(iam.commandCalls(GetCredentialReportCommand)).toHaveLength(3);
  });

  it('names iam:GenerateCredentialReport when AWS denies it, and makes no other call', async () => {
    iam.on(GenerateCredentialReportCommand).rejects(deniedError('GenerateCredentialReport'));
    const result = await readCredentialReport(ctx(), fakeClock());
    expect(result.ok).toBe(false);
    expect(!result.ok && result.warning).toMatch(
      /^AWS denied IAM\.GenerateCredentialReport: the credentials need iam:GenerateCredentialReport \(AccessDenied: .*\); users are written without their credential facts \(posture\) and the root user is left out; grant the permission or set aws-identity-skip-credential-report: true$/,
    );
    expect(iam.calls()).toHaveLength(1);
  });

  it('names iam:GetCredentialReport when only that one is denied', async () => {
    iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iam.on(GetCredentialReportCommand).rejects(deniedError('GetCredentialReport'));
    const result = await readCredentialReport(ctx(), fakeClock());
    expect(!result.ok && result.warning).toMatch(/^AWS denied IAM\.GetCredentialReport: the credentials need iam:GetCredentialReport /);
  });

  it('turns a report that cannot be read into a warning naming the problem', async () => {
    iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iam.on(GetCredentialReportCommand).resolves({ Content: csvBytes('user,arn\n"alice,arn:aws:iam::1:user/alice\n'), GeneratedTime: new Date(generatedAt) });
    const result = await readCredentialReport(ctx(), fakeClock());
    expect(result).toEqual({
      ok: false,
      warning: 'The IAM credential report could not be read (line 2: a quoted field is not closed); users are written without their credential facts (posture) and the root user is left out',
    });
  });

  it('stops waiting at once when the run is aborted, and throws the abort rather than a warning', async () => {
    iam.on(GenerateCredentialReportCommand).resolves({ State: 'STARTED' });
    const controller = new AbortController();
    const aborted = { ...ctx(), signal: controller.signal };
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    await expect(readCredentialReport(aborted, { ...defaultReportWait, firstDelayMs: 60_000 })).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(iam.commandCalls(GenerateCredentialReportCommand)).toHaveLength(1);
  });

  it('turns a server error that outlived the retries into a warning naming the call', async () => {
    iam.on(GenerateCredentialReportCommand).rejects(new IAMServiceException({ name: 'ServiceFailure', $fault: 'server', $metadata: { httpStatusCode: 500, attempts: 3 }, message: 'internal error' }));
    const result = await readCredentialReport(ctx(), fakeClock());
    expect(result).toEqual({
      ok: false,
      warning:
        'The IAM credential report could not be read: AWS kept failing IAM.GenerateCredentialReport after 3 attempts (ServiceFailure: internal error); users are written without their credential facts (posture) and the root user is left out',
    });
  });
});
