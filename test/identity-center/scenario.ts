import type { FakeAccount, FakeIdentityCenter, FakePermissionSet } from '../../src/demo/fake-aws/types.js';
import type { Clock } from '../../src/identity-center/token-bucket.js';

export const managementAccount = '999988887777';
export const instanceArn = 'arn:aws:sso:::instance/ssoins-1111222233334444';
export const storeId = 'd-1234567890';

/** Virtual time: sleeping moves the clock on at once, so a limiter's pacing costs the test nothing. */
export class FakeClock implements Clock {
  time = 0;
  now(): number {
    return this.time;
  }
  sleep(ms: number): Promise<void> {
    this.time += ms;
    return Promise.resolve();
  }
}

/** An organization's Identity Center, built like a story: `identityCenter().user('ann').group('ops', ['ann'])`. */
export function identityCenter(accountId = managementAccount) {
  const ic: FakeIdentityCenter = { instances: [{ instanceArn, identityStoreId: storeId }], users: [], groups: [], memberships: [], permissionSets: [] };
  const account: FakeAccount = { accountId, callerArn: `arn:aws:iam::${accountId}:user/connector`, iam: { users: [], groups: [], roles: [], policies: [] }, s3: { buckets: [], accessPoints: [] }, glue: {}, identityCenter: ic };
  const builder = {
    account,
    ic,
    user(userName: string, options: { id?: string; displayName?: string; emails?: { Value: string; Primary?: boolean }[] } = {}) {
      ic.users.push({ UserId: options.id ?? `u-${userName}`, UserName: userName, DisplayName: options.displayName, Emails: options.emails, IdentityStoreId: storeId });
      return builder;
    },
    group(displayName: string, members: string[] = [], description?: string) {
      const groupId = `g-${displayName}`;
      ic.groups.push({ GroupId: groupId, DisplayName: displayName, Description: description, IdentityStoreId: storeId });
      for (const m of members) ic.memberships.push({ groupId, userId: `u-${m}` });
      return builder;
    },
    permissionSet(ps: Partial<FakePermissionSet> & { name: string }) {
      ic.permissionSets.push({ arn: `arn:aws:sso:::permissionSet/ssoins-1111222233334444/ps-${ps.name.toLowerCase()}`, provisionedTo: [], assignments: [], ...ps });
      return builder;
    },
    instance(arn: string, store: string) {
      ic.instances.push({ instanceArn: arn, identityStoreId: store });
      return builder;
    },
    noInstances() {
      ic.instances.length = 0;
      return builder;
    },
  };
  return builder;
}

/** The most calls of `times` that fall into any window of `windowMs` (sorted times). */
export function busiestWindow(times: readonly number[], windowMs = 1000): number {
  let most = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while (times[end]! - times[start]! >= windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}
