import { awsContextFor } from '../../aws/index.js';
import { matchesAny } from '../../plugin-api/parameters.js';
import type { SyncContext, SyncOutputs } from '../../plugin-api/contract.js';
import { ActionCatalogue, S3Resolver, type KnownBucket } from '../../policy/index.js';
import { bucketIndex } from '../data-objects/buckets.js';
import { iamSnapshot } from '../iam-snapshot.js';
import { importAccessPoints, listAccessPoints, readAccessPointPolicies, type AccessPointPolicy } from './access-points.js';
import { importBucketPolicies, readBucketPolicies, type BucketPolicy } from './bucket-policies.js';
import { ACCESS_STATS_KEY, newStats, roleExternalId, type AccessImport } from './context.js';
import { IdentityIndex } from './identities.js';
import { importInlinePolicies, inlineOwnersOfGroups, inlineOwnersOfUsers } from './inline-policies.js';
import { importManagedPolicies } from './managed-policies.js';
import { importPermissionSets, linkSsoRoles, readPermissionSets } from './permission-sets.js';
import { importRoles } from './roles.js';

export { accessParameters } from './parameters.js';
export { accessImportStats, type AccessImportStats } from './context.js';
export { DENY_SUFFIX } from './provider.js';

/**
 * The access import: what exists in AWS, read back as access providers. IAM comes from the run's
 * shared GetAccountAuthorizationDetails snapshot (no per-role or per-policy calls); S3 adds one
 * ListAccessPoints per region, one GetAccessPointPolicy per access point and one GetBucketPolicy
 * per bucket, read concurrently while the IAM policies are evaluated.
 */
export async function importAccessProviders(ctx: SyncContext, out: Pick<SyncOutputs, 'access-providers'>): Promise<void> {
  const sink = out['access-providers'];
  const aws = awsContextFor(ctx);
  const params = ctx.params;
  const skipIam = params['aws-access-skip-iam'] === true;
  const skipAccessPoints = params['aws-access-skip-s3-access-points'] === true;
  const started = performance.now();

  const [accountId, actions, buckets] = await Promise.all([aws.accountId(), ActionCatalogue.load(), readBuckets(ctx, sink)]);
  const accessPoints = skipAccessPoints ? [] : await listAccessPoints(ctx, accountId, sink);
  const s3 = new S3Resolver({ accountId, buckets: new Map(buckets.map((b) => [b.name, b])), accessPoints });

  // Start the S3 policy reads now; they run while the IAM policies are evaluated.
  const accessPointPolicies: Promise<AccessPointPolicy[]> = readAccessPointPolicies(ctx, accessPoints);
  const bucketPolicies: Promise<BucketPolicy[]> = readBucketPolicies(ctx, buckets);
  // Permission sets (aws-organization-*) are read from the management account meanwhile; handled when awaited.
  const permissionSetsRead = readPermissionSets(ctx, accountId, sink);
  permissionSetsRead.catch(() => undefined);

  const snapshot = skipIam ? undefined : await iamSnapshot(ctx);
  const userNames = (snapshot?.users ?? []).flatMap((u) => (u.UserName ? [u.UserName] : []));
  // Who is expressed in identities the cloud knows: users left out of the identity sync become reasons.
  const userExcludes = (ctx.params['aws-user-excludes'] as RegExp[] | undefined) ?? [];
  const roleNames = (snapshot?.roles ?? []).flatMap((r) => (r.RoleName ? [r.RoleName] : []));
  const roleExcludes = (ctx.params['aws-access-role-excludes'] as RegExp[] | undefined) ?? [];
  const permissionSets = await permissionSetsRead;
  const ssoRoles = linkSsoRoles(snapshot?.roles ?? [], permissionSets);
  const ai: AccessImport = {
    sync: ctx,
    sink,
    accountId,
    evaluation: { actions, s3 },
    known: {
      users: new Set(userNames.filter((name) => !matchesAny(userExcludes, name))),
      excludedUsers: new Set(userNames.filter((name) => matchesAny(userExcludes, name))),
      roles: new Set(roleNames.filter((name) => ssoRoles.has(name) || !matchesAny(roleExcludes, name))),
      excludedRoles: new Set(roleNames.filter((name) => !ssoRoles.has(name) && matchesAny(roleExcludes, name))),
      roleExternalId: (name) => ssoRoles.get(name) ?? roleExternalId(name),
    },
    stats: newStats(),
    ssoRoles,
  };
  ctx.state.set(ACCESS_STATS_KEY, ai.stats);

  if (snapshot) {
    // The identity sync says the snapshot's warnings when it runs; otherwise they belong here.
    if (!ctx.syncs.has('identity-store')) for (const w of snapshot.warnings) sink.warn(w);
    if (!snapshot.hasAccessDetails) {
      const message =
        'iam:GetAccountAuthorizationDetails was denied or not available: IAM roles, managed policies and inline policies were not imported (grant iam:GetAccountAuthorizationDetails to the connector)';
      sink.warn(message);
      sink.markIncomplete(message);
    } else {
      const identities = new IdentityIndex(snapshot);
      await importRoles(ai, snapshot.roles, identities);
      if (params['aws-access-skip-managed-policies'] !== true) await importManagedPolicies(ai, snapshot, identities);
      if (params['aws-access-skip-user-inline-policies'] !== true) await importInlinePolicies(ai, 'user', inlineOwnersOfUsers(snapshot.users), identities);
      if (params['aws-access-skip-group-inline-policies'] !== true) await importInlinePolicies(ai, 'group', inlineOwnersOfGroups(snapshot.groups), identities);
    }
  }
  await importAccessPoints(ai, await accessPointPolicies);
  await importBucketPolicies(ai, await bucketPolicies);
  if (permissionSets) await importPermissionSets(ai, permissionSets, snapshot?.policies ?? []);

  ctx.logger.info(
    {
      providers: ai.stats.providers,
      denyProviders: ai.stats.denyProviders,
      policyMs: Math.round(ai.stats.policyMs),
      documents: ai.stats.documents,
      unreadableDocuments: ai.stats.unreadableDocuments,
      otherServiceActions: ai.stats.otherServiceActions,
      excludedRoles: ai.stats.excludedRoles,
      excludedPolicies: ai.stats.excludedPolicies,
      ms: Math.round(performance.now() - started),
    },
    'access import finished',
  );
}

/** The account's buckets; without them bucket ARNs cannot be mapped, which makes the stream incomplete. */
async function readBuckets(ctx: SyncContext, sink: Pick<SyncOutputs['access-providers'], 'warn' | 'markIncomplete'>): Promise<KnownBucket[]> {
  try {
    return (await bucketIndex(ctx)).map((b) => ({ name: b.name, region: b.region }));
  } catch (err) {
    const message = `buckets could not be listed, so bucket ARNs in policies cannot be mapped and bucket policies were not read: ${(err as Error).message}`;
    sink.warn(message);
    sink.markIncomplete(message);
    return [];
  }
}
