import { IdentitystoreClient, ListGroupMembershipsCommand, ListGroupsCommand, ListUsersCommand } from '@aws-sdk/client-identitystore';
import { ListInstancesCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';

type AwsStub<C> = AwsClientStub<C>;
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeAwsInterceptor } from '../../../src/demo/fake-aws/interceptor.js';
import { fakeServices } from '../../../src/demo/fake-aws/services.js';
import type { FakeAccount } from '../../../src/demo/fake-aws/types.js';
import { ConnectorError } from '../../../src/errors.js';
import { emailOf, importIdentityCenterIdentities } from '../../../src/importers/identity/identity-center.js';
import { awsOrganizationPlugin, identityCenterOf } from '../../../src/plugins/aws-organization/index.js';
import type { AwsInterceptor } from '../../../src/plugin-api/contract.js';
import { testContext } from '../../helpers/context.js';
import { memoryOutputs } from '../../helpers/sinks.js';
import { busiestWindow, FakeClock, identityCenter, storeId } from '../../identity-center/scenario.js';

function run(account: FakeAccount, params: Record<string, unknown> = {}, interceptor?: AwsInterceptor, clock?: FakeClock) {
  const ctx = testContext({ specs: awsOrganizationPlugin.parameters, params: { 'aws-region': 'eu-west-1', ...params }, syncs: ['identity-store'], awsInterceptor: interceptor ?? fakeAwsInterceptor(account, fakeServices) });
  const out = memoryOutputs();
  const ic = identityCenterOf(ctx, { clock });
  return { ctx, out, done: importIdentityCenterIdentities(ctx, ic, out) };
}

describe('Identity Center identity import', () => {
  it('writes groups by id with their display name and description, and users with their groups, email and display name', async () => {
    const { account } = identityCenter()
      .user('ann@acme.example', { displayName: 'Ann Lee', emails: [{ Value: 'ann.lee@acme.example' }, { Value: 'ann@acme.example', Primary: true }] })
      .user('bert', { displayName: 'Bert Ng' })
      .user('cleo', { emails: [{ Value: 'cleo@acme.example' }, { Value: 'cleo2@acme.example' }] })
      .group('Ops', ['ann@acme.example', 'bert'], 'Operations')
      .group('Finance', ['ann@acme.example']);
    const { out, done } = run(account);
    await done;
    expect(out.groups.items).toEqual([
      { externalId: 'g-Ops', name: 'Ops', displayName: 'Ops', description: 'Operations' },
      { externalId: 'g-Finance', name: 'Finance', displayName: 'Finance' },
    ]);
    expect(out.users.items).toEqual([
      { externalId: 'u-ann@acme.example', name: 'ann@acme.example', userName: 'ann@acme.example', displayName: 'Ann Lee', email: 'ann@acme.example', groupExternalIds: ['g-Ops', 'g-Finance'] },
      { externalId: 'u-bert', name: 'bert', userName: 'bert', displayName: 'Bert Ng', email: 'bert', groupExternalIds: ['g-Ops'] },
      { externalId: 'u-cleo', name: 'cleo', userName: 'cleo', email: 'cleo@acme.example', groupExternalIds: [] },
    ]);
    // isMachine is never guessed.
    expect(out.users.items.some((u) => 'isMachine' in u)).toBe(false);
  });

  it('chooses the primary email, else the first, else the user name', () => {
    expect(emailOf({ UserName: 'x', Emails: [{ Value: 'a@x' }, { Value: 'b@x', Primary: true }] })).toBe('b@x');
    expect(emailOf({ UserName: 'x', Emails: [{ Value: 'a@x' }, { Value: 'b@x' }] })).toBe('a@x');
    expect(emailOf({ UserName: 'x', Emails: [] })).toBe('x');
    expect(emailOf({ UserName: 'x' })).toBe('x');
  });

  it('discovers the identity store with sso:ListInstances when aws-identity-store-id is not set', async () => {
    const { account } = identityCenter().user('ann');
    const { ctx, out, done } = run(account);
    await done;
    expect(out.users.items.map((u) => u.name)).toEqual(['ann']);
    expect(ctx.calls.get('SSOAdmin.ListInstances')).toBe(1);
  });

  it('makes no ListInstances call when the identity store is given', async () => {
    const { account } = identityCenter().user('ann');
    const { ctx, done } = run(account, { 'aws-identity-store-id': storeId });
    await done;
    expect(ctx.calls.get('SSOAdmin.ListInstances')).toBe(0);
  });

  it('names aws-identity-store-id when the account has several instances', async () => {
    const { account } = identityCenter().instance('arn:aws:sso:::instance/ssoins-2222', 'd-2222222222');
    const { done } = run(account);
    await expect(done).rejects.toThrow(
      new ConnectorError(
        'config',
        'Several IAM Identity Center instances found in eu-west-1: arn:aws:sso:::instance/ssoins-1111222233334444 (identity store d-1234567890), arn:aws:sso:::instance/ssoins-2222 (identity store d-2222222222); set aws-identity-store-id to choose one',
      ),
    );
  });

  it('names aws-identity-store-id when the account has no instance', async () => {
    const { account } = identityCenter().noInstances();
    const { done } = run(account);
    await expect(done).rejects.toMatchObject({ code: 'config', message: 'No IAM Identity Center instance found in eu-west-1 (sso:ListInstances answered none): set aws-identity-store-id' });
  });

  it('reads memberships with one ListGroupMemberships per group page, never one call per user', async () => {
    const builder = identityCenter();
    for (let u = 0; u < 250; u++) builder.user(`user-${u}`);
    // 150 members: two pages for this group; one page each for the others.
    builder.group('Big', Array.from({ length: 150 }, (_, u) => `user-${u}`));
    for (let g = 0; g < 9; g++) builder.group(`Team-${g}`, [`user-${g}`, `user-${g + 100}`]);
    const { ctx, out, done } = run(builder.account, { 'aws-identity-store-id': storeId });
    await done;
    expect(ctx.calls.get('Identitystore.ListGroupMemberships')).toBe(2 + 9);
    expect(ctx.calls.get('Identitystore.ListUsers')).toBe(3);
    expect(ctx.calls.get('Identitystore.ListGroups')).toBe(1);
    expect(ctx.calls.get('Identitystore.ListGroupMembershipsForMember')).toBe(0);
    expect(out.users.items.find((u) => u.name === 'user-3')?.groupExternalIds).toEqual(['g-Big', 'g-Team-3']);
    expect(out.users.items.find((u) => u.name === 'user-200')?.groupExternalIds).toEqual([]);
  });

  it('with a fake clock: 1,000 users and 200 groups never exceed the configured rate in any second', async () => {
    const builder = identityCenter();
    for (let u = 0; u < 1000; u++) builder.user(`user-${u}`);
    for (let g = 0; g < 200; g++) builder.group(`group-${g}`, [`user-${g}`, `user-${g + 200}`, `user-${g + 400}`]);
    for (const rate of [20, 7]) {
      const clock = new FakeClock();
      const times: number[] = [];
      const fake = fakeAwsInterceptor(builder.account, fakeServices);
      const interceptor: AwsInterceptor = (call) => {
        times.push(clock.now());
        return fake(call);
      };
      const { ctx, out, done } = run(builder.account, { 'aws-identity-store-id': storeId, 'aws-concurrency': 10, 'aws-identity-center-rate-limit': rate }, interceptor, clock);
      await done;
      expect(out.users.items).toHaveLength(1000);
      expect(out.groups.items).toHaveLength(200);
      // 2 ListGroups + 200 ListGroupMemberships + 10 ListUsers pages.
      expect(ctx.calls.total).toBe(212);
      expect(busiestWindow(times)).toBe(rate);
      // Paced, not slower than needed: the last call leaves at (calls - 1) / rate seconds.
      expect(clock.now()).toBe(Math.ceil(1000 / rate) * 211);
    }
  });
});

