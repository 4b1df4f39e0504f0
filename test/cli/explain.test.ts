import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { cli, workdir } from './cli.js';

const NOT_IN_SIGHT = 'Not evaluated: service control policies (SCPs), resource control policies and session policies are out of sight of this command; they can only narrow this answer.';
const demo = async (...args: string[]) => {
  const cwd = await workdir();
  const result = await cli(['explain', '--demo', ...args], { cwd });
  return { ...result, files: await readdir(cwd) };
};

describe('connector explain against the demo account', () => {
  it('allowed: the deciding statement is named', async () => {
    const r = await demo('--principal', 'role/cross-account-auditor', '--action', 's3:GetObject', '--resource', 's3://acme-logs/cloudtrail/2024/x.json.gz');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      [
        'Request: role/cross-account-auditor s3:GetObject arn:aws:s3:::acme-logs/cloudtrail/2024/x.json.gz (account 111122223333)',
        'Decision: allowed',
        'Deciding statements:',
        '  allow inline policy read-logs of role cross-account-auditor statement 1',
        NOT_IN_SIGHT,
        '',
      ].join('\n'),
    );
    // Reads only: no output files, no upload.
    expect(r.files).toEqual([]);
  });

  it('denied explicitly: the Deny statement with its Sid', async () => {
    const r = await demo('--principal', 'role/data-platform-etl', '--action', 's3:GetObject', '--resource', 's3://acme-hr/payroll/x.csv');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Decision: denied explicitly\nDeciding statements:\n  deny  inline policy etl-pipeline of role data-platform-etl statement 3 (NeverHr)\n');
  });

  it('not allowed: nothing allows it', async () => {
    const r = await demo('--principal', 'user/mallory', '--action', 's3:DeleteObject', '--resource', 's3://acme-hr/x');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Decision: not allowed (no policy allows it)\nNote: no policy allows it: AWS denies by default (implicit deny)\n');
  });

  it('depends on conditions: names the keys, the boundary and the bucket policy statements (JSON)', async () => {
    const r = await demo('--principal', 'user/mallory', '--action', 's3:PutObject', '--resource', 's3://acme-sales/uploads/mallory/a.txt', '--json');
    expect(r.code).toBe(0);
    const answer = JSON.parse(r.stdout) as { decision: string; conditionKeys: string[]; statements: { effect: string; kind: string; policy: string; index: number; sid?: string }[]; notEvaluated: string[] };
    expect(answer.decision).toBe('conditional');
    expect(answer.conditionKeys).toEqual(['aws:SecureTransport']);
    expect(answer.statements.map((s) => `${s.effect} ${s.kind} ${s.policy} ${s.index}${s.sid ? ` ${s.sid}` : ''}`)).toEqual([
      'Allow identity inline policy contractor-uploads of user mallory 1',
      'Allow boundary permission boundary arn:aws:iam::111122223333:policy/DeveloperBoundary 1',
      'Deny bucket bucket policy of acme-sales 3 TlsOnly',
    ]);
    expect(answer.notEvaluated).toEqual(['service control policies', 'resource control policies', 'session policies']);
  });

  it.each([
    [['--principal', 'user/alice'], 'Error: missing --action, --resource'],
    [['--principal', 'alice', '--action', 's3:GetObject', '--resource', 's3://acme-sales/x'], 'Error: --principal alice must be user/<name> or role/<name>'],
    [['--principal', 'user/zed', '--action', 's3:GetObject', '--resource', 's3://acme-sales/x'], 'Error: --principal user/zed: there is no IAM user zed in this account'],
    [['--principal', 'user/alice', '--action', 's3:GetObjekt', '--resource', 's3://acme-sales/x'], 'Error: --action s3:GetObjekt is not an S3 action (for example s3:GetObject, s3:PutObject, s3:ListBucket)'],
    [['--principal', 'user/alice', '--action', 's3:GetObject', '--resource', 'acme-sales/x'], 'Error: --resource acme-sales/x is neither s3://bucket[/key] nor an S3 ARN'],
  ])('usage errors exit 2: %o', async (args, message) => {
    const r = await demo(...args);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(message);
    expect(r.stdout).toBe('');
  });

  it('without -t or --demo it asks for the target', async () => {
    const r = await cli(['explain', '--principal', 'user/alice', '--action', 's3:GetObject', '--resource', 's3://b/k'], { cwd: await workdir() });
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('Error: name the target to read with -t <target> (or use --demo)');
  });
});
