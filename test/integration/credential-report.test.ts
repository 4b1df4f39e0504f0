import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import {
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateRoleCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  IAMClient,
  ListUsersCommand,
  TagUserCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AccessProvider, Manifest, User } from '../../src/model/index.js';
import { cli, workdir } from '../cli/cli.js';
import {motoAccountId, motoCredentials, useMoto, lastRun } from './moto.js';
import { records } from '../helpers/collect.js';

const moto = useMoto();

const isoDate = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

/**
 * moto implements the credential report, with these differences from AWS (each covered against
 * AWS's own format by the unit tests in test/importers/identity/credential-report.test.ts):
 * - it has no `<root_account>` row, so no root user is written here;
 * - `password_last_changed` is the user's creation date, not when the password was set;
 * - `access_key_N_last_used_region` and `_service` are `not_supported` (AWS: the region and
 *   service, or N/A), so a used key has a last-use date here but no region or service;
 * - `cert_N_last_rotated` is always N/A; `password_last_used` is `not_supported` without a password
 *   (AWS: N/A); `GeneratedTime` is a fixed 2015-02-02T20:02:02Z.
 * RoleLastUsed: moto records the date when credentials of an assumed role are used, but not the region.
 */
describe('connector run against moto: credential facts from the IAM credential report', () => {
  it('reports a console user with MFA, a machine user with two access keys, a user with neither, and when a role was last used', async () => {
    const config = { endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
    const iam = new IAMClient(config);

    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    await iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: 'Correct-Horse-9' }));
    const mfa = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'alice-phone' }));
    await iam.send(new EnableMFADeviceCommand({ UserName: 'alice', SerialNumber: mfa.VirtualMFADevice?.SerialNumber, AuthenticationCode1: '123456', AuthenticationCode2: '654321' }));

    await iam.send(new CreateUserCommand({ UserName: 'svc-etl' }));
    await iam.send(new TagUserCommand({ UserName: 'svc-etl', Tags: [{ Key: 'machine', Value: 'true' }] }));
    const first = await iam.send(new CreateAccessKeyCommand({ UserName: 'svc-etl' }));
    const second = await iam.send(new CreateAccessKeyCommand({ UserName: 'svc-etl' }));
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'svc-etl', AccessKeyId: second.AccessKey?.AccessKeyId, Status: 'Inactive' }));
    // One use of the first key, so it has a last use.
    const asEtl = new IAMClient({ ...config, credentials: { accessKeyId: first.AccessKey!.AccessKeyId!, secretAccessKey: first.AccessKey!.SecretAccessKey! } });
    await asEtl.send(new ListUsersCommand({}));

    await iam.send(new CreateUserCommand({ UserName: 'bob' }));

    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${motoAccountId}:user/svc-etl` }, Action: 'sts:AssumeRole' }] };
    await iam.send(new CreateRoleCommand({ RoleName: 'Loader', AssumeRolePolicyDocument: JSON.stringify(trust) }));
    await iam.send(new CreateRoleCommand({ RoleName: 'Idle', AssumeRolePolicyDocument: JSON.stringify(trust) }));
    const assumed = await new STSClient(config).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${motoAccountId}:role/Loader`, RoleSessionName: 'load' }));
    const asLoader = new STSClient({ ...config, credentials: { accessKeyId: assumed.Credentials!.AccessKeyId!, secretAccessKey: assumed.Credentials!.SecretAccessKey!, sessionToken: assumed.Credentials!.SessionToken } });
    await asLoader.send(new GetCallerIdentityCommand({}));

    const dir = await workdir(
      [
        'targets:',
        '  - name: moto',
        '    connector-name: aws-account',
        `    aws-endpoint-url: ${moto.endpoint}`,
        '    aws-regions: us-east-1',
        '    aws-s3-enabled: false',
        '    aws-user-is-machine-tag: machine=true',
        '    skip-data-usage-sync: true',
      ].join('\n'),
    );
    const result = await cli(['run'], { cwd: dir, env: motoCredentials });
    expect(result.code, result.stdout + result.stderr).toBe(0);

    const run = await lastRun(dir);
    const manifest = JSON.parse(await readFile(join(run, 'manifest.json'), 'utf8')) as Manifest;
    const usersStream = manifest.streams.find((s) => s.name === 'users');
    expect(usersStream).toMatchObject({ complete: true, records: 3 });
    expect(usersStream?.warnings ?? []).toEqual([]);

    const users = new Map((await records<User>(join(run, 'users.jsonl.gz'))).map((u) => [u.name, u]));
    const reportGeneratedAt = '2015-02-02T20:02:02.000Z';
    expect(users.get('alice')).toMatchObject({ isMachine: false });
    expect(users.get('alice')?.posture).toEqual({
      reportGeneratedAt,
      createdAt: isoDate,
      passwordEnabled: true,
      passwordLastChanged: isoDate,
      mfaActive: true,
      accessKeys: [],
      signingCertificates: [],
    });
    expect(users.get('svc-etl')).toMatchObject({ isMachine: true });
    expect(users.get('svc-etl')?.posture).toEqual({
      reportGeneratedAt,
      createdAt: isoDate,
      passwordEnabled: false,
      passwordLastChanged: isoDate,
      mfaActive: false,
      accessKeys: [
        { slot: 1, active: true, lastRotated: isoDate, lastUsed: isoDate },
        { slot: 2, active: false, lastRotated: isoDate },
      ],
      signingCertificates: [],
    });
    expect(users.get('bob')).toMatchObject({ isMachine: false });
    expect(users.get('bob')?.posture).toEqual({ reportGeneratedAt, createdAt: isoDate, passwordEnabled: false, passwordLastChanged: isoDate, mfaActive: false, accessKeys: [], signingCertificates: [] });

    const providers = new Map((await records<AccessProvider>(join(run, 'access-providers.jsonl.gz'))).map((p) => [p.externalId, p]));
    expect(providers.get('role:Loader')?.lastUsed).toEqual({ date: isoDate });
    expect(providers.get('role:Idle')).not.toHaveProperty('lastUsed');
  }, 60_000);
});
