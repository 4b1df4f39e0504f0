import {
  GetAccountAuthorizationDetailsCommand,
  GetGroupCommand,
  IAMClient,
  ListGroupsCommand,
  ListUsersCommand,
  ListUserTagsCommand,
  paginateGetAccountAuthorizationDetails,
  type EntityType,
  type GetAccountAuthorizationDetailsCommandInput,
  type ManagedPolicyDetail,
} from '@aws-sdk/client-iam';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accessDenied, awsError } from '../../src/demo/fake-aws/errors.js';
import { iamService } from '../../src/demo/fake-aws/iam.js';
import type { FakeAccount } from '../../src/demo/fake-aws/types.js';
import { iamSnapshot, type IamSnapshot } from '../../src/importers/iam-snapshot.js';
import { identityParameters } from '../../src/importers/identity/parameters.js';
import { testContext } from '../helpers/context.js';

const ACCOUNT = '111122223333';
const ALL_TYPES: EntityType[] = ['User', 'Group', 'Role', 'LocalManagedPolicy', 'AWSManagedPolicy'];

/**
 * An account as GetAccountAuthorizationDetails pages it (at most 1000 entities a page):
 * 2,300 users (3 pages), 1,200 groups (2), 2,001 roles (3), 1,000 customer managed policies (1)
 * and 1,500 AWS managed policies (2): 11 pages by type, 9 as one chain of all types.
 */
function scenarioAccount(): FakeAccount {
  const policy = (arn: string, name: string): ManagedPolicyDetail => ({
    PolicyName: name,
    Arn: arn,
    DefaultVersionId: 'v2',
    PolicyVersionList: [
      { VersionId: 'v1', IsDefaultVersion: false, Document: '%7B%7D' },
      { VersionId: 'v2', IsDefaultVersion: true, Document: '%7B%22Statement%22%3A%5B%5D%7D' },
    ],
  });
  return {
    accountId: ACCOUNT,
    callerArn: `arn:aws:iam::${ACCOUNT}:user/connector`,
    iam: {
      users: Array.from({ length: 2300 }, (_, u) => ({ UserName: `user-${u}`, UserId: `AIDA${u}`, Arn: `arn:aws:iam::${ACCOUNT}:user/user-${u}`, GroupList: [`group-${u % 1200}`] })),
      groups: Array.from({ length: 1200 }, (_, g) => ({ GroupName: `group-${g}`, GroupId: `AGPA${g}`, Arn: `arn:aws:iam::${ACCOUNT}:group/group-${g}` })),
      roles: Array.from({ length: 2001 }, (_, r) => ({ RoleName: `role-${r}`, RoleId: `AROA${r}`, Arn: `arn:aws:iam::${ACCOUNT}:role/role-${r}` })),
      policies: [
        ...Array.from({ length: 1000 }, (_, p) => policy(`arn:aws:iam::${ACCOUNT}:policy/team-${p}`, `team-${p}`)),
        ...Array.from({ length: 1500 }, (_, p) => policy(`arn:aws:iam::aws:policy/Managed${p}`, `Managed${p}`)),
      ],
    },
    s3: { buckets: [], accessPoints: [] },
    glue: {},
  };
}

const PAGES_BY_TYPE = { User: 3, Group: 2, Role: 3, LocalManagedPolicy: 1, AWSManagedPolicy: 2 };

const names = (snapshot: Pick<IamSnapshot, 'users' | 'groups' | 'roles' | 'policies'>) => ({
  users: snapshot.users.map((u) => u.UserName),
  groups: snapshot.groups.map((g) => g.GroupName),
  roles: snapshot.roles.map((r) => r.RoleName),
  policies: snapshot.policies.map((p) => p.PolicyName),
});

