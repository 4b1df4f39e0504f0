import type { Tag as IamTag, UserDetail } from '@aws-sdk/client-iam';
import { matchesAny, warnUnmatched } from '../../plugin-api/parameters.js';
import type { SyncContext, SyncOutputs } from '../../plugin-api/contract.js';
import type { Group, Tag, User } from '../../model/index.js';
import { iamSnapshot } from '../iam-snapshot.js';
import { credentialFactsOf, startCredentialReport, writeRootUser } from './credential-facts.js';
import { machineFlag } from './machine-tag.js';
import { identityOptions } from './parameters.js';

const tagSource = 'aws-iam';

function toTags(tags: IamTag[] | undefined): Tag[] {
  return (tags ?? []).map((t) => ({ key: t.Key ?? '', value: t.Value ?? '', source: tagSource }));
}

/** The email tag named by `aws-user-email-tag`, else the first tag whose key mentions "email". */
function emailOf(user: UserDetail, emailTag: string | undefined): string | undefined {
  const tags = user.Tags ?? [];
  const tag = emailTag ? tags.find((t) => t.Key === emailTag) : tags.find((t) => /email/i.test(t.Key ?? ''));
  return tag?.Value || undefined;
}

/** IAM users, groups and memberships, from the run's IAM snapshot (no per-user calls). */
export async function importIamIdentities(ctx: SyncContext, out: Pick<SyncOutputs, 'users' | 'groups'>): Promise<void> {
  // The credential report is built by AWS while the snapshot pages are read.
  const reportRead = startCredentialReport(ctx);
  const snapshot = await iamSnapshot(ctx);
  for (const warning of snapshot.warnings) out.users.warn(warning);
  for (const reason of snapshot.usersIncomplete) out.users.markIncomplete(reason);
  const facts = await credentialFactsOf(ctx, reportRead, out.users);
  const isMachine = machineFlag(ctx.params);

  const groupIdByName = new Map<string, string>();
  for (const g of snapshot.groups) {
    if (!g.GroupId || !g.GroupName) {
      out.groups.warn(`an IAM group was listed without ${g.GroupId ? 'a name' : 'an id'} (${g.GroupName ?? g.GroupId ?? g.Arn ?? 'unknown'}); it was left out`);
      out.groups.markIncomplete('an IAM group could not be read');
      continue;
    }
    groupIdByName.set(g.GroupName, g.GroupId);
    const group: Group = { externalId: g.GroupId, name: g.GroupName, displayName: g.GroupName };
    await out.groups.write(group);
  }

  const { userExcludes: excludes, emailTag } = identityOptions(ctx.params);
  let excluded = 0;
  for (const u of snapshot.users) {
    if (!u.UserId || !u.UserName) {
      out.users.warn(`an IAM user was listed without ${u.UserId ? 'a name' : 'an id'} (${u.UserName ?? u.UserId ?? u.Arn ?? 'unknown'}); it was left out`);
      out.users.markIncomplete('an IAM user could not be read');
      continue;
    }
    if (matchesAny(excludes, u.UserName)) {
      excluded++;
      continue;
    }
    const user: User = {
      externalId: u.UserId,
      name: u.UserName,
      userName: u.UserName,
      email: emailOf(u, emailTag),
      groupExternalIds: (u.GroupList ?? []).flatMap((name) => groupIdByName.get(name) ?? []),
      tags: toTags(u.Tags),
      isMachine: isMachine(u.Tags),
      posture: facts.posture(u.UserName),
    };
    await out.users.write(user);
  }
  if (await writeRootUser(facts, excludes, isMachine, out.users)) excluded++;
  facts.finish(out.users);
  if (excluded > 0) ctx.logger.info({ excluded }, 'users left out by aws-user-excludes');
  warnUnmatched(out.users, 'aws-user-excludes', excludes, snapshot.users.flatMap((u) => u.UserName ?? []), 'IAM user name');
}
