import type { AwsInterceptor } from '../plugin-api/contract.js';
import type { FakeAwsOptions } from './fake-aws/interceptor.js';
import { fakeAwsInterceptor } from './fake-aws/interceptor.js';
import { fakeServices } from './fake-aws/services.js';
import type { FakeAccount, FakeObject } from './fake-aws/types.js';
import { sampleAccessPoints, sampleBucketPolicies, sampleGroupAccess, samplePolicies, sampleRoles, sampleUserAccess } from './sample/access.js';
import { sampleBuckets, sampleGlue } from './sample/data-objects.js';
import { sampleAccountId, sampleCredentials, sampleGroups, sampleUsers } from './sample/identities.js';
import { sampleIdentityCenter, sampleSsoRoles } from './sample/identity-center.js';
import { sampleCloudTrailFiles, sampleTrail } from './sample/usage.js';
import { compareKeys } from '../importers/data-objects/key-order.js';

/**
 * The sample company's account: a dozen users in four groups, roles, policies, three buckets, a
 * Glue database, and a trail whose last hours of S3 data events (relative to `now`) are in acme-logs.
 */
export function sampleAccount(now = Date.now()): FakeAccount {
  const trailFiles = sampleCloudTrailFiles(now);
  return {
    accountId: sampleAccountId,
    callerArn: `arn:aws:iam::${sampleAccountId}:user/raito-connector`,
    iam: {
      users: sampleUsers.map((u) => ({ ...structuredClone(u), ...structuredClone(sampleUserAccess[u.UserName ?? '']) })),
      groups: sampleGroups.map((g) => ({ ...structuredClone(g), ...structuredClone(sampleGroupAccess[g.GroupName ?? '']) })),
      roles: structuredClone([...sampleRoles, ...sampleSsoRoles]),
      policies: structuredClone(samplePolicies),
      credentials: structuredClone(sampleCredentials),
    },
    s3: {
      buckets: sampleBuckets.map((b) => ({
        ...b,
        policy: sampleBucketPolicies[b.name] ?? b.policy,
        ...(b.name === sampleTrail.bucket ? { objects: [...(b.objects as FakeObject[]), ...trailFiles].sort((x, y) => compareKeys(x.key, y.key)) } : {}),
      })),
      accessPoints: structuredClone(sampleAccessPoints),
    },
    glue: structuredClone(sampleGlue),
    cloudTrail: { trails: [sampleTrail] },
    identityCenter: structuredClone(sampleIdentityCenter),
  };
}

export function sampleAccountInterceptor(options: FakeAwsOptions = {}): AwsInterceptor {
  return fakeAwsInterceptor(sampleAccount(), fakeServices, options);
}