describe('Identity Center errors (mocked SDK)', () => {
  // Mocks made per test and restored after it: a mock made at collection would answer every other test's clients.
  let ssoAdmin: AwsStub<SSOAdminClient>;
  let store: AwsStub<IdentitystoreClient>;
  beforeEach(() => {
    ssoAdmin = mockClient(SSOAdminClient);
    store = mockClient(IdentitystoreClient);
  });
  afterEach(() => {
    ssoAdmin.restore();
    store.restore();
  });

  it('names the call and the permission when ListUsers is denied', async () => {
    ssoAdmin.on(ListInstancesCommand).resolves({ Instances: [{ InstanceArn: 'arn:aws:sso:::instance/ssoins-1', IdentityStoreId: 'd-1111111111' }] });
    store.on(ListGroupsCommand).resolves({ Groups: [] });
    store.on(ListGroupMembershipsCommand).resolves({ GroupMemberships: [] });
    const denied = Object.assign(new Error('User is not authorized to perform: identitystore:ListUsers'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 }, $fault: 'client' });
    store.on(ListUsersCommand).rejects(denied);
    const ctx = testContext({ specs: awsOrganizationPlugin.parameters, params: { 'aws-region': 'eu-west-1' }, syncs: ['identity-store'] });
    const out = memoryOutputs();
    await expect(awsOrganizationPlugin.syncs.identityStore!(ctx, out)).rejects.toMatchObject({
      code: 'aws-access-denied',
      message: 'AWS denied Identitystore.ListUsers: the credentials need identitystore:ListUsers (AccessDeniedException: User is not authorized to perform: identitystore:ListUsers)',
    });
  });
});
