import { spawnSync } from 'node:child_process';
import * as iamPackage from '@aws-sdk/client-iam';
import * as s3Package from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { GenerateCredentialReportCommand, GetAccountAuthorizationDetailsCommand } from '../../../src/aws/sdk/iam.js';
import { GetBucketPolicyCommand, S3Client } from '../../../src/aws/sdk/s3.js';

const distPlugins = new URL('../../../dist/plugins/index.js', import.meta.url).href;
const distS3 = new URL('../../../dist/aws/sdk/s3.js', import.meta.url).href;

/** The SDK packages a process has loaded after importing the built plugins, and then running `then` (a script). */
function loadedAfterImportingPlugins(then = ''): string[] {
  const script = `
    import { createRequire } from 'node:module';
    await import(${JSON.stringify(distPlugins)});
    ${then}
    const cache = createRequire(import.meta.url).cache;
    console.log(JSON.stringify(Object.keys(cache).filter((k) => k.includes('/@aws-sdk/client-')).map((k) => k.replace(/.*\\/@aws-sdk\\/(client-[^/]+)\\/.*/, '$1'))));
  `;
  // A client made under Node 20 warns that the SDK's releases from 2027 need Node 22: not an error of this test.
  const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env });
  expect(child.stderr).toBe('');
  return [...new Set(JSON.parse(child.stdout) as string[])].sort();
}

describe('the AWS SDK packages loaded through require', () => {
  it('stand for the very classes the package exports: instances, instanceof, statics and aws-sdk-client-mock see one class', async () => {
    const made = new S3Client({ region: 'eu-central-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    expect(made).toBeInstanceOf(s3Package.S3Client);
    expect(made).toBeInstanceOf(S3Client);
    expect(made.constructor).toBe(s3Package.S3Client);
    expect(S3Client.prototype).toBe(s3Package.S3Client.prototype);
    expect(new GenerateCredentialReportCommand({})).toBeInstanceOf(iamPackage.GenerateCredentialReportCommand);
    expect(new iamPackage.GetAccountAuthorizationDetailsCommand({})).toBeInstanceOf(GetAccountAuthorizationDetailsCommand);
    const aws = mockClient(S3Client);
    try {
      aws.on(s3Package.GetBucketPolicyCommand, { Bucket: 'sales' }).resolves({ Policy: '{"Statement":[]}' });
      expect((await made.send(new GetBucketPolicyCommand({ Bucket: 'sales' }))).Policy).toBe('{"Statement":[]}');
    } finally {
      aws.restore();
    }
  });

  it('a start loads no SDK client: each package is loaded when a sync first uses one of its exports', () => {
    expect(loadedAfterImportingPlugins()).toEqual([]);
    const makeS3Client = `const { S3Client } = await import(${JSON.stringify(distS3)}); new S3Client({ region: 'eu-central-1' });`;
    expect(loadedAfterImportingPlugins(makeS3Client)).toEqual(['client-s3']);
  });
});