/** A context whose syncs ask for every entity type (the access import runs). */
const accessContext = (params: Record<string, unknown> = {}) => testContext({ specs: identityParameters, params, syncs: ['identity-store', 'data-access'] });

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('the IAM snapshot: one chain of GetAccountAuthorizationDetails pages per entity type', () => {
  let iamMock: AwsClientStub<IAMClient>;
  beforeEach(() => {
    iamMock = mockClient(IAMClient);
  });
  afterEach(() => iamMock.restore());

  /** What IAM saw: every call's Filter in order of arrival, and the most calls in flight at once. */
  interface Served {
    filters: string[][];
    maxInFlight: number;
    /** The entity types in the order their last page was answered. */
    finished: string[];
  }

  /**
   * Answers GetAccountAuthorizationDetails from the account as IAM pages it; `before` runs before
   * each answer (to delay it, hold it or fail it).
   */
  function serve(account: FakeAccount, before: (input: GetAccountAuthorizationDetailsCommandInput) => Promise<void> = async () => undefined): Served {
    const served: Served = { filters: [], maxInFlight: 0, finished: [] };
    let inFlight = 0;
    iamMock.on(GetAccountAuthorizationDetailsCommand).callsFake(async (input: GetAccountAuthorizationDetailsCommandInput) => {
      served.filters.push([...(input.Filter ?? [])]);
      served.maxInFlight = Math.max(served.maxInFlight, ++inFlight);
      try {
        await before(input);
        const page = iamService.GetAccountAuthorizationDetails!(input as Record<string, unknown>, { account, region: 'us-east-1' }) as { IsTruncated: boolean };
        if (!page.IsTruncated) served.finished.push((input.Filter ?? []).join(','));
        return page;
      } finally {
        inFlight--;
      }
    });
    return served;
  }

  it('gives the same snapshot as one chain of all types: every name, in page order within each type, whatever order the chains finish in', async () => {
    const account = scenarioAccount();
    // Each type's first page waits until every type after it has been paged to its end: the chains
    // finish in the reverse of the filter's order.
    const served = serve(account, async (input) => {
      const later = ALL_TYPES.slice(ALL_TYPES.indexOf(input.Filter?.[0] as EntityType) + 1);
      for (let waited = 0; !input.Marker && !later.every((type) => served.finished.includes(type)); waited++) {
        if (waited > 2000) throw new Error(`${input.Filter?.[0]} waited in vain for ${later.join(', ')}`);
        await sleep(1);
      }
    });

    const snapshot = await iamSnapshot(accessContext());

    expect(served.finished).toEqual([...ALL_TYPES].reverse());
    const byIndex = (n: number, name: (i: number) => string) => Array.from({ length: n }, (_, i) => name(i));
    expect(names(snapshot)).toEqual({
      users: byIndex(2300, (u) => `user-${u}`),
      groups: byIndex(1200, (g) => `group-${g}`),
      roles: byIndex(2001, (r) => `role-${r}`),
      policies: [...byIndex(1000, (p) => `team-${p}`), ...byIndex(1500, (p) => `Managed${p}`)],
    });
    // Only the default version of each policy is kept, as the pages arrive, its document as plain JSON text.
    expect(new Set(snapshot.policies.map((p) => p.PolicyVersionList?.map((v) => v.VersionId).join(',')))).toEqual(new Set(['v2']));
    expect(new Set(snapshot.policies.map((p) => p.PolicyVersionList?.[0]?.Document))).toEqual(new Set(['{"Statement":[]}']));
    expect(snapshot.source).toBe('authorization-details');
    expect(snapshot.hasAccessDetails).toBe(true);

    // What the one chain of all types gives, from the same IAM.
    const single = { users: [] as string[], groups: [] as string[], roles: [] as string[], policies: [] as string[] };
    const pages = paginateGetAccountAuthorizationDetails({ client: new IAMClient({ region: 'us-east-1' }), pageSize: 1000 }, { Filter: ALL_TYPES });
    for await (const page of pages) {
      const got = names({ users: page.UserDetailList ?? [], groups: page.GroupDetailList ?? [], roles: page.RoleDetailList ?? [], policies: page.Policies ?? [] });
      for (const key of ['users', 'groups', 'roles', 'policies'] as const) single[key].push(...(got[key] as string[]));
    }
    expect(names(snapshot)).toEqual(single);
  });

  it('asks for exactly one entity type a call, 1000 a page: 11 calls for this account (3 + 2 + 3 + 1 + 2 pages)', async () => {
    const served = serve(scenarioAccount());
    await iamSnapshot(accessContext());

    expect(served.filters.every((f) => f.length === 1)).toBe(true);
    const callsByType = Object.fromEntries(ALL_TYPES.map((type) => [type, served.filters.filter((f) => f[0] === type).length]));
    expect(callsByType).toEqual(PAGES_BY_TYPE);
    expect(iamMock.commandCalls(GetAccountAuthorizationDetailsCommand).map((c) => c.args[0].input.MaxItems)).toEqual(Array(11).fill(1000));
  });

  it('runs the chains at the same time: every type has asked for its first page before any first page is answered', async () => {
    const account = scenarioAccount();
    const firstAsked = new Set<string>();
    let allAsked: () => void = () => undefined;
    const everyTypeAsked = new Promise<void>((resolve) => (allAsked = resolve));
    const served = serve(account, async (input) => {
      if (input.Marker) return;
      firstAsked.add(input.Filter?.[0] ?? '');
      if (firstAsked.size === ALL_TYPES.length) allAsked();
      // Chains one after the other would never get here with all five: fail after a while instead of hanging.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`only ${[...firstAsked].join(', ')} asked for a first page`)), 2000)));
      try {
        await Promise.race([everyTypeAsked, timeout]);
      } finally {
        clearTimeout(timer);
      }
    });

    const snapshot = await iamSnapshot(accessContext());

    expect(served.maxInFlight).toBe(5);
    expect(served.filters.slice(0, 5).map((f) => f[0])).toEqual(ALL_TYPES);
    expect(snapshot.users).toHaveLength(2300);
  });

  it('makes at most aws-concurrency of these calls at a time: with 1, one call at a time, and still every page once', async () => {
    const served = serve(scenarioAccount(), () => sleep(2));
    const snapshot = await iamSnapshot(accessContext({ 'aws-concurrency': 1 }));

    expect(served.maxInFlight).toBe(1);
    const callsByType = Object.fromEntries(ALL_TYPES.map((type) => [type, served.filters.filter((f) => f[0] === type).length]));
    expect(callsByType).toEqual(PAGES_BY_TYPE);
    expect(names(snapshot).roles).toHaveLength(2001);
  });

  it('with aws-concurrency 2, two chains run at a time', async () => {
    const served = serve(scenarioAccount(), () => sleep(2));
    const snapshot = await iamSnapshot(accessContext({ 'aws-concurrency': 2 }));

    expect(served.maxInFlight).toBe(2);
    expect(served.filters.slice(0, 2).map((f) => f[0])).toEqual(['User', 'Group']);
    expect(names(snapshot).roles).toHaveLength(2001);
  });

  it('asks for users and groups only, one call each even when a type has none, when the access import does not run', async () => {
    const account = scenarioAccount();
    account.iam.groups = [];
    const served = serve(account);
    const snapshot = await iamSnapshot(testContext({ specs: identityParameters, syncs: ['identity-store'] }));

    expect(served.filters).toEqual([['User'], ['Group'], ['User'], ['User']]);
    expect([snapshot.users.length, snapshot.groups.length, snapshot.roles.length, snapshot.policies.length]).toEqual([2300, 0, 0, 0]);
    expect(snapshot.hasAccessDetails).toBe(false);
  });

  it('stops every chain when the run is stopped, and rejects with the run\'s reason', async () => {
    const run = new AbortController();
    const served = serve(scenarioAccount(), async () => {
      // Stopped while the first page of every type is in flight: all but the customer managed policies' chain have pages to go.
      if (served.filters.length === ALL_TYPES.length) run.abort(new Error('the run was stopped'));
      await sleep(10);
    });
    const unhandled = watchUnhandled();

    try {
      await expect(iamSnapshot(testContext({ specs: identityParameters, syncs: ['identity-store', 'data-access'], signal: run.signal }))).rejects.toThrow('the run was stopped');
      await sleep(50);
      expect(served.filters.map((f) => f[0])).toEqual(ALL_TYPES);
      expect(iamMock.commandCalls(ListUsersCommand)).toHaveLength(0);
      expect(unhandled.reasons).toEqual([]);
    } finally {
      unhandled.stop();
    }
  });

  /** Collects unhandled rejections while a test runs. */
  function watchUnhandled(): { reasons: unknown[]; stop(): void } {
    const reasons: unknown[] = [];
    const listener = (reason: unknown) => reasons.push(reason);
    process.on('unhandledRejection', listener);
    return { reasons, stop: () => process.off('unhandledRejection', listener) };
  }

  it('falls back to list calls for the whole snapshot when one chain is denied, and the other chains stop', async () => {
    const account = scenarioAccount();
    account.iam.users = account.iam.users.slice(0, 3);
    account.iam.groups = account.iam.groups.slice(0, 2);
    account.iam.users[0]!.Tags = [{ Key: 'Email', Value: 'user-0@acme.example' }];
    // The roles' chain is denied on its first page; the policies' chains have more pages to go.
    const served = serve(account, async (input) => {
      if (input.Filter?.[0] === 'Role') throw accessDenied('iam:GetAccountAuthorizationDetails');
      await sleep(10);
    });
    const call = { account, region: 'us-east-1' };
    iamMock.on(ListUsersCommand).callsFake((input: Record<string, unknown>) => iamService.ListUsers!(input, call));
    iamMock.on(ListGroupsCommand).callsFake((input: Record<string, unknown>) => iamService.ListGroups!(input, call));
    iamMock.on(GetGroupCommand).callsFake((input: Record<string, unknown>) => iamService.GetGroup!(input, call));
    iamMock.on(ListUserTagsCommand).callsFake((input: Record<string, unknown>) => iamService.ListUserTags!(input, call));
    const unhandled = watchUnhandled();

    try {
      const snapshot = await iamSnapshot(accessContext());
      const gaadCalls = served.filters.length;
      await sleep(50);

      expect(snapshot.source).toBe('list-calls');
      expect(snapshot.hasAccessDetails).toBe(false);
      expect(snapshot.users.map((u) => [u.UserName, u.GroupList, u.Tags])).toEqual([
        ['user-0', ['group-0'], [{ Key: 'Email', Value: 'user-0@acme.example' }]],
        ['user-1', ['group-1'], []],
        ['user-2', [], []],
      ]);
      expect(snapshot.groups.map((g) => g.GroupName)).toEqual(['group-0', 'group-1']);
      expect([snapshot.roles, snapshot.policies]).toEqual([[], []]);
      expect(snapshot.warnings).toEqual([
        'iam:GetAccountAuthorizationDetails was denied: users and groups were read with list calls instead (5 extra calls); roles and policies need that permission and were not read',
      ]);
      // One page of each type was asked for, and none after the denial (the AWS managed policies had a page to go).
      expect(served.filters.map((f) => f[0])).toEqual(ALL_TYPES);
      expect(served.filters).toHaveLength(gaadCalls);
      expect(iamMock.commandCalls(ListUsersCommand)).toHaveLength(1);
      expect(iamMock.commandCalls(GetGroupCommand)).toHaveLength(2);
      expect(iamMock.commandCalls(ListUserTagsCommand)).toHaveLength(3);
      expect(unhandled.reasons).toEqual([]);
    } finally {
      unhandled.stop();
    }
  });

  it('fails with the call named when one chain is throttled, with the other chains stopped and no unhandled rejection', async () => {
    const served = serve(scenarioAccount(), async (input) => {
      if (input.Filter?.[0] === 'Group') throw awsError('Throttling', 400, 'Rate exceeded');
      await sleep(10);
    });
    const unhandled = watchUnhandled();

    try {
      await expect(iamSnapshot(accessContext())).rejects.toMatchObject({
        code: 'aws-throttled',
        message: 'AWS kept throttling IAM.GetAccountAuthorizationDetails (Throttling: Rate exceeded)',
      });
      const gaadCalls = served.filters.length;
      await sleep(50);

      // The first page of each type, and no more: users, roles and policies had pages to go.
      expect(served.filters.map((f) => f[0])).toEqual(ALL_TYPES);
      expect(served.filters).toHaveLength(gaadCalls);
      expect(iamMock.commandCalls(ListUsersCommand)).toHaveLength(0);
      expect(unhandled.reasons).toEqual([]);
    } finally {
      unhandled.stop();
    }
  });
});
