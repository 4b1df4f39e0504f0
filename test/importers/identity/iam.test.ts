import { GetAccountAuthorizationDetailsCommand, IAMClient, type GroupDetail, type UserDetail } from '@aws-sdk/client-iam';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeAwsInterceptor } from '../../../src/demo/fake-aws/interceptor.js';
import { fakeServices } from '../../../src/demo/fake-aws/services.js';
import type { FakeAccount } from '../../../src/demo/fake-aws/types.js';
import { iamSnapshot } from '../../../src/importers/iam-snapshot.js';
import { importIamIdentities } from '../../../src/importers/identity/iam.js';
import { identityParameters } from '../../../src/importers/identity/parameters.js';
import { testContext } from '../../helpers/context.js';
import { memoryOutputs } from '../../helpers/sinks.js';

/** A small account builder: `account().user('alice', ['analysts'], {Email: ...}).group('analysts')`. */
function account() {
  const users: UserDetail[] = [];
  const groups: GroupDetail[] = [];
  const builder = {
    fake: { accountId: '111122223333', callerArn: 'arn:aws:iam::111122223333:user/connector', iam: { users, groups, roles: [], policies: [] }, s3: { buckets: [], accessPoints: [] }, glue: {} } as FakeAccount,
    user(name: string, groupNames: string[] = [], tags: Record<string, string> = {}) {
      users.push({ UserName: name, UserId: `AIDA${name.toUpperCase()}`, Arn: `arn:aws:iam::111122223333:user/${name}`, GroupList: groupNames, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) });
      return builder;
    },
    group(name: string) {
      groups.push({ GroupName: name, GroupId: `AGPA${name.toUpperCase()}`, Arn: `arn:aws:iam::111122223333:group/${name}` });
      return builder;
    },
    deny(call: string) {
      (builder.fake.denied ??= []).push(call);
      return builder;
    },
  };
  return builder;
}

// These scenarios are about the IAM snapshot; the credential report has its own (credential-facts.test.ts).
const withoutReport = { 'aws-identity-skip-credential-report': true };

function contextFor(fake: FakeAccount, params: Record<string, unknown> = {}, syncs: ('identity-store' | 'data-access')[] = ['identity-store']) {
  return testContext({ specs: identityParameters, params: { ...withoutReport, ...params }, syncs, awsInterceptor: fakeAwsInterceptor(fake, fakeServices) });
}

