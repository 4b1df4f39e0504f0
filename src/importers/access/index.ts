import { awsContextFor } from '../../aws/index.js';
import { AwsReads } from '../../aws/reads.js';
import { matchesAny, warnUnmatched } from '../../plugin-api/parameters.js';
import type { SyncContext, SyncOutputs } from '../../plugin-api/contract.js';
import { setState } from '../../plugin-api/shared-state.js';
import { ActionCatalogue, S3Resolver, type KnownBucket } from '../../policy/index.js';
import { bucketScope, type BucketScope } from '../data-objects/buckets.js';
import { identityOptions } from '../identity/parameters.js';
import { iamSnapshot } from '../iam-snapshot.js';
import { importAccessPoints, listAccessPoints, readAccessPointPolicies, type AccessPointPolicy } from './access-points.js';
import { importBucketPolicies, readBucketPolicies, type BucketPolicy } from './bucket-policies.js';
import { ACCESS_STATS_KEY, newStats, roleExternalId, type AccessImport } from './context.js';
import { accessFailures } from './failures.js';
import { IdentityIndex } from './identities.js';
import { knownObjects } from './known-objects.js';
import { importInlinePolicies, inlineOwnersOfGroups, inlineOwnersOfUsers } from './inline-policies.js';
import { importManagedPolicies } from './managed-policies.js';
import { accessOptions } from './parameters.js';
import { importPermissionSets, linkSsoRoles, readPermissionSets } from './permission-sets.js';
import { importRoles } from './roles.js';
import { uniqueExternalIds } from './unique.js';

export { accessOptions, accessParameters, type AccessOptions } from './parameters.js';
export { accessImportStats, type AccessImportStats } from './context.js';
export { DENY_SUFFIX } from './provider.js';
export { syncDataObjectsKnown } from './known-objects.js';

/**
 * The access import: what exists in AWS, read back as access providers. IAM comes from the run's
 * shared GetAccountAuthorizationDetails snapshot (no per-role or per-policy calls); S3 adds one
 * ListAccessPoints per region, one GetAccessPointPolicy per access point and one GetBucketPolicy
 * per bucket, read concurrently while the IAM policies are evaluated.
 */
export async function importAccessProviders(ctx: SyncContext, out: Pick<SyncOutputs, 'access-providers'>): Promise<void> {
  // Two records with one externalId must never both reach the stream: keep the first, warn once.
  const sink = uniqueExternalIds(out['access-providers']);
  const aws = awsContextFor(ctx);
  const options = accessOptions(ctx.params);
  const reads = new AwsReads(ctx, aws, accessFailures);
  const started = performance.now();
  // The IAM snapshot needs nothing of S3: its pages are read while the buckets, access points and
  // known objects are listed (its failure is the sync's when it is awaited below). It waits for the
  // caller's identity, so that credentials that do not work fail one call, not one per chain.
  const snapshotRead = options.skipIam ? undefined : aws.accountId().then(() => iamSnapshot(ctx));
  snapshotRead?.catch(() => undefined);

  // The action catalogue, the access points and the known objects need nothing of each other: read side by side.
  const catalogue = ActionCatalogue.load();
  const [accountId, scope] = await Promise.all([aws.accountId(), readBuckets(ctx, sink)]);
  const [actions, accessPoints, tree] = await Promise.all([catalogue, options.skipAccessPoints ? [] : listAccessPoints(reads, accountId, sink), knownObjects(ctx, sink)]);
  const known = (b: { name: string; region: string }): KnownBucket => ({ name: b.name, region: b.region });
  // Every bucket of the account maps ARNs to regions; only the buckets in scope have their policies read.
  const s3 = new S3Resolver({ accountId, buckets: new Map(scope.all.map((b) => [b.name, known(b)])), accessPoints, tree, resourceTypes: actions.s3.resourceTypes });

  // Start the S3 policy reads now; they run while the IAM policies are evaluated. A fatal failure
  // cancels the sync's reads; the promises are awaited below (or their failure is the sync's).
  const accessPointPolicies: Promise<AccessPointPolicy[]> = readAccessPointPolicies(reads, sink, accessPoints);
  const bucketPolicies: Promise<BucketPolicy[]> = readBucketPolicies(reads, sink, scope.inScope.map(known));
  accessPointPolicies.catch(() => undefined);
  bucketPolicies.catch(() => undefined);
  // Permission sets (aws-organization-*) are read from the management account meanwhile; handled when awaited.
  const permissionSetsRead = readPermissionSets(ctx, accountId, sink);
  permissionSetsRead.catch(() => undefined);

  const snapshot = await snapshotRead?.catch((err: unknown) => {
    throw reads.fail(err);
  });
  const userNames = (snapshot?.users ?? []).flatMap((u) => (u.UserName ? [u.UserName] : []));
  // Who is expressed in identities the cloud knows: users left out of the identity sync become reasons.
  const userExcludes = identityOptions(ctx.params).userExcludes;
  const roleNames = (snapshot?.roles ?? []).flatMap((r) => (r.RoleName ? [r.RoleName] : []));
  const roleExcludes = options.roleExcludes;
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
  setState(ctx, ACCESS_STATS_KEY, ai.stats);
  if (snapshot?.hasAccessDetails) warnUnmatched(sink, 'aws-access-role-excludes', roleExcludes, roleNames, 'IAM role name');

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
      if (!options.skipManagedPolicies) await importManagedPolicies(ai, snapshot, identities);
      if (!options.skipUserInlinePolicies) await importInlinePolicies(ai, 'user', inlineOwnersOfUsers(snapshot.users), identities);
      if (!options.skipGroupInlinePolicies) await importInlinePolicies(ai, 'group', inlineOwnersOfGroups(snapshot.groups), identities);
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
async function readBuckets(ctx: SyncContext, sink: Pick<SyncOutputs['access-providers'], 'warn' | 'markIncomplete'>): Promise<BucketScope> {
  try {
    return await bucketScope(ctx);
  } catch (err) {
    ctx.signal.throwIfAborted();
    const message = `buckets could not be listed, so bucket ARNs in policies cannot be mapped and bucket policies were not read: ${(err as Error).message}`;
    sink.warn(message);
    sink.markIncomplete(message);
    return { all: [], inScope: [] };
  }
}
