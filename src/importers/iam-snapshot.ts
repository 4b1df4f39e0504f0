import {
  paginateGetAccountAuthorizationDetails,
  paginateGetGroup,
  paginateListGroups,
  paginateListUsers,
  paginateListUserTags,
  type EntityType,
  type GroupDetail,
  type ManagedPolicyDetail,
  type RoleDetail,
  type UserDetail,
} from '@aws-sdk/client-iam';
import { awsContextFor } from '../aws/index.js';
import { classifyAwsError, describeAwsError } from '../aws/errors.js';
import type { SyncContext } from '../plugin-api/contract.js';

/**
 * The IAM picture of the account, read once per target run and shared by the identity import
 * and the access import, so that neither makes per-user or per-role calls.
 */
export interface IamSnapshot {
  users: UserDetail[];
  groups: GroupDetail[];
  roles: RoleDetail[];
  policies: ManagedPolicyDetail[];
  /** `authorization-details` (one paged call) or `list-calls` (the fallback when that call is denied). */
  source: 'authorization-details' | 'list-calls';
  /** Roles and managed policies were read (only GetAccountAuthorizationDetails gives them with their documents). */
  hasAccessDetails: boolean;
  /** Said once per run, on the stream of the first sync that reads the snapshot. */
  warnings: string[];
}

const stateKey = 'iam-snapshot';

/** The snapshot of this target run, read on first use. */
export function iamSnapshot(ctx: SyncContext): Promise<IamSnapshot> {
  let snapshot = ctx.state.get(stateKey) as Promise<IamSnapshot> | undefined;
  if (!snapshot) {
    snapshot = readSnapshot(ctx);
    ctx.state.set(stateKey, snapshot);
  }
  return snapshot;
}

/** Roles and policies are only worth reading when the access import runs in this run. */
function entityFilter(ctx: SyncContext): EntityType[] {
  const accessImport = ctx.syncs.has('data-access') && ctx.params['aws-access-skip-iam'] !== true;
  return accessImport ? ['User', 'Group', 'Role', 'LocalManagedPolicy', 'AWSManagedPolicy'] : ['User', 'Group'];
}

async function readSnapshot(ctx: SyncContext): Promise<IamSnapshot> {
  const filter = entityFilter(ctx);
  try {
    return await readAuthorizationDetails(ctx, filter);
  } catch (err) {
    if (classifyAwsError(err) !== 'access-denied') throw describeAwsError(err, { service: 'IAM', operation: 'GetAccountAuthorizationDetails' });
    ctx.logger.warn({ err: (err as Error).message }, 'iam:GetAccountAuthorizationDetails denied; falling back to list calls');
    return readWithListCalls(ctx, filter.includes('Role'));
  }
}

async function readAuthorizationDetails(ctx: SyncContext, filter: EntityType[]): Promise<IamSnapshot> {
  const iam = awsContextFor(ctx).iam();
  const snapshot: IamSnapshot = { users: [], groups: [], roles: [], policies: [], source: 'authorization-details', hasAccessDetails: filter.includes('Role'), warnings: [] };
  // 1000 is the largest page IAM serves: the fewest calls for the whole account.
  const pages = paginateGetAccountAuthorizationDetails({ client: iam, pageSize: 1000 }, { Filter: filter });
  for await (const page of pages) {
    snapshot.users.push(...(page.UserDetailList ?? []));
    snapshot.groups.push(...(page.GroupDetailList ?? []));
    snapshot.roles.push(...(page.RoleDetailList ?? []));
    snapshot.policies.push(...(page.Policies ?? []));
  }
  return snapshot;
}

/** Users and groups without GetAccountAuthorizationDetails: one call per group for members and one per user for tags. */
async function readWithListCalls(ctx: SyncContext, accessWanted: boolean): Promise<IamSnapshot> {
  const aws = awsContextFor(ctx);
  const iam = aws.iam();
  const call = async <T>(operation: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw describeAwsError(err, { service: 'IAM', operation });
    }
  };
  const users: UserDetail[] = [];
  await call('ListUsers', async () => {
    for await (const page of paginateListUsers({ client: iam, pageSize: 1000 }, {})) users.push(...(page.Users ?? []));
  });
  const groups: GroupDetail[] = [];
  await call('ListGroups', async () => {
    for await (const page of paginateListGroups({ client: iam, pageSize: 1000 }, {})) groups.push(...(page.Groups ?? []));
  });

  const groupsOfUser = new Map<string, string[]>();
  await Promise.all(
    groups.map((group) =>
      aws.limit(() =>
        call('GetGroup', async () => {
          for await (const page of paginateGetGroup({ client: iam, pageSize: 1000 }, { GroupName: group.GroupName })) {
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
  await Promise.all(
    users.map((user) =>
      aws.limit(() =>
        call('ListUserTags', async () => {
          user.Tags = [];
          for await (const page of paginateListUserTags({ client: iam }, { UserName: user.UserName })) user.Tags.push(...(page.Tags ?? []));
          user.GroupList = groupsOfUser.get(user.UserName ?? '') ?? [];
        }),
      ),
    ),
  );

  const warnings = [
    `iam:GetAccountAuthorizationDetails was denied: users and groups were read with list calls instead (${groups.length + users.length} extra calls)` +
      (accessWanted ? '; roles and policies need that permission and were not read' : ''),
  ];
  return { users, groups, roles: [], policies: [], source: 'list-calls', hasAccessDetails: false, warnings };
}
