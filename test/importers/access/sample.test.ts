import { describe, expect, it } from 'vitest';
import { releaseAwsContext } from '../../../src/aws/index.js';
import { fakeAwsInterceptor } from '../../../src/demo/fake-aws/interceptor.js';
import { iamService, stsService } from '../../../src/demo/fake-aws/iam.js';
import { s3Service } from '../../../src/demo/fake-aws/s3.js';
import { s3PolicyHandlers } from '../../../src/demo/fake-aws/s3-policies.js';
import { s3ControlService } from '../../../src/demo/fake-aws/s3control.js';
import type { FakeAccount } from '../../../src/demo/fake-aws/types.js';
import { sampleAccessPoints, sampleBucketPolicies, sampleGroupAccess, samplePolicies, sampleRoles, sampleUserAccess } from '../../../src/demo/sample/access.js';
import { sampleBuckets } from '../../../src/demo/sample/data-objects.js';
import { sampleAccountId, sampleGroups, sampleUsers } from '../../../src/demo/sample/identities.js';
import { accessParameters, importAccessProviders } from '../../../src/importers/access/index.js';
import { AccessProvider } from '../../../src/model/index.js';
import { testContext } from '../../helpers/context.js';
import { memoryOutputs } from '../../helpers/sinks.js';

/** The sample company as the demo composes it: identities, buckets and their access. */
function sampleAccount(): FakeAccount {
  return {
    accountId: sampleAccountId,
    callerArn: `arn:aws:iam::${sampleAccountId}:user/connector`,
    iam: {
      users: sampleUsers.map((u) => ({ ...u, ...sampleUserAccess[u.UserName ?? ''] })),
      groups: sampleGroups.map((g) => ({ ...g, ...sampleGroupAccess[g.GroupName ?? ''] })),
      roles: sampleRoles,
      policies: samplePolicies,
    },
    s3: { buckets: sampleBuckets.map((b) => ({ ...b, policy: sampleBucketPolicies[b.name] })), accessPoints: sampleAccessPoints },
    glue: {},
  };
}

describe('the sample account', () => {
  it('names only users, groups and buckets that exist in the sample', () => {
    const users = new Set(sampleUsers.map((u) => u.UserName));
    const groups = new Set(sampleGroups.map((g) => g.GroupName));
    const buckets = new Set(sampleBuckets.map((b) => b.name));
    for (const name of Object.keys(sampleUserAccess)) expect(users.has(name), name).toBe(true);
    for (const name of Object.keys(sampleGroupAccess)) expect(groups.has(name), name).toBe(true);
    for (const name of [...Object.keys(sampleBucketPolicies), ...sampleAccessPoints.map((a) => a.bucket)]) expect(buckets.has(name), name).toBe(true);
  });

  it('imports access providers of every type, with reasons where they apply', async () => {
    const interceptor = fakeAwsInterceptor(sampleAccount(), { IAM: iamService, STS: stsService, S3: { ...s3Service, ...s3PolicyHandlers }, S3Control: s3ControlService });
    const ctx = testContext({ specs: accessParameters, params: { 'aws-regions': 'eu-central-1,us-east-1,eu-west-1' }, awsInterceptor: interceptor });
    const out = memoryOutputs();
    try {
      await importAccessProviders(ctx, out);
    } finally {
      releaseAwsContext(ctx);
    }
    const providers = out['access-providers'].items;
    for (const p of providers) expect(AccessProvider.safeParse(p).success, p.externalId).toBe(true);
    expect(new Set(providers.map((p) => p.type))).toEqual(new Set(['aws_role', 'aws_policy', 'aws_inline_policy', 'aws_access_point', 'aws_bucket_policy']));
    const byId = new Map(providers.map((p) => [p.externalId, p]));
    const reasons = (id: string): string[] => byId.get(id)?.reasons ?? [`(no provider ${id})`];

    expect(byId.get('role:data-platform-etl')?.who).toEqual({ users: ['svc-etl'], groups: [], accessProviders: [] });
    expect(reasons('role:data-platform-etl')).toContain('trust policy allows service principal glue.amazonaws.com');
    expect(byId.get('role:data-platform-etl#deny')?.what.map((w) => w.dataObject.fullName)).toEqual([`${sampleAccountId}:us-east-1:acme-hr`]);
    expect(byId.get('role:analytics-readonly')?.who).toEqual({ users: ['alice', 'bob'], groups: [], accessProviders: ['role:data-platform-etl'] });
    expect(reasons('role:analytics-readonly').some((r) => r.includes('s3:prefix'))).toBe(true);
    expect(reasons('role:cross-account-auditor')).toContain('trust policy statement 1 has condition StringEquals sts:ExternalId; assuming the role depends on it');
    expect(byId.get(`policy:arn:aws:iam::${sampleAccountId}:policy/FinanceWrite#deny`)?.action).toBe('deny');
    expect(byId.has(`policy:arn:aws:iam::${sampleAccountId}:policy/DeveloperBoundary`)).toBe(false);
    expect(byId.get('policy:arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess')?.locks).toHaveLength(3);
    expect(reasons('inline:user/mallory')).toEqual([
      `permission boundary arn:aws:iam::${sampleAccountId}:policy/DeveloperBoundary limits user mallory: what is shown is what it also allows`,
      'inline policy contractor-uploads statement 1: arn:aws:s3:::acme-sales/uploads/${aws:username}/* uses the policy variable ${aws:username}, which takes its value from each request; its permissions within folder uploads of bucket acme-sales are not shown',
    ]);
    expect(reasons('inline:user/svc-backup').some((r) => r.includes('acme-archive'))).toBe(true);
    expect(reasons('bucketpolicy:acme-sales')[0]).toBe('bucket policy grants public access (Principal *)');
    expect(byId.get('bucketpolicy:acme-sales')?.notInternalizable).toBe(true);
    expect(byId.get(`accesspoint:arn:aws:s3:eu-central-1:${sampleAccountId}:accesspoint/sales-reports`)?.who).toEqual({ users: ['alice'], groups: [], accessProviders: ['role:analytics-readonly'] });
    expect(out['access-providers'].incomplete).toBe(false);
  });
});
