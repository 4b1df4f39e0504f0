import { describe, expect, it } from 'vitest';
import { accountLogsFolder, dayFolder, logsRoot, parseLogKey, startAfterKey } from '../../../src/importers/usage/layout.js';
import { compareKeys } from '../../../src/importers/data-objects/key-order.js';

const A = '111122223333';

describe('CloudTrail log file layouts', () => {
  it('reads an account-trail key without a prefix', () => {
    const key = `AWSLogs/${A}/CloudTrail/eu-central-1/2026/11/30/${A}_CloudTrail_eu-central-1_20261130T0805Z_Ab12Cd34.json.gz`;
    expect(parseLogKey(key)).toEqual({ key, prefix: '', account: A, region: 'eu-central-1', writtenAt: Date.UTC(2026, 10, 30, 8, 5) });
  });

  it('reads an account-trail key under a nested prefix', () => {
    const key = `logs/trail/AWSLogs/${A}/CloudTrail/us-east-1/2026/01/02/${A}_CloudTrail_us-east-1_20260102T2359Z_x.json.gz`;
    expect(parseLogKey(key)).toMatchObject({ prefix: 'logs/trail', account: A, region: 'us-east-1', writtenAt: Date.UTC(2026, 0, 2, 23, 59) });
  });

  it('reads an organisation-trail key with the org id and the member account', () => {
    const key = `org/AWSLogs/o-abc123def4/${A}/CloudTrail/eu-west-1/2026/11/30/${A}_CloudTrail_eu-west-1_20261130T1200Z_q.json.gz`;
    expect(parseLogKey(key)).toMatchObject({ prefix: 'org', orgId: 'o-abc123def4', account: A, region: 'eu-west-1' });
  });

  it('ignores digests, insights, other files and names that disagree with their folder', () => {
    expect(parseLogKey(`AWSLogs/${A}/CloudTrail-Digest/eu-west-1/2026/11/30/${A}_CloudTrail-Digest_eu-west-1_t_20261130T1200Z.json.gz`)).toBeUndefined();
    expect(parseLogKey(`AWSLogs/${A}/CloudTrail-Insight/eu-west-1/2026/11/30/${A}_CloudTrail-Insight_eu-west-1_20261130T1200Z_q.json.gz`)).toBeUndefined();
    expect(parseLogKey(`AWSLogs/${A}/CloudTrail/eu-west-1/2026/11/30/notes.txt`)).toBeUndefined();
    expect(parseLogKey(`AWSLogs/${A}/CloudTrail/eu-west-1/2026/11/30/${A}_CloudTrail_us-east-1_20261130T1200Z_q.json.gz`)).toBeUndefined();
    expect(parseLogKey(`AWSLogs/${A}/CloudTrail/eu-west-1/2026/11/30/999999999999_CloudTrail_eu-west-1_20261130T1200Z_q.json.gz`)).toBeUndefined();
  });

  it('builds the folders to list for both layouts and the day folders', () => {
    expect(logsRoot('')).toBe('AWSLogs/');
    expect(logsRoot('trail')).toBe('trail/AWSLogs/');
    expect(accountLogsFolder('trail', A)).toBe(`trail/AWSLogs/${A}/CloudTrail/`);
    expect(accountLogsFolder('', A, 'o-abc123def4')).toBe(`AWSLogs/o-abc123def4/${A}/CloudTrail/`);
    expect(dayFolder(new Date(Date.UTC(2026, 0, 5, 23, 59)))).toBe('2026/01/05/');
  });

  it('lists a day after the cursor: the StartAfter key sorts after older files and before files of the same minute or later', () => {
    const day = `AWSLogs/${A}/CloudTrail/eu-west-1/2026/11/30/`;
    const after = startAfterKey(day, A, 'eu-west-1', new Date(Date.UTC(2026, 10, 30, 12, 0, 42)));
    const older = `${day}${A}_CloudTrail_eu-west-1_20261130T1155Z_zzzz.json.gz`;
    const same = `${day}${A}_CloudTrail_eu-west-1_20261130T1200Z_0000.json.gz`;
    const newer = `${day}${A}_CloudTrail_eu-west-1_20261130T1205Z_0000.json.gz`;
    expect(compareKeys(older, after)).toBeLessThan(0);
    expect(compareKeys(same, after)).toBeGreaterThan(0);
    expect(compareKeys(newer, after)).toBeGreaterThan(0);
  });
});
