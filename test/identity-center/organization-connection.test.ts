import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { organizationFor, releaseOrganization } from '../../src/identity-center/connection.js';
import type { SyncContext } from '../../src/plugin-api/contract.js';
import { awsAccountPlugin } from '../../src/plugins/aws-account/index.js';
import { queryResponse, startLocalAws, STS_NS, type LocalAwsServer, type Responder } from '../aws/local-aws-server.js';
import { testContext } from '../helpers/context.js';

// The second connection runs the SDK's real middleware (signing, AssumeRole) against a local server.

const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const TEMP_KEY = 'ASIAORGANIZATIONTEMP';
const ORG_ROLE = 'arn:aws:iam::999988887777:role/raito-identity-center';
const ENV_KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION', 'AWS_ENDPOINT_URL'];

let saved: Record<string, string | undefined>;
let server: LocalAwsServer | undefined;
let ctx: SyncContext | undefined;

beforeEach(() => {
  saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  for (const k of ENV_KEYS) delete process.env[k];
  process.env.AWS_ACCESS_KEY_ID = KEY_ID;
  process.env.AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
});

afterEach(async () => {
  if (ctx) releaseOrganization(ctx);
  await server?.close();
  for (const k of ENV_KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

const respond: Responder = (req) => {
  if (req.action === 'AssumeRole') {
    return queryResponse(
      'AssumeRole',
      `<Credentials><AccessKeyId>${TEMP_KEY}</AccessKeyId><SecretAccessKey>temp-secret</SecretAccessKey><SessionToken>org-session</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::999988887777:assumed-role/raito-identity-center/aws-access-connector</Arn><AssumedRoleId>AROAEXAMPLE:aws-access-connector</AssumedRoleId></AssumedRoleUser>`,
      STS_NS,
    );
  }
  return {
    status: 200,
    headers: { 'content-type': 'application/x-amz-json-1.1' },
    body: JSON.stringify({ Instances: [{ InstanceArn: 'arn:aws:sso:::instance/ssoins-1111222233334444', IdentityStoreId: 'd-1234567890', Status: 'ACTIVE' }] }),
  };
};

describe('the management-account connection of aws-account', () => {
  it('assumes aws-organization-assume-role-arn with its external id and calls Identity Center in aws-organization-region', async () => {
    server = await startLocalAws(respond);
    ctx = testContext({
      specs: awsAccountPlugin.parameters,
      params: {
        'aws-regions': 'eu-central-1',
        'aws-endpoint-url': server.url,
        'aws-organization-region': 'us-west-2',
        'aws-organization-assume-role-arn': ORG_ROLE,
        'aws-organization-assume-role-external-id': 'org-external-id',
      },
    });
    const instance = await organizationFor(ctx).instance(true);
    expect(instance).toEqual({ instanceArn: 'arn:aws:sso:::instance/ssoins-1111222233334444', identityStoreId: 'd-1234567890' });

    const assume = server.requests.find((r) => r.action === 'AssumeRole')!;
    expect(assume.form.get('RoleArn')).toBe(ORG_ROLE);
    expect(assume.form.get('ExternalId')).toBe('org-external-id');
    const list = server.requests.find((r) => r.headers['x-amz-target'] === 'SWBExternalService.ListInstances')!;
    expect(list.headers.authorization).toContain(`Credential=${TEMP_KEY}/`);
    expect(list.headers.authorization).toMatch(/\/us-west-2\/sso\/aws4_request/);
    expect(list.headers['x-amz-security-token']).toBe('org-session');
    expect(ctx.calls.get('SSOAdmin.ListInstances')).toBe(1);
  });

  it('uses the target credentials directly when no organization role is given, in the first of aws-regions without a region of its own', async () => {
    server = await startLocalAws(respond);
    ctx = testContext({ specs: awsAccountPlugin.parameters, params: { 'aws-regions': 'eu-west-1,eu-central-1', 'aws-endpoint-url': server.url, 'aws-organization-identity-store': 'd-1234567890' } });
    await organizationFor(ctx).instance(true);
    expect(server.requests.some((r) => r.action === 'AssumeRole')).toBe(false);
    const list = server.requests.find((r) => r.headers['x-amz-target'] === 'SWBExternalService.ListInstances')!;
    expect(list.headers.authorization).toContain(`Credential=${KEY_ID}/`);
    expect(list.headers.authorization).toMatch(/\/eu-west-1\/sso\/aws4_request/);
  });
});
