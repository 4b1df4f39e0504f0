import type { UserDetail } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { fakeAwsInterceptor } from '../../../src/demo/fake-aws/interceptor.js';
import { fakeServices } from '../../../src/demo/fake-aws/services.js';
import type { FakeAccount } from '../../../src/demo/fake-aws/types.js';
import { importIamIdentities } from '../../../src/importers/identity/iam.js';
import { validateMachineTag } from '../../../src/importers/identity/machine-tag.js';
import { identityParameters } from '../../../src/importers/identity/parameters.js';
import { awsAccountPlugin } from '../../../src/plugins/aws-account/index.js';
import type { AwsInterceptor } from '../../../src/plugin-api/contract.js';
import { coerceParameters } from '../../../src/plugin-api/parameters.js';
import { testContext } from '../../helpers/context.js';
import { memoryOutputs } from '../../helpers/sinks.js';

const ACCOUNT = '111122223333';
const GENERATED = '2026-11-30T06:00:00.000Z';

/** An account: users with tags, and the cells of their credential report rows. */
function account() {
  const users: UserDetail[] = [];
  const credentials: Record<string, Record<string, string>> = {};
  const fake: FakeAccount = { accountId: ACCOUNT, callerArn: `arn:aws:iam::${ACCOUNT}:user/connector`, iam: { users, groups: [], roles: [], policies: [], credentials }, s3: { buckets: [], accessPoints: [] }, glue: {} };
  const builder = {
    fake,
    user(name: string, report: Record<string, string> = {}, tags: Record<string, string> = {}) {
      users.push({ UserName: name, UserId: `AIDA${name.toUpperCase()}`, Arn: `arn:aws:iam::${ACCOUNT}:user/${name}`, CreateDate: new Date('2024-03-01T10:00:00Z'), Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) });
      credentials[name] = report;
      return builder;
    },
    root(report: Record<string, string>) {
      credentials['<root_account>'] = report;
      return builder;
    },
    deny(call: string) {
      (fake.denied ??= []).push(call);
      return builder;
    },
  };
  return builder;
}

function contextFor(fake: FakeAccount, params: Record<string, unknown> = {}) {
  return testContext({ specs: identityParameters, params, syncs: ['identity-store'], awsInterceptor: fakeAwsInterceptor(fake, fakeServices) });
}

/** alice signs in to the console with MFA; svc-etl has two access keys; bob has neither. */
const threeUsers = () =>
  account()
    .user('alice', { password_enabled: 'true', password_last_used: '2026-11-29T16:45:03+00:00', password_last_changed: '2026-09-01T08:00:00+00:00', mfa_active: 'true' })
    .user(
      'svc-etl',
      {
        access_key_1_active: 'true',
        access_key_1_last_rotated: '2025-01-10T12:00:00+00:00',
        access_key_1_last_used_date: '2026-11-30T05:12:00+00:00',
        access_key_1_last_used_region: 'eu-central-1',
        access_key_1_last_used_service: 's3',
        access_key_2_active: 'false',
        access_key_2_last_rotated: '2023-06-01T00:00:00+00:00',
      },
      { machine: 'true' },
    )
    .user('bob', {}, { machine: 'false' })
    .root({ mfa_active: 'true', password_last_used: '2026-10-01T07:00:00+00:00' });

const created = '2024-03-01T10:00:00.000Z';

