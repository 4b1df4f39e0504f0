import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AccessProvider, DataObject, DataSourceMetadata, Manifest, UsageStatement } from '../../src/model/index.js';
import { cli, workdir } from './cli.js';
import { records } from '../helpers/collect.js';

describe('connector demo', () => {
  it('syncs the sample account to ./raito-sync/demo/<run-id>/ without AWS credentials and exits 0', async () => {
    const dir = await workdir();
    const result = await cli(['demo'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Target demo \(aws-account\): succeeded/);
    // Once for identities and the export's plan, once more for the import after the demo's export changed IAM:
    // each time one page of each of the 5 entity types.
    expect(result.stdout).toMatch(/IAM\.GetAccountAuthorizationDetails\s+10\n/);

    const entries = await readdir(join(dir, 'raito-sync', 'demo'));
    // Beside the run: the usage cursor the directory target keeps for the next run.
    expect(entries.filter((e) => e === 'usage-cursor.json')).toHaveLength(1);
    const runs = entries.filter((e) => e !== 'usage-cursor.json');
    expect(runs).toHaveLength(1);
    const run = join(dir, 'raito-sync', 'demo', runs[0]!);
    const manifest = JSON.parse(await readFile(join(run, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.streams.map((s) => s.name)).toEqual(expect.arrayContaining(['data-objects', 'users', 'groups', 'access-providers', 'data-usage']));
    expect(manifest.streams.every((s) => s.complete)).toBe(true);

    const users = await records<{ name: string }>(join(run, 'users.jsonl.gz'));
    expect(users.length).toBeGreaterThanOrEqual(12);
    expect(await records(join(run, 'groups.jsonl.gz'))).toHaveLength(4);

    const dataObjects = await records<DataObject>(join(run, 'data-objects.jsonl.gz'));
    for (const type of ['datasource', 'bucket', 'folder', 'file']) expect(dataObjects.some((d) => d.type === type), type).toBe(true);

    const known = new Set(dataObjects.map((d) => d.fullName));
    const metadata = JSON.parse(await readFile(join(run, 'metadata.json'), 'utf8')) as DataSourceMetadata;
    const file = metadata.dataObjectTypes.find((t) => t.name === 'file');
    expect(file?.permissions).toContainEqual(expect.objectContaining({ permission: 's3:GetObject', globalPermission: 'read' }));

    const providers = await records<AccessProvider>(join(run, 'access-providers.jsonl.gz'));
    for (const type of ['aws_role', 'aws_policy', 'aws_inline_policy', 'aws_access_point', 'aws_bucket_policy']) {
      expect(providers.some((p) => p.type === type), type).toBe(true);
    }
    expect(providers.some((p) => p.action === 'deny')).toBe(true);
    expect(providers.some((p) => p.incomplete && p.reasons.length > 0)).toBe(true);
    // Usage from the sample trail: who read and wrote what, attributed to users, roles and permission sets.
    const usage = await records<UsageStatement>(join(run, 'data-usage.jsonl.gz'));
    const line = (u: UsageStatement) => `${u.user ?? '-'} ${u.role ?? '-'} ${u.accessedDataObjects.map((a) => `${a.permissions.join('+')} ${a.dataObject.fullName}`).join(', ')}${u.success ? '' : ' (failed)'}`;
    expect(usage.map(line).sort()).toEqual([
      '- data-platform-etl s3:PutObject 111122223333:eu-central-1:acme-sales/warehouse/orders/year=2024/month=02/part-00000.snappy.parquet',
      'alice - s3:GetObject 111122223333:eu-central-1:acme-sales/2024/q1/customers.parquet',
      'alice - s3:GetObject 111122223333:eu-central-1:acme-sales/2024/q1/orders.parquet',
      'arn:aws:iam::111122223333:root - s3:DeleteObject 111122223333:eu-central-1:acme-sales/uploads/mallory/leads.csv',
      'heidi@acme.example analytics-readonly s3:GetObject 111122223333:eu-central-1:acme-sales/reports/annual-2023.pdf',
      'judy@acme.example DataAnalyst s3:ListBucket 111122223333:eu-central-1:acme-sales',
      'mallory - s3:GetObject 111122223333:us-east-1:acme-hr/payroll/2024-06.csv (failed)',
    ]);
    expect(usage.every((u) => known.has(u.accessedDataObjects[0]!.dataObject.fullName))).toBe(true);
    // Every data object an access provider grants on is in the data-objects stream of the same run.
    const dangling = providers.flatMap((p) => p.what.filter((w) => !known.has(w.dataObject.fullName)).map((w) => `${p.externalId} -> ${w.dataObject.fullName}`));
    expect(dangling).toEqual([]);
  });
});
