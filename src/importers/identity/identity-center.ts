import type { User as StoreUser } from '@aws-sdk/client-identitystore';
import { paginateListGroupMemberships, paginateListGroups, paginateListUsers } from '../../aws/sdk/identitystore.js';
import { describeAwsError } from '../../aws/index.js';
import type { IdentityCenter } from '../../identity-center/connection.js';
import type { SyncContext, SyncOutputs } from '../../plugin-api/contract.js';
import type { Group, User } from '../../model/index.js';

/** The Identity Store API serves at most 100 items a page. */
const PAGE = 100;

/** The primary email, else the first one, else the user name (Identity Center user names are often emails). */
export function emailOf(user: Pick<StoreUser, 'Emails' | 'UserName'>): string | undefined {
  const emails = (user.Emails ?? []).filter((e) => e.Value);
  return (emails.find((e) => e.Primary) ?? emails[0])?.Value ?? user.UserName;
}

/**
 * Identity Center users, groups and memberships of one identity store. Groups are written as they
 * are listed; memberships cost one paged ListGroupMemberships per group (never one call per user),
 * read concurrently within aws-concurrency and the Identitystore rate limit; then users are
 * streamed with their groups. Only the user -> groups index stays in memory.
 */
export async function importIdentityCenterIdentities(ctx: SyncContext, ic: IdentityCenter, out: Pick<SyncOutputs, 'users' | 'groups'>): Promise<void> {
  const started = performance.now();
  const { identityStoreId } = await ic.instance(false);
  const client = ic.identityStore();
  const where = (operation: string, resource?: string) => ({ service: 'Identitystore', operation, resource, region: ic.region, defaultRegion: ic.region });
  const options = { abortSignal: ctx.signal };

  const groupIds: string[] = [];
  try {
    for await (const page of paginateListGroups({ client, pageSize: PAGE }, { IdentityStoreId: identityStoreId }, options)) {
      for (const g of page.Groups ?? []) {
        if (!g.GroupId) continue;
        const name = g.DisplayName || g.GroupId;
        const group: Group = { externalId: g.GroupId, name, displayName: name };
        if (g.Description) group.description = g.Description;
        await out.groups.write(group);
        groupIds.push(g.GroupId);
      }
    }
  } catch (err) {
    throw describeAwsError(err, where('ListGroups'));
  }

  const groupsOfUser = new Map<string, string[]>();
  await Promise.all(
    groupIds.map((groupId) =>
      ic.aws.limit(async () => {
        try {
          for await (const page of paginateListGroupMemberships({ client, pageSize: PAGE }, { IdentityStoreId: identityStoreId, GroupId: groupId }, options)) {
            for (const m of page.GroupMemberships ?? []) {
              const userId = m.MemberId?.UserId;
              if (!userId) continue;
              const list = groupsOfUser.get(userId);
              if (list) list.push(groupId);
              else groupsOfUser.set(userId, [groupId]);
            }
          }
        } catch (err) {
          throw describeAwsError(err, where('ListGroupMemberships', `group ${groupId}`));
        }
      }),
    ),
  );

  let users = 0;
  try {
    for await (const page of paginateListUsers({ client, pageSize: PAGE }, { IdentityStoreId: identityStoreId }, options)) {
      for (const u of page.Users ?? []) {
        if (!u.UserId || !u.UserName) continue;
        // isMachine is left out on purpose: Identity Center does not say whether a user is a person.
        const user: User = { externalId: u.UserId, name: u.UserName, userName: u.UserName, groupExternalIds: groupsOfUser.get(u.UserId) ?? [] };
        const email = emailOf(u);
        if (email) user.email = email;
        if (u.DisplayName) user.displayName = u.DisplayName;
        await out.users.write(user);
        users++;
      }
    }
  } catch (err) {
    throw describeAwsError(err, where('ListUsers'));
  }
  ctx.logger.info({ identityStoreId, users, groups: groupIds.length, memberships: [...groupsOfUser.values()].reduce((n, l) => n + l.length, 0), ms: Math.round(performance.now() - started) }, 'Identity Center identities read');
}