describe('IAM identity import', () => {
  it('writes users with their groups, email and tags, and groups by id', async () => {
    const { fake } = account()
      .group('analysts')
      .group('finance')
      .user('alice', ['analysts'], { Email: 'alice@acme.example', team: 'sales' })
      .user('bob', ['analysts', 'finance']);
    const out = memoryOutputs();
    await importIamIdentities(contextFor(fake), out);

    expect(out.groups.items).toEqual([
      { externalId: 'AGPAANALYSTS', name: 'analysts', displayName: 'analysts' },
      { externalId: 'AGPAFINANCE', name: 'finance', displayName: 'finance' },
    ]);
    expect(out.users.items).toEqual([
      {
        externalId: 'AIDAALICE',
        name: 'alice',
        userName: 'alice',
        email: 'alice@acme.example',
        groupExternalIds: ['AGPAANALYSTS'],
        tags: [
          { key: 'Email', value: 'alice@acme.example', source: 'aws-iam' },
          { key: 'team', value: 'sales', source: 'aws-iam' },
        ],
      },
      { externalId: 'AIDABOB', name: 'bob', userName: 'bob', email: undefined, groupExternalIds: ['AGPAANALYSTS', 'AGPAFINANCE'], tags: [] },
    ]);
  });

  it('takes the email from aws-user-email-tag when set, else the first tag whose key mentions email in any case', async () => {
    const { fake } = account()
      .user('carol', [], { 'Contact-EMAIL': 'carol@acme.example', mail: 'other@acme.example' })
      .user('dave', [], { work_email: 'dave@acme.example', mail: 'dave.mail@acme.example' });
    const byDefault = memoryOutputs();
    await importIamIdentities(contextFor(fake), byDefault);
    expect(byDefault.users.items.map((u) => u.email)).toEqual(['carol@acme.example', 'dave@acme.example']);

    const byTag = memoryOutputs();
    await importIamIdentities(contextFor(fake, { 'aws-user-email-tag': 'mail' }), byTag);
    expect(byTag.users.items.map((u) => u.email)).toEqual(['other@acme.example', 'dave.mail@acme.example']);
  });

  it('leaves out users matching aws-user-excludes as whole names only', async () => {
    const { fake } = account().user('svc-etl').user('svc').user('alice-svc-admin').user('alice');
    const out = memoryOutputs();
    await importIamIdentities(contextFor(fake, { 'aws-user-excludes': 'svc-.+, alice' }), out);
    expect(out.users.items.map((u) => u.name)).toEqual(['svc', 'alice-svc-admin']);
  });

  it('svc-[a-z]{1,10} in aws-user-excludes is one expression, and an entry that matches no user is a warning', async () => {
    const { fake } = account().user('svc-etl').user('svc-abcdefghijkl').user('alice');
    const out = memoryOutputs();
    await importIamIdentities(contextFor(fake, { 'aws-user-excludes': 'svc-[a-z]{1,10},terraform' }), out);
    expect(out.users.items.map((u) => u.name)).toEqual(['svc-abcdefghijkl', 'alice']);
    expect(out.users.warnings).toEqual(['aws-user-excludes: "terraform" matched no IAM user name of this run; check the expression (it must match the whole name)']);
  });

  it('reads 2,500 users and 300 groups in 4 pages of GetAccountAuthorizationDetails (3 of users, 1 of groups) and no per-user calls', async () => {
    const builder = account();
    for (let g = 0; g < 300; g++) builder.group(`group-${g}`);
    for (let u = 0; u < 2500; u++) builder.user(`user-${u}`, [`group-${u % 300}`]);
    const ctx = contextFor(builder.fake);
    const out = memoryOutputs();
    await importIamIdentities(ctx, out);

    expect(out.users.records).toBe(2500);
    expect(out.groups.records).toBe(300);
    expect(ctx.calls.toJSON()).toEqual({ 'IAM.GetAccountAuthorizationDetails': 4 });
  });

  it('falls back to list calls with a warning when GetAccountAuthorizationDetails is denied', async () => {
    const { fake } = account()
      .group('analysts')
      .user('alice', ['analysts'], { Email: 'alice@acme.example' })
      .user('bob')
      .deny('IAM.GetAccountAuthorizationDetails');
    const ctx = contextFor(fake);
    const out = memoryOutputs();
    await importIamIdentities(ctx, out);

    expect(out.users.items.map((u) => [u.name, u.email, u.groupExternalIds])).toEqual([
      ['alice', 'alice@acme.example', ['AGPAANALYSTS']],
      ['bob', undefined, []],
    ]);
    expect(out.users.warnings).toEqual([expect.stringContaining('iam:GetAccountAuthorizationDetails was denied')]);
    expect(out.users.incomplete).toBe(false);
    expect(ctx.calls.get('IAM.ListUsers')).toBe(1);
    expect(ctx.calls.get('IAM.GetGroup')).toBe(1);
    expect(ctx.calls.get('IAM.ListUserTags')).toBe(2);
  });

  it('keeps memberships when ListUserTags is denied too: users lack only their tags, and the users stream says so', async () => {
    const { fake } = account()
      .group('analysts')
      .user('alice', ['analysts'], { Email: 'alice@acme.example' })
      .user('bob')
      .deny('IAM.GetAccountAuthorizationDetails')
      .deny('IAM.ListUserTags');
    const out = memoryOutputs();
    await importIamIdentities(contextFor(fake), out);
    expect(out.users.items.map((u) => [u.name, u.email, u.groupExternalIds, u.tags])).toEqual([
      ['alice', undefined, ['AGPAANALYSTS'], []],
      ['bob', undefined, [], []],
    ]);
    expect(out.groups.items.map((g) => g.name)).toEqual(['analysts']);
    expect(out.users.incomplete).toBe(true);
    expect(out.users.warnings.slice(1)).toEqual([
      'user tags (and emails read from them) were not imported: AWS denied IAM.ListUserTags on alice: the credentials need iam:ListUserTags on alice (AccessDenied: User is not authorized to perform: iam:ListUserTags)',
      'the tags and emails of IAM users are missing (iam:ListUserTags denied)',
    ]);
  });

  it('a failed snapshot read is not kept: the next sync of the run reads again', async () => {
    const { fake } = account().group('analysts').user('alice', ['analysts']);
    fake.denied = ['IAM.GetAccountAuthorizationDetails', 'IAM.ListUsers'];
    const ctx = contextFor(fake);
    await expect(importIamIdentities(ctx, memoryOutputs())).rejects.toThrow(/iam:ListUsers/);
    fake.denied = [];
    const out = memoryOutputs();
    await importIamIdentities(ctx, out);
    expect(out.users.items.map((u) => u.name)).toEqual(['alice']);
    // Both chains (users, groups) were asked once and denied, then both read.
    expect(ctx.calls.get('IAM.GetAccountAuthorizationDetails')).toBe(4);
  });

  it('a user listed without an id is a warning and marks the users stream incomplete', async () => {
    const builder = account().user('alice').user('ghost');
    delete builder.fake.iam.users[1]!.UserId;
    const out = memoryOutputs();
    await importIamIdentities(contextFor(builder.fake), out);
    expect(out.users.items.map((u) => u.name)).toEqual(['alice']);
    expect(out.users.incomplete).toBe(true);
    expect(out.users.warnings).toEqual(['an IAM user was listed without an id (ghost); it was left out', 'an IAM user could not be read']);
  });

  it('fails with the call and the permission named when the fallback is denied too', async () => {
    const { fake } = account().user('alice').deny('IAM.GetAccountAuthorizationDetails').deny('IAM.ListUsers');
    await expect(importIamIdentities(contextFor(fake), memoryOutputs())).rejects.toThrow(/ListUsers.*iam:ListUsers/);
  });
});

