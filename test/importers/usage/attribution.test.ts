import { describe, expect, it } from 'vitest';
import { attribute, cachedAttribution } from '../../../src/importers/usage/attribution.js';
import { ACCOUNT, assumedRole, iamUser } from './scenario.js';

const OTHER = '999988887777';

describe('who an event is attributed to', () => {
  it('IAMUser of the account: the user name', () => {
    expect(attribute(iamUser('alice'), ACCOUNT)).toEqual({ user: 'alice' });
  });

  it('IAMUser of another account: its ARN, so it is not taken for a local user of the same name', () => {
    expect(attribute(iamUser('alice', OTHER), ACCOUNT)).toEqual({ user: `arn:aws:iam::${OTHER}:user/alice` });
  });

  it('AssumedRole: the role, and the session name as user when it is an email address', () => {
    expect(attribute(assumedRole('analytics-readonly', 'heidi@acme.example'), ACCOUNT)).toEqual({ role: 'analytics-readonly', user: 'heidi@acme.example' });
    expect(attribute(assumedRole('etl', 'botocore-session-1712'), ACCOUNT)).toEqual({ role: 'etl' });
    expect(attribute(assumedRole('etl', 'i-0abc1234def567890'), ACCOUNT)).toEqual({ role: 'etl' });
  });

  it('AssumedRole with a source identity: that identity is the user', () => {
    const who = assumedRole('etl', 'job-42');
    who.sessionContext!.sourceIdentity = 'carol';
    expect(attribute(who, ACCOUNT)).toEqual({ role: 'etl', user: 'carol' });
  });

  it('AWSReservedSSO roles: the permission set is the role and the session name (the Identity Center user) the user', () => {
    expect(attribute(assumedRole('AWSReservedSSO_DataAnalyst_0123456789abcdef', 'judy'), ACCOUNT)).toEqual({ role: 'DataAnalyst', user: 'judy' });
    expect(attribute(assumedRole('AWSReservedSSO_Read_Only_Access_fedcba9876543210', 'judy@acme.example'), ACCOUNT)).toEqual({ role: 'Read_Only_Access', user: 'judy@acme.example' });
  });

  it('a role of another account is named by its ARN', () => {
    expect(attribute(assumedRole('partner-reader', 'sync'), ACCOUNT)).toEqual({ role: 'partner-reader' });
    expect(attribute(assumedRole('partner-reader', 'sync', OTHER), ACCOUNT)).toEqual({ role: `arn:aws:iam::${OTHER}:role/partner-reader` });
  });

  it('Root, AWS services, federated and web identity users, other accounts and unknown types keep what the event says', () => {
    expect(attribute({ type: 'Root', accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, principalId: ACCOUNT }, ACCOUNT)).toEqual({ user: `arn:aws:iam::${ACCOUNT}:root` });
    expect(attribute({ type: 'AWSService', invokedBy: 'athena.amazonaws.com' }, ACCOUNT)).toEqual({ user: 'athena.amazonaws.com' });
    expect(attribute({ type: 'FederatedUser', accountId: ACCOUNT, arn: `arn:aws:sts::${ACCOUNT}:federated-user/bob`, principalId: `${ACCOUNT}:bob` }, ACCOUNT)).toEqual({
      user: `arn:aws:sts::${ACCOUNT}:federated-user/bob`,
    });
    expect(attribute({ type: 'WebIdentityUser', userName: 'accounts.google.com:1234', principalId: 'x' }, ACCOUNT)).toEqual({ user: 'accounts.google.com:1234' });
    expect(attribute({ type: 'AWSAccount', accountId: OTHER, principalId: 'AIDAX' }, ACCOUNT)).toEqual({ user: `arn:aws:iam::${OTHER}:root` });
    expect(attribute({ type: 'IdentityCenterUser', onBehalfOf: { userId: 'u-123', identityStoreArn: 'arn:aws:identitystore::1:identitystore/d-1' } }, ACCOUNT)).toEqual({ user: 'u-123' });
    expect(attribute({ type: 'SomethingNew', principalId: 'AROA:x' }, ACCOUNT)).toEqual({ user: 'AROA:x' });
    expect(attribute(undefined, ACCOUNT)).toEqual({ user: 'unknown' });
  });

  it('the cached attribution answers like the plain one, per session and with a source identity', () => {
    const cached = cachedAttribution(ACCOUNT);
    const sso = assumedRole('AWSReservedSSO_DataAnalyst_0123456789abcdef', 'judy');
    expect(cached(sso)).toEqual({ role: 'DataAnalyst', user: 'judy' });
    expect(cached(sso)).toEqual({ role: 'DataAnalyst', user: 'judy' });
    expect(cached(assumedRole('AWSReservedSSO_DataAnalyst_0123456789abcdef', 'ann'))).toEqual({ role: 'DataAnalyst', user: 'ann' });
    const sourced = assumedRole('AWSReservedSSO_DataAnalyst_0123456789abcdef', 'judy');
    sourced.sessionContext!.sourceIdentity = 'carol';
    expect(cached(sourced)).toEqual(attribute(sourced, ACCOUNT));
    expect(cached(iamUser('alice'))).toEqual({ user: 'alice' });
  });
});

