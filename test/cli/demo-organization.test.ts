import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AccessProvider, DataSourceMetadata, Group, Manifest, User } from '../../src/model/index.js';
import { cli, workdir } from './cli.js';
import { records } from '../helpers/collect.js';

async function run(dir: string, target: string): Promise<string> {
  const [runId] = await readdir(join(dir, 'raito-sync', target));
  return join(dir, 'raito-sync', target, runId!);
}

describe('connector demo: the sample organization', () => {
  it('syncs the sample Identity Center as an aws-organization target, and its permission sets into the account', async () => {
    const dir = await workdir();
    const result = await cli(['demo'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Target demo-organization \(aws-organization\): succeeded/);

    const organization = await run(dir, 'demo-organization');
    const users = await records<User>(join(organization, 'users.jsonl.gz'));
    expect(users.map((u) => u.name)).toEqual(['oscar@acme.example', 'peggy@acme.example', 'trent', 'victor@acme.example', 'walter@acme.example']);
    expect(users.find((u) => u.name === 'peggy@acme.example')).toMatchObject({ displayName: 'Peggy Lind', email: 'peggy@acme.example', groupExternalIds: ['9067a1b2c3-g-analysts', '9067a1b2c3-g-platform'] });
    expect((await records<Group>(join(organization, 'groups.jsonl.gz'))).map((g) => g.name)).toEqual(['DataAnalysts', 'Platform']);
    const metadata = JSON.parse(await readFile(join(organization, 'metadata.json'), 'utf8')) as DataSourceMetadata;
    expect(metadata.identityStore).toEqual({ canBeLinked: true, canBeMasterIdentityStore: true });
    const manifest = JSON.parse(await readFile(join(organization, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.streams.every((s) => s.complete)).toBe(true);

    const account = await run(dir, 'demo');
    const providers = await records<AccessProvider>(join(account, 'access-providers.jsonl.gz'));
    expect(providers.filter((p) => p.type === 'aws_sso_role').map((p) => `${p.name}: ${p.who.groups.join(',')} ${p.who.users.join(',')}`)).toEqual([
      'DataAnalyst: DataAnalysts victor@acme.example',
      'SalesUploads: Platform ',
      'SalesUploads (deny): Platform ',
      // Exported by the demo's own export (src/demo/sample/export.ts) and read back.
      'Warehouse_readers: Platform walter@acme.example',
    ]);
  });
});
