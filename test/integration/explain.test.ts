import { AttachUserPolicyCommand, CreatePolicyCommand, CreateRoleCommand, CreateUserCommand, IAMClient, PutRolePermissionsBoundaryCommand, PutRolePolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateAccessPointCommand, PutAccessPointPolicyCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, workdir } from '../cli/cli.js';
import { motoAccountId, motoCredentials, startMoto, type Moto } from './moto.js';

let moto: Moto;
let dir: string;
const doc = (...Statement: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement });

beforeAll(async () => {
  moto = await startMoto();
  const config = { endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
  const iam = new IAMClient(config);
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const s3control = new S3ControlClient({ ...config, disableHostPrefix: true });
  // S3 Control's endpoint rules put `<account-id>.` before any host; moto serves one host (as the client factory does for emulators).
  const controlConfig = s3control.config as { endpointProvider: typeof s3control.config.endpointProvider };
  const rules = controlConfig.endpointProvider;
  controlConfig.endpointProvider = (params, context) => rules({ ...params, RequiresAccountId: false }, context);

  // alice reads sales through her own inline policy and a managed one; the bucket policy denies her the hr/ folder.
  await iam.send(new CreateUserCommand({ UserName: 'alice' }));
  await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'read', PolicyDocument: doc({ Sid: 'ReadSales', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::sales/*' }) }));
  const vpcOnly = await iam.send(
    new CreatePolicyCommand({ PolicyName: 'PutFromOffice', PolicyDocument: doc({ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::sales/*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }) }),
  );
  await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: vpcOnly.Policy?.Arn }));
  // EtlRole may do everything in S3, but its boundary allows only reads of reports/.
  const trust = doc({ Effect: 'Allow', Principal: { Service: 'glue.amazonaws.com' }, Action: 'sts:AssumeRole' });
  await iam.send(new CreateRoleCommand({ RoleName: 'EtlRole', AssumeRolePolicyDocument: trust }));
  await iam.send(new PutRolePolicyCommand({ RoleName: 'EtlRole', PolicyName: 'all', PolicyDocument: doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }) }));
  const boundary = await iam.send(new CreatePolicyCommand({ PolicyName: 'ReportsOnly', PolicyDocument: doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::sales/reports/*' }) }));
  await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'EtlRole', PermissionsBoundary: boundary.Policy?.Arn }));

  await s3.send(new CreateBucketCommand({ Bucket: 'sales' }));
  await s3.send(
    new PutBucketPolicyCommand({
      Bucket: 'sales',
      Policy: doc({ Sid: 'NoHr', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::sales/hr/*' }),
    }),
  );
  await s3control.send(new CreateAccessPointCommand({ AccountId: motoAccountId, Name: 'reports', Bucket: 'sales' }));
  await s3control.send(
    new PutAccessPointPolicyCommand({
      AccountId: motoAccountId,
      Name: 'reports',
      Policy: doc({ Sid: 'AliceReports', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${motoAccountId}:user/alice` }, Action: 's3:ListBucket', Resource: `arn:aws:s3:us-east-1:${motoAccountId}:accesspoint/reports` }),
    }),
  );
  dir = await workdir(['targets:', '  - name: moto', '    connector-name: aws-account', `    aws-endpoint-url: ${moto.endpoint}`, '    aws-regions: us-east-1'].join('\n'));
}, 60_000);
afterAll(async () => moto?.stop());

const explain = (...args: string[]) => cli(['explain', '-t', 'moto', ...args, '--json'], { cwd: dir, env: motoCredentials });
interface Answer {
  decision: string;
  conditionKeys: string[];
  statements: { effect: string; policy: string; index: number; sid?: string }[];
}
const parse = (stdout: string) => {
  const a = JSON.parse(stdout) as Answer;
  return { decision: a.decision, keys: a.conditionKeys, statements: a.statements.map((s) => `${s.effect} ${s.policy} ${s.index}${s.sid ? ` ${s.sid}` : ''}`) };
};

describe('connector explain against moto', () => {
  it('allowed by the user\'s own inline policy', async () => {
    const r = await explain('--principal', 'user/alice', '--action', 's3:GetObject', '--resource', 's3://sales/reports/q1.csv');
    expect(r.code, r.stderr).toBe(0);
    expect(parse(r.stdout)).toEqual({ decision: 'allowed', keys: [], statements: ['Allow inline policy read of user alice 1 ReadSales'] });
  });

  it('denied explicitly by the bucket policy', async () => {
    const r = await explain('--principal', 'user/alice', '--action', 's3:GetObject', '--resource', 's3://sales/hr/salaries.csv');
    expect(r.code, r.stderr).toBe(0);
    expect(parse(r.stdout)).toEqual({ decision: 'denied', keys: [], statements: ['Deny bucket policy of sales 1 NoHr'] });
  });

  it('depends on conditions: the managed policy allows PutObject from one network', async () => {
    const r = await explain('--principal', 'user/alice', '--action', 's3:PutObject', '--resource', 's3://sales/in/x.csv');
    expect(r.code, r.stderr).toBe(0);
    expect(parse(r.stdout)).toEqual({ decision: 'conditional', keys: ['aws:SourceIp'], statements: ['Allow managed policy PutFromOffice (attached to user alice) 1'] });
  });

  it('not allowed: the role may do everything, but its permission boundary does not allow this', async () => {
    const r = await explain('--principal', 'role/EtlRole', '--action', 's3:PutObject', '--resource', 's3://sales/reports/q1.csv');
    expect(r.code, r.stderr).toBe(0);
    expect(parse(r.stdout)).toEqual({ decision: 'not-allowed', keys: [], statements: [] });
    const allowed = await explain('--principal', 'role/EtlRole', '--action', 's3:GetObject', '--resource', 's3://sales/reports/q1.csv');
    expect(parse(allowed.stdout)).toEqual({ decision: 'allowed', keys: [], statements: ['Allow inline policy all of role EtlRole 1', `Allow permission boundary arn:aws:iam::${motoAccountId}:policy/ReportsOnly 1`] });
  });

  it('through an access point: its policy allows alice to list', async () => {
    const r = await explain('--principal', 'user/alice', '--action', 's3:ListBucket', '--resource', `arn:aws:s3:us-east-1:${motoAccountId}:accesspoint/reports`);
    expect(r.code, r.stderr).toBe(0);
    expect(parse(r.stdout)).toEqual({ decision: 'allowed', keys: [], statements: ['Allow access point policy of reports 1 AliceReports'] });
  });

  it('an AWS failure exits 1 and names the call; no files are written', async () => {
    const r = await explain('--principal', 'user/alice', '--action', 's3:GetObject', '--resource', 's3://no-such-bucket/x');
    expect(r.code).toBe(1);
    expect(r.stderr.split("\n")[0]).toBe("Error: AWS did not find no-such-bucket for S3.GetBucketLocation (NoSuchBucket: The specified bucket does not exist)");
    expect(await readdir(dir)).toEqual(['raito.yml']);
  });
});
