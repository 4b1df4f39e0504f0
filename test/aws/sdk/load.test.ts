import { spawnSync } from 'node:child_process';
import * as iamPackage from '@aws-sdk/client-iam';
import * as s3Package from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { GenerateCredentialReportCommand, GetAccountAuthorizationDetailsCommand } from '../../../src/aws/sdk/iam.js';
import { GetBucketPolicyCommand, S3Client } from '../../../src/aws/sdk/s3.js';

const distPlugins = new URL('../../../dist/plugins/index.js', import.meta.url).href;

/** The SDK packages and connector modules a process has loaded after importing the built plugins. */
function loadedAfterImportingPlugins(): string[] {
  const script = `
    import { createRequire } from 'node:module';
    await import(${JSON.stringify(distPlugins)});
    const cache = createRequire(import.meta.url).cache;
    console.log(JSON.stringify(Object.keys(cache).filter((k) => k.includes('/@aws-sdk/client-')).map((k) => k.replace(/.*\\/@aws-sdk\\/(client-[^/]+)\\/.*/, '$1'))));
  `;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(child.stderr).toBe('');
  return [...new Set(JSON.parse(child.stdout) as string[])].sort();
}

describe('the AWS SDK packages loaded through require', () => {
  it('are the very classes the package exports, so instanceof and aws-sdk-client-mock see one class', () => {
    expect(S3Client).toBe(s3Package.S3Client);
    expect(GetBucketPolicyCommand).toBe(s3Package.GetBucketPolicyCommand);
    expect(GetAccountAuthorizationDetailsCommand).toBe(iamPackage.GetAccountAuthorizationDetailsCommand);
    expect(new GenerateCredentialReportCommand({})).toBeInstanceOf(iamPackage.GenerateCredentialReportCommand);
  });

  it('a start without a usage sync does not load CloudTrail: the usage importer and its client are loaded when that sync runs', () => {
    expect(loadedAfterImportingPlugins()).toEqual(['client-glue', 'client-iam', 'client-identitystore', 'client-s3', 'client-s3-control', 'client-sso-admin', 'client-sts']);
  });
});
