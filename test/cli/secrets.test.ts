import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeSyncApi } from '../sync-target/fake-sync-api.js';
import { cli, workdir } from './cli.js';

const apiSecret = 'api-S3cr3t-value-9f8e7d';
const awsSecret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const awsKeyId = 'AKIAIOSFODNN7EXAMPLE';
const sessionToken = 'FwoGZXIvYXdzEXAMPLESESSIONTOKEN0123456789';
const externalId = 'ext-id-secret-4242';

describe('secrets', () => {
  let api: FakeSyncApi | undefined;
  afterEach(async () => api?.stop());

  it('never appear in stdout, stderr, the log file or anything uploaded', async () => {
    api = await new FakeSyncApi({ clientId: 'connector-user', clientSecret: apiSecret }).start();
    const dir = await workdir();
    await writeFile(
      join(dir, 'demo.yml'),
      [
        `api-url: ${api.url}`,
        'api-user: connector-user',
        'api-secret: "{{CONNECTOR_TEST_SECRET}}"',
        'targets:',
        '  - name: demo',
        '    connector-name: aws-account',
        '    aws-regions: eu-central-1,us-east-1,eu-west-1',
        '    aws-assume-role-arn: arn:aws:iam::111122223333:role/connector',
        `    aws-assume-role-external-id: ${externalId}`,
      ].join('\n'),
    );
    const result = await cli(['demo', '-c', 'demo.yml', '--log-level', 'trace', '--log-file', 'connector.log'], {
      cwd: dir,
      env: { CONNECTOR_TEST_SECRET: apiSecret, AWS_SECRET_ACCESS_KEY: awsSecret, AWS_ACCESS_KEY_ID: awsKeyId, AWS_SESSION_TOKEN: sessionToken },
    });
    expect(result.stderr).not.toBe('');
    expect(result.code, result.stderr).toBe(0);

    // Everything the connector wrote or sent, except the two places a credential must go:
    // the token request (client_secret) and the Authorization header (the bearer token).
    const uploaded = api.requests
      .filter((r) => r.path !== '/oauth/token')
      .map((r) => {
        const body = r.headers['content-encoding'] === 'gzip' ? gunzipSync(r.body) : r.body;
        const headers = Object.entries(r.headers).filter(([name]) => name !== 'authorization');
        return `${r.method} ${r.path} ${JSON.stringify(headers)} ${body.toString()}`;
      });
    expect(uploaded.some((u) => u.includes('/streams/users'))).toBe(true);
    const written = [result.stdout, result.stderr, await readFile(join(dir, 'connector.log'), 'utf8'), ...uploaded].join('\n');
    expect(await readdir(dir)).not.toContain('raito-sync');
    for (const secret of [apiSecret, awsSecret, awsKeyId, sessionToken, externalId, ...api.issuedTokens]) {
      expect(written).not.toContain(secret);
    }
  });
});
