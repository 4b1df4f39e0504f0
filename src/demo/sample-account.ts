import type { AwsInterceptor } from '../plugin-api/contract.js';
import type { FakeAwsOptions } from './fake-aws/interceptor.js';
import { fakeAwsInterceptor } from './fake-aws/interceptor.js';
import { fakeServices } from './fake-aws/services.js';
import type { FakeAccount } from './fake-aws/types.js';
import { sampleAccessPoints, sampleBucketPolicies, sampleGroupAccess, samplePolicies, sampleRoles, sampleUserAccess } from './sample/access.js';
import { sampleBuckets, sampleGlue } from './sample/data-objects.js';
import { sampleAccountId, sampleGroups, sampleUsers } from './sample/identities.js';
import { sampleIdentityCenter, sampleSsoRoles } from './sample/identity-center.js';

/** The sample company's account: a dozen users in four groups, roles, policies, three buckets and a Glue database; and its organization's Identity Center. */
export function sampleAccount(): FakeAccount {
  return {
    accountId: sampleAccountId,
    callerArn: `arn:aws:iam::${sampleAccountId}:user/raito-connector`,
    iam: {
      users: sampleUsers.map((u) => ({ ...structuredClone(u), ...structuredClone(sampleUserAccess[u.UserName ?? '']) })),
      groups: sampleGroups.map((g) => ({ ...structuredClone(g), ...structuredClone(sampleGroupAccess[g.GroupName ?? '']) })),
      roles: structuredClone([...sampleRoles, ...sampleSsoRoles]),
      policies: structuredClone(samplePolicies),
    },
    s3: {
      buckets: sampleBuckets.map((b) => ({ ...b, policy: sampleBucketPolicies[b.name] ?? b.policy })),
      accessPoints: structuredClone(sampleAccessPoints),
    },
    glue: structuredClone(sampleGlue),
    identityCenter: structuredClone(sampleIdentityCenter),
  };
}

export function sampleAccountInterceptor(options: FakeAwsOptions = {}): AwsInterceptor {
  return fakeAwsInterceptor(sampleAccount(), fakeServices, options);
}
