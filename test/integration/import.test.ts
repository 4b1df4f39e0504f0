import { CreateGroupCommand, AddUserToGroupCommand, CreateUserCommand, IAMClient, CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AccessProvider, DataObject, Group, Manifest, User } from '../../src/model/index.js';
import { cli, workdir } from '../cli/cli.js';
import {motoAccountId, motoCredentials, useMoto, lastRun } from './moto.js';
import { records } from '../helpers/collect.js';

const moto = useMoto();

function clients() {
  const config = { endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
  return { iam: new IAMClient(config), s3: new S3Client({ ...config, forcePathStyle: true }) };
}

describe('connector run against moto (a real AWS API implementation)', () => {
  it('imports an account with a user in a group, a role reading a bucket, and the bucket tree', async () => {
    const { iam, s3 } = clients();
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'analysts' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'analysts', UserName: 'alice' }));
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${motoAccountId}:user/alice` }, Action: 'sts:AssumeRole' }] };
    await iam.send(new CreateRoleCommand({ RoleName: 'SalesReader', AssumeRolePolicyDocument: JSON.stringify(trust) }));
    const read = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::sales/*' }] };
    await iam.send(new PutRolePolicyCommand({ RoleName: 'SalesReader', PolicyName: 'read', PolicyDocument: JSON.stringify(read) }));
    await s3.send(new CreateBucketCommand({ Bucket: 'sales' }));
    await s3.send(new PutObjectCommand({ Bucket: 'sales', Key: '2026/orders.csv', Body: 'id\n1\n' }));

    const dir = await workdir(
      [
        'targets:',
        '  - name: moto',
        '    connector-name: aws-account',
        `    aws-endpoint-url: ${moto.endpoint}`,
        '    aws-regions: us-east-1',
        '    skip-data-usage-sync: true',
      ].join('\n'),
    );
    const result = await cli(['run'], { cwd: dir, env: motoCredentials });
    expect(result.code, result.stdout + result.stderr).toBe(0);

    const run = await lastRun(dir);
    const manifest = JSON.parse(await readFile(join(run, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.streams.filter((s) => !s.complete).map((s) => s.name)).toEqual([]);

    const users = await records<User>(join(run, 'users.jsonl.gz'));
    const groups = await records<Group>(join(run, 'groups.jsonl.gz'));
    const analysts = groups.find((g) => g.name === 'analysts');
    expect(users.find((u) => u.name === 'alice')?.groupExternalIds).toEqual([analysts?.externalId]);

    const objects = await records<DataObject>(join(run, 'data-objects.jsonl.gz'));
    expect(objects.map((o) => o.fullName).sort()).toEqual([
      motoAccountId,
      `${motoAccountId}:us-east-1:sales`,
      `${motoAccountId}:us-east-1:sales/2026`,
      `${motoAccountId}:us-east-1:sales/2026/orders.csv`,
    ]);

    const providers = await records<AccessProvider>(join(run, 'access-providers.jsonl.gz'));
    const role = providers.find((p) => p.externalId === 'role:SalesReader');
    expect(role?.who.users).toEqual(['alice']);
    expect(role?.what).toEqual([{ dataObject: { fullName: `${motoAccountId}:us-east-1:sales`, type: 'bucket' }, permissions: ['s3:GetObject'] }]);
  });
});
