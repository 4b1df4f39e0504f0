import { describe, expect, it } from 'vitest';
import { awsAccountPlugin } from '../../src/plugins/aws-account/index.js';
import { cli, workdir } from './cli.js';

describe('connector info', () => {
  it('aws-account --json lists every declared parameter with its type, default and description', async () => {
    const result = await cli(['info', 'aws-account', '--json'], { cwd: await workdir() });
    expect(result.code).toBe(0);
    const info = JSON.parse(result.stdout) as { name: string; aliases: string[]; parameters: { name: string; type: string; description: string }[] };
    expect(info.name).toBe('aws-account');
    expect(info.aliases).toContain('raito-io/cli-plugin-aws-account');
    expect(info.parameters.map((p) => p.name)).toEqual(awsAccountPlugin.parameters.map((p) => p.name));
    expect(info.parameters.find((p) => p.name === 'aws-concurrency')).toMatchObject({ type: 'integer', default: 5 });
    expect(info.parameters.every((p) => p.description.length > 20)).toBe(true);
  });

  it('an unknown connector is a usage error', async () => {
    const result = await cli(['info', 'aws-acount'], { cwd: await workdir() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown connector "aws-acount"/);
  });
});

describe('connector check', () => {
  it('says which target has no usable AWS credentials and what to do, and exits 1', async () => {
    const dir = await workdir('targets:\n  - name: acct\n    connector-name: aws-account\n    aws-regions: eu-west-1\n');
    // No credentials anywhere, and no instance metadata lookups from a test.
    const result = await cli(['check'], { cwd: dir, env: { AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: `${dir}/none`, AWS_SHARED_CREDENTIALS_FILE: `${dir}/none` } });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^ok {3}config .*raito\.yml: 1 target\(s\) valid$/m);
    expect(result.stdout).toMatch(/^FAIL target acct: No usable AWS credentials for STS\.GetCallerIdentity.*aws-profile/m);
    expect(result.stdout).toMatch(/^ok {3}sync target: directory .*raito-sync/m);
  });
});
