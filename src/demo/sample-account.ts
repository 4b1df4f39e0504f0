import type { AwsInterceptor } from '../host/plugin.js';
import type { FakeAwsOptions } from './fake-aws/interceptor.js';
import { fakeAwsInterceptor } from './fake-aws/interceptor.js';
import { fakeServices } from './fake-aws/services.js';
import type { FakeAccount } from './fake-aws/types.js';
import { sampleAccountId, sampleGroups, sampleUsers } from './sample/identities.js';

/** The sample company's account: a dozen users in four groups, a few roles and policies, three buckets. */
export function sampleAccount(): FakeAccount {
  return {
    accountId: sampleAccountId,
    callerArn: `arn:aws:iam::${sampleAccountId}:user/raito-connector`,
    iam: { users: structuredClone(sampleUsers), groups: structuredClone(sampleGroups), roles: [], policies: [] },
    s3: { buckets: [], accessPoints: [] },
    glue: {},
  };
}

export function sampleAccountInterceptor(options: FakeAwsOptions = {}): AwsInterceptor {
  return fakeAwsInterceptor(sampleAccount(), fakeServices, options);
}
