import type { EntityType, GroupDetail, IAMClient, ManagedPolicyDetail, RoleDetail, UserDetail } from '@aws-sdk/client-iam';
import pLimit, { type LimitFunction } from 'p-limit';
import { GetAccountAuthorizationDetailsCommand, paginateGetGroup, paginateListGroups, paginateListUsers, paginateListUserTags } from '../aws/sdk/iam.js';
import { awsContextFor } from '../aws/index.js';
import { prepareAuthorizationDetails } from '../aws/iam-pages.js';
import { peekXmlElement, readAhead } from '../aws/read-ahead.js';
import { classifyAwsError, describeAwsError } from '../aws/errors.js';
import type { SyncContext } from '../plugin-api/contract.js';
import { deleteState, sharedRead, stateKey } from '../plugin-api/shared-state.js';
import { shareSignal } from '../plugin-api/signal.js';
import { accessOptions } from './access/parameters.js';

/**
 * The IAM picture of the account, read once per target run and shared by the identity import
 * and the access import, so that neither makes per-user or per-role calls.
 */
export interface IamSnapshot {
  users: UserDetail[];
  groups: GroupDetail[];
  roles: RoleDetail[];
  policies: ManagedPolicyDetail[];
  /** `authorization-details` (paged calls, one chain per entity type) or `list-calls` (the fallback when that call is denied). */
  source: 'authorization-details' | 'list-calls';
  /** Roles and managed policies were read (only GetAccountAuthorizationDetails gives them with their documents). */
  hasAccessDetails: boolean;
  /** Said once per run, on the stream of the first sync that reads the snapshot. */
  warnings: string[];
  /** Why the users stream cannot be complete (for example: their tags, and so their emails, could not be read). */
  usersIncomplete: string[];
}

const SNAPSHOT = stateKey<Promise<IamSnapshot>>('iam-snapshot');

/** The snapshot of this target run, read on first use; a failed read is not kept (a later sync reads again). */
export function iamSnapshot(ctx: SyncContext): Promise<IamSnapshot> {
  return sharedRead(ctx, SNAPSHOT, () => readSnapshot(ctx));
}

/** Drops the run's snapshot after something changed IAM (the export), so the next reader sees the change. */
export function forgetIamSnapshot(ctx: SyncContext): void {
  deleteState(ctx, SNAPSHOT);
}

/** Roles and policies are only worth reading when the access import runs in this run. */
function entityFilter(ctx: SyncContext): EntityType[] {
  const accessImport = ctx.syncs.has('data-access') && !accessOptions(ctx.params).skipIam;
  return accessImport ? ['User', 'Group', 'Role', 'LocalManagedPolicy', 'AWSManagedPolicy'] : ['User', 'Group'];
}

async function readSnapshot(ctx: SyncContext): Promise<IamSnapshot> {
  const filter = entityFilter(ctx);
  try {
    return await readAuthorizationDetails(ctx, filter);
  } catch (err) {
    ctx.signal.throwIfAborted();
    if (classifyAwsError(err) !== 'access-denied') throw describeAwsError(err, { service: 'IAM', operation: 'GetAccountAuthorizationDetails' });
    ctx.logger.warn({ err: (err as Error).message }, 'iam:GetAccountAuthorizationDetails denied; falling back to list calls');
    return readWithListCalls(ctx, filter.includes('Role'));
  }
}

/** The entities one chain of GetAccountAuthorizationDetails pages gave, in page order. */
type EntityLists = Pick<IamSnapshot, 'users' | 'groups' | 'roles' | 'policies'>;

/**
 * One chain of pages per entity type: a chain's pages follow each other (each page's Marker is in
 * the one before), but the types need not wait for each other, and a chain asks for its next page
 * as soon as the Marker is in the bytes (read-ahead.ts). At most `aws-concurrency` of these calls
 * are in flight. The first failure cancels the other chains (in flight and not started) and is
 * thrown once every chain has settled, so nothing of this read runs after it failed.
 */
async function readAuthorizationDetails(ctx: SyncContext, filter: EntityType[]): Promise<IamSnapshot> {
  const aws = awsContextFor(ctx);
  const iam = aws.iam();
  const controller = new AbortController();
  const signal = shareSignal(AbortSignal.any([ctx.signal, controller.signal]));
  // Its own limit, not aws.limit: the snapshot is read while the access import's S3 reads are
  // queued on that limit, and its pages would wait behind all of them.
  const limit = pLimit(aws.concurrency);
  const chains = filter.map(async (type) => {
    try {
      return await readEntityType(iam, type, limit, signal);
    } catch (err) {
      controller.abort(err); // a no-op after the first failure: its reason stays the first error
      throw err;
    }
  });
  const settled = await Promise.allSettled(chains);
  if (controller.signal.aborted) throw controller.signal.reason;
  // Merged in the filter's order, whatever order the chains finished in.
  const lists = settled.map((result) => (result as PromiseFulfilledResult<EntityLists>).value);
  return {
    users: lists.flatMap((l) => l.users),
    groups: lists.flatMap((l) => l.groups),
    roles: lists.flatMap((l) => l.roles),
    policies: lists.flatMap((l) => l.policies),
    source: 'authorization-details',
    hasAccessDetails: filter.includes('Role'),
    warnings: [],
    usersIncomplete: [],
  };
}