describe('identity sync: credential facts from the IAM credential report', () => {
  it('adds each user the facts of their report row, and writes the root user from the root row', async () => {
    const ctx = contextFor(threeUsers().fake);
    const out = memoryOutputs();
    await importIamIdentities(ctx, out);

    expect(out.users.items.map((u) => [u.name, u.posture])).toEqual([
      [
        'alice',
        { reportGeneratedAt: GENERATED, createdAt: created, passwordEnabled: true, passwordLastUsed: '2026-11-29T16:45:03.000Z', passwordLastChanged: '2026-09-01T08:00:00.000Z', mfaActive: true, accessKeys: [], signingCertificates: [] },
      ],
      [
        'svc-etl',
        {
          reportGeneratedAt: GENERATED,
          createdAt: created,
          passwordEnabled: false,
          mfaActive: false,
          accessKeys: [
            { slot: 1, active: true, lastRotated: '2025-01-10T12:00:00.000Z', lastUsed: '2026-11-30T05:12:00.000Z', lastUsedRegion: 'eu-central-1', lastUsedService: 's3' },
            { slot: 2, active: false, lastRotated: '2023-06-01T00:00:00.000Z' },
          ],
          signingCertificates: [],
        },
      ],
      ['bob', { reportGeneratedAt: GENERATED, createdAt: created, passwordEnabled: false, mfaActive: false, accessKeys: [], signingCertificates: [] }],
      [
        '<root_account>',
        { reportGeneratedAt: GENERATED, createdAt: '2024-01-15T08:00:00.000Z', passwordLastUsed: '2026-10-01T07:00:00.000Z', mfaActive: true, accessKeys: [], signingCertificates: [] },
      ],
    ]);
    expect(out.users.items[3]).toMatchObject({ externalId: `arn:aws:iam::${ACCOUNT}:root`, name: '<root_account>', userName: '<root_account>', groupExternalIds: [], tags: [] });
    expect(out.users.items.map((u) => u.isMachine)).toEqual([undefined, undefined, undefined, undefined]);
    expect(out.users.warnings).toEqual([]);
    expect(out.users.incomplete).toBe(false);
    // One page of users and one (empty) of groups.
    expect(ctx.calls.toJSON()).toEqual({ 'IAM.GenerateCredentialReport': 1, 'IAM.GetCredentialReport': 1, 'IAM.GetAccountAuthorizationDetails': 2 });
  });

  it('writes the users without facts, with one warning naming the permission, and marks only the users stream incomplete when the report is denied', async () => {
    const ctx = contextFor(threeUsers().deny('IAM.GenerateCredentialReport').fake);
    const out = memoryOutputs();
    await importIamIdentities(ctx, out);

    expect(out.users.items.map((u) => [u.name, u.posture])).toEqual([
      ['alice', undefined],
      ['svc-etl', undefined],
      ['bob', undefined],
    ]);
    expect(out.users.warnings).toEqual([
      'AWS denied IAM.GenerateCredentialReport: the credentials need iam:GenerateCredentialReport (AccessDenied: User is not authorized to perform: iam:GenerateCredentialReport); users are written without their credential facts (posture) and the root user is left out; grant the permission or set aws-identity-skip-credential-report: true',
    ]);
    expect(out.users.incomplete).toBe(true);
    expect(out.groups.incomplete).toBe(false);
    expect(out.groups.warnings).toEqual([]);
  });

  it('makes no report call and stays complete with aws-identity-skip-credential-report', async () => {
    const ctx = contextFor(threeUsers().deny('IAM.GenerateCredentialReport').fake, { 'aws-identity-skip-credential-report': 'true' });
    const out = memoryOutputs();
    await importIamIdentities(ctx, out);
    expect(out.users.items.map((u) => [u.name, u.posture])).toEqual([
      ['alice', undefined],
      ['svc-etl', undefined],
      ['bob', undefined],
    ]);
    expect(out.users.incomplete).toBe(false);
    expect(out.users.warnings).toEqual([]);
    expect(ctx.calls.toJSON()).toEqual({ 'IAM.GetAccountAuthorizationDetails': 2 });
  });

  it('says once how many users are newer than the report, without marking the stream incomplete', async () => {
    const builder = threeUsers();
    builder.fake.iam.users.push({ UserName: 'new-hire', UserId: 'AIDANEWHIRE', Arn: `arn:aws:iam::${ACCOUNT}:user/new-hire` });
    // The report was made before new-hire existed: its row is not in it.
    const answer = fakeAwsInterceptor(builder.fake, fakeServices);
    const awsInterceptor: AwsInterceptor = async (call) => {
      const out = (await answer(call)) as { Content?: Uint8Array };
      if (call.operation !== 'GetCredentialReport' || !out.Content) return out;
      const rows = new TextDecoder().decode(out.Content).split('\n');
      return { ...out, Content: new TextEncoder().encode(rows.filter((r) => !r.startsWith('new-hire,')).join('\n')) };
    };
    const ctx = testContext({ specs: identityParameters, syncs: ['identity-store'], awsInterceptor });
    const out = memoryOutputs();
    await importIamIdentities(ctx, out);
    expect(out.users.items.find((u) => u.name === 'new-hire')?.posture).toBeUndefined();
    expect(out.users.warnings).toEqual([
      `1 user is not in the IAM credential report generated at ${GENERATED} (created after it, as AWS reuses a report for up to 4 hours) and has no credential facts (posture) in this run`,
    ]);
    expect(out.users.incomplete).toBe(false);
  });

  it('leaves the root user out with aws-user-excludes naming <root_account>', async () => {
    const out = memoryOutputs();
    await importIamIdentities(contextFor(threeUsers().fake, { 'aws-user-excludes': '<root_account>' }), out);
    expect(out.users.items.map((u) => u.name)).toEqual(['alice', 'svc-etl', 'bob']);
  });

  it('keeps the call bound with a report AWS still has to build: GAAD pages + 3 report calls for 2,500 users', async () => {
    const builder = account();
    for (let u = 0; u < 2500; u++) builder.user(`user-${u}`, u % 2 === 0 ? { mfa_active: 'true' } : {});
    builder.fake.iam.credentialReportReadyAfter = 1;
    const ctx = contextFor(builder.fake);
    const out = memoryOutputs();
    await importIamIdentities(ctx, out);
    expect(out.users.records).toBe(2501);
    expect(out.users.items.filter((u) => u.posture?.mfaActive === true)).toHaveLength(1250);
    // 3 pages of users and one (empty) of groups.
    expect(ctx.calls.toJSON()).toEqual({ 'IAM.GenerateCredentialReport': 2, 'IAM.GetCredentialReport': 1, 'IAM.GetAccountAuthorizationDetails': 4 });
  });
});

