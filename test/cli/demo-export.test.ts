import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AccessProvider, AccessProviderFeedback } from '../../src/model/index.js';
import { cli, workdir } from './cli.js';
import { records } from '../helpers/collect.js';

describe('connector demo exports the sample access providers', () => {
  it('applies them to the sample account in memory, reports them, and the import reads them back', async () => {
    const dir = await workdir();
    const result = await cli(['demo'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/aws_access_point\s+1\s+0\s+0\s+0\s+0/);
    expect(result.stdout).toMatch(/aws_policy\s+2\s+0\s+0\s+0\s+0/);
    expect(result.stdout).toMatch(/aws_role\s+1\s+0\s+0\s+0\s+0/);
    expect(result.stdout).toMatch(/aws_sso_role\s+1\s+0\s+0\s+0\s+0/);
    expect(result.stdout).toMatch(/IAM\.CreateRole\s+1/);
    expect(result.stdout).toMatch(/SSOAdmin\.CreatePermissionSet\s+1/);
    expect(result.stdout).toMatch(/SSOAdmin\.CreateAccountAssignment\s+2/);
    expect(result.stdout).toMatch(/S3Control\.CreateAccessPoint\s+1/);

    const [runId] = await readdir(join(dir, 'raito-sync', 'demo'));
    const run = join(dir, 'raito-sync', 'demo', runId!);
    const feedback = await records<AccessProviderFeedback>(join(run, 'access-provider-feedback.jsonl.gz'));
    expect(feedback.map((f) => [f.accessProvider, f.actualName, f.externalId, f.errors])).toEqual([
      ['demo-sales-2024-readers', 'Sales_2024_readers', 'role:Sales_2024_readers', []],
      ['demo-warehouse-writers', 'Warehouse_writers', 'policy:arn:aws:iam::111122223333:policy/Warehouse_writers', []],
      ['demo-no-payroll', 'No_payroll_for_contractors', 'policy:arn:aws:iam::111122223333:policy/No_payroll_for_contractors', []],
      ['demo-hr-reviews', 'hr-reviews', 'accesspoint:arn:aws:s3:us-east-1:111122223333:accesspoint/hr-reviews', []],
      ['demo-warehouse-readers-sso', 'Warehouse_readers', expect.stringMatching(/^permissionset:arn:aws:sso:::permissionSet\/ssoins-72230a1b2c3d4e5f\/ps-[0-9a-f]{16}$/), []],
    ]);
    const imported = new Map((await records<AccessProvider>(join(run, 'access-providers.jsonl.gz'))).map((p) => [p.externalId, p]));
    expect(imported.get('role:Sales_2024_readers')?.who.users).toEqual(['bob', 'erin', 'frank', 'heidi']);
    expect(imported.get('policy:arn:aws:iam::111122223333:policy/No_payroll_for_contractors#deny')?.who.users).toEqual(['mallory']);
    // The permission set is read back under the externalId of its feedback, with the who and what exported.
    const set = imported.get(feedback[4]!.externalId!);
    expect([set?.name, set?.who.users, set?.who.groups, set?.what, set?.locks]).toEqual([
      'Warehouse_readers',
      ['walter@acme.example'],
      ['Platform'],
      [{ dataObject: { fullName: '111122223333:eu-central-1:acme-sales/warehouse', type: 'folder' }, permissions: ['s3:GetObject'] }],
      undefined,
    ]);
  });
});