describe('the IAM snapshot', () => {
  // Created per test: a mock made at collection time would answer the fake-account tests above too.
  let iamMock: AwsClientStub<IAMClient>;
  beforeEach(() => {
    iamMock = mockClient(IAMClient);
  });
  afterEach(() => iamMock.restore());

  it('asks only for users and groups when the access import does not run', async () => {
    iamMock.on(GetAccountAuthorizationDetailsCommand).resolves({ UserDetailList: [], GroupDetailList: [], IsTruncated: false });
    await importIamIdentities(testContext({ specs: identityParameters, params: withoutReport, syncs: ['identity-store'] }), memoryOutputs());
    expect(iamMock.commandCalls(GetAccountAuthorizationDetailsCommand).map((c) => c.args[0].input)).toEqual([
      { Filter: ['User'], MaxItems: 1000 },
      { Filter: ['Group'], MaxItems: 1000 },
    ]);
  });

  it('keeps only the default version of each managed policy for the rest of the run', async () => {
    const version = (VersionId: string, IsDefaultVersion: boolean) => ({ VersionId, IsDefaultVersion, Document: `doc-${VersionId}` });
    iamMock.on(GetAccountAuthorizationDetailsCommand).resolves({ IsTruncated: false });
    iamMock.on(GetAccountAuthorizationDetailsCommand, { Filter: ['LocalManagedPolicy'] }).resolves({
      Policies: [
        { PolicyName: 'Reader', Arn: 'arn:aws:iam::111122223333:policy/Reader', DefaultVersionId: 'v3', PolicyVersionList: [version('v1', false), version('v3', true), version('v2', false)] },
        { PolicyName: 'Single', Arn: 'arn:aws:iam::111122223333:policy/Single', DefaultVersionId: 'v1', PolicyVersionList: [version('v1', true)] },
      ],
      IsTruncated: false,
    });
    const snapshot = await iamSnapshot(testContext({ specs: identityParameters, syncs: ['identity-store', 'data-access'] }));
    expect(snapshot.policies.map((p) => [p.PolicyName, p.PolicyVersionList?.map((v) => v.VersionId)])).toEqual([
      ['Reader', ['v3']],
      ['Single', ['v1']],
    ]);
  });

  it('asks for roles and policies too when the access import runs, so it needs no call of its own', async () => {
    iamMock.on(GetAccountAuthorizationDetailsCommand).resolves({ IsTruncated: false });
    await importIamIdentities(testContext({ specs: identityParameters, params: withoutReport, syncs: ['identity-store', 'data-access'] }), memoryOutputs());
    expect(iamMock.commandCalls(GetAccountAuthorizationDetailsCommand).map((c) => c.args[0].input.Filter)).toEqual([['User'], ['Group'], ['Role'], ['LocalManagedPolicy'], ['AWSManagedPolicy']]);
  });
});