async function readEntityType(iam: IAMClient, type: EntityType, limit: LimitFunction, signal: AbortSignal): Promise<EntityLists> {
  signal.throwIfAborted();
  const lists: EntityLists = { users: [], groups: [], roles: [], policies: [] };
  // 1000 is the largest page IAM serves: the fewest calls for the type. The next page is asked
  // for as soon as this one's Marker is in its bytes, while the SDK parses it (read-ahead.ts).
  const pages = readAhead(
    (marker, peeked, abortSignal) => {
      const command = new GetAccountAuthorizationDetailsCommand({ Filter: [type], MaxItems: 1000, ...(marker ? { Marker: marker } : {}) });
      peekXmlElement(command, 'Marker', peeked);
      // A page called off while it waited for the limit is never sent.
      return limit(() => (abortSignal.throwIfAborted(), iam.send(command, { abortSignal })));
    },
    (page) => page.Marker,
    signal,
  );
  for await (const page of pages) {
    // Not one more page once another chain failed (a call that ignores the signal still returns).
    signal.throwIfAborted();
    // Default versions only, documents as plain JSON text (a page the parse worker read is so already).
    prepareAuthorizationDetails(page);
    lists.users.push(...(page.UserDetailList ?? []));
    lists.groups.push(...(page.GroupDetailList ?? []));
    lists.roles.push(...(page.RoleDetailList ?? []));
    lists.policies.push(...(page.Policies ?? []));
  }
  return lists;
}

/** The document of a managed policy's default version: flagged as the default, else the one version the snapshot kept. */
export function defaultDocument(policy: ManagedPolicyDetail): string | undefined {
  return policy.PolicyVersionList?.find((v) => v.IsDefaultVersion)?.Document ?? policy.PolicyVersionList?.[0]?.Document;
}

/**
 * Users and groups without GetAccountAuthorizationDetails: one call per group for its members and
 * one per user for tags. Memberships do not depend on tags: when ListUserTags is denied, users keep
 * their groups, lack their tags (and emails from tags), and the users stream says so.
 */
async function readWithListCalls(ctx: SyncContext, accessWanted: boolean): Promise<IamSnapshot> {
  const aws = awsContextFor(ctx);
  const iam = aws.iam();
  const options = { abortSignal: ctx.signal };
  const call = async <T>(operation: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      ctx.signal.throwIfAborted();
      throw describeAwsError(err, { service: 'IAM', operation });
    }
  };
  const users: UserDetail[] = [];
  await call('ListUsers', async () => {
    for await (const page of paginateListUsers({ client: iam, pageSize: 1000 }, {}, options)) users.push(...(page.Users ?? []));
  });
  const groups: GroupDetail[] = [];
  await call('ListGroups', async () => {
    for await (const page of paginateListGroups({ client: iam, pageSize: 1000 }, {}, options)) groups.push(...(page.Groups ?? []));
  });

  const groupsOfUser = new Map<string, string[]>();
  await Promise.all(
    groups.map((group) =>
      aws.limit(() =>
        call('GetGroup', async () => {
          for await (const page of paginateGetGroup({ client: iam, pageSize: 1000 }, { GroupName: group.GroupName }, options)) {
            for (const member of page.Users ?? []) {
              const list = groupsOfUser.get(member.UserName ?? '') ?? [];
              list.push(group.GroupName ?? '');
              groupsOfUser.set(member.UserName ?? '', list);
            }
          }
        }),
      ),
    ),
  );
  for (const user of users) user.GroupList = groupsOfUser.get(user.UserName ?? '') ?? [];

  let tagsDenied: string | undefined;
  await Promise.all(
    users.map((user) =>
      aws.limit(async () => {
        if (tagsDenied) return;
        try {
          const tags: NonNullable<UserDetail['Tags']> = [];
          for await (const page of paginateListUserTags({ client: iam }, { UserName: user.UserName }, options)) tags.push(...(page.Tags ?? []));
          user.Tags = tags;
        } catch (err) {
          ctx.signal.throwIfAborted();
          if (classifyAwsError(err) !== 'access-denied') throw describeAwsError(err, { service: 'IAM', operation: 'ListUserTags', resource: user.UserName });
          tagsDenied ??= describeAwsError(err, { service: 'IAM', operation: 'ListUserTags', resource: user.UserName }).message;
        }
      }),
    ),
  );
  if (tagsDenied) for (const user of users) user.Tags = undefined;

  const warnings = [
    `iam:GetAccountAuthorizationDetails was denied: users and groups were read with list calls instead (${groups.length + users.length} extra calls)` +
      (accessWanted ? '; roles and policies need that permission and were not read' : ''),
  ];
  const usersIncomplete: string[] = [];
  if (tagsDenied) {
    warnings.push(`user tags (and emails read from them) were not imported: ${tagsDenied}`);
    usersIncomplete.push('the tags and emails of IAM users are missing (iam:ListUserTags denied)');
  }
  return { users, groups, roles: [], policies: [], source: 'list-calls', hasAccessDetails: false, warnings, usersIncomplete };
}
