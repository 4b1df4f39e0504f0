import { describe, expect, it } from 'vitest';
import { cli, workdir } from './cli.js';

describe('connector info aws-organization', () => {
  it('lists the Identity Center connector and its parameters, also under the Raito plugin name', async () => {
    const list = await cli(['info'], { cwd: await workdir() });
    expect(list.stdout).toMatch(/^aws-organization\n {2}Syncs the users, groups and group memberships of AWS IAM Identity Center/m);

    const result = await cli(['info', 'raito-io/cli-plugin-aws-organization'], { cwd: await workdir() });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^aws-organization /);
    expect(result.stdout).toContain('  aws-identity-store-id (string, optional)');
    expect(result.stdout).toContain('  aws-identity-center-rate-limit (integer, optional, default 20)');
    expect(result.stdout).toContain('  aws-region (string, optional)');
    expect(result.stdout).not.toContain('aws-regions');
  });
});