describe('identity sync: machine users from aws-user-is-machine-tag', () => {
  it('sets isMachine true for users with the tag (key in any case, value exact) and false for the others', async () => {
    const fake = threeUsers().user('etl-2', {}, { MACHINE: 'true' }).user('etl-3', {}, { machine: 'True' }).fake;
    const out = memoryOutputs();
    await importIamIdentities(contextFor(fake, { 'aws-user-is-machine-tag': 'machine=true' }), out);
    expect(out.users.items.map((u) => [u.name, u.isMachine])).toEqual([
      ['alice', false],
      ['svc-etl', true],
      ['bob', false],
      ['etl-2', true],
      ['etl-3', false],
      ['<root_account>', false],
    ]);
  });

  it('accepts key=value only, naming the parameter', () => {
    const problems = (value: string) => validateMachineTag(coerceParameters(identityParameters, { 'aws-user-is-machine-tag': value }).params);
    expect(problems('machine=true')).toEqual([]);
    expect(problems('kind=')).toEqual([]);
    expect(problems('machine')).toEqual([{ parameter: 'aws-user-is-machine-tag', message: 'expected key=value (e.g. machine=true), got "machine"' }]);
    expect(problems('=true')).toEqual([{ parameter: 'aws-user-is-machine-tag', message: 'expected key=value (e.g. machine=true), got "=true"' }]);
    expect(awsAccountPlugin.validate!(coerceParameters(awsAccountPlugin.parameters, { 'aws-regions': 'eu-central-1', 'aws-user-is-machine-tag': 'machine' }).params)).toEqual([
      { parameter: 'aws-user-is-machine-tag', message: 'expected key=value (e.g. machine=true), got "machine"' },
    ]);
  });
});

describe('connector check: the credential report permissions', () => {
  const check = (fake: FakeAccount, params: Record<string, unknown> = {}, syncs: ('identity-store' | 'data-access')[] = ['identity-store']) =>
    awsAccountPlugin.checkCredentials!(testContext({ specs: awsAccountPlugin.parameters, params, syncs, awsInterceptor: fakeAwsInterceptor(fake, fakeServices) }));

  it('passes when both calls are allowed', async () => {
    await expect(check(threeUsers().fake)).resolves.toBe(`AWS credentials work for account ${ACCOUNT} (regions eu-central-1)`);
  });

  it('fails naming the missing permission and the way out', async () => {
    await expect(check(threeUsers().deny('IAM.GetCredentialReport').fake)).rejects.toMatchObject({
      code: 'aws-access-denied',
      message: `AWS credentials work for account ${ACCOUNT} (regions eu-central-1), but the identity sync cannot read the IAM credential report: AWS denied IAM.GetCredentialReport: the credentials need iam:GetCredentialReport (AccessDenied: User is not authorized to perform: iam:GetCredentialReport)`,
      hint: expect.stringContaining('aws-identity-skip-credential-report: true'),
    });
  });

  it('does not ask when the report is skipped or the identity sync does not run', async () => {
    const denied = threeUsers().deny('IAM.GenerateCredentialReport').fake;
    await expect(check(denied, { 'aws-identity-skip-credential-report': 'true' })).resolves.toMatch(/^AWS credentials work/);
    await expect(check(denied, {}, ['data-access'])).resolves.toMatch(/^AWS credentials work/);
  });
});
