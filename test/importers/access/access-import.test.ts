import { describe, expect, it } from 'vitest';
import { AccessProvider } from '../../../src/model/index.js';
import { ACCOUNT, awsPolicyArn, doc, policyArn, scenario, statement, trust } from './scenario.js';

const sales = `${ACCOUNT}:eu-central-1:acme-sales`;
const hr = `${ACCOUNT}:us-east-1:acme-hr`;
const noWho = { users: [], groups: [], accessProviders: [] };
const user = (name: string): string => `arn:aws:iam::${ACCOUNT}:user/${name}`;
const role = (name: string): string => `arn:aws:iam::${ACCOUNT}:role/${name}`;

/** Two buckets every scenario has. */
const base = () => scenario().bucket('acme-sales', 'eu-central-1').bucket('acme-hr', 'us-east-1');

describe('access import: roles', () => {
  it('a role etl trusted by user svc-etl and glue.amazonaws.com with an inline policy reading acme-sales/reports/*', async () => {
    const { byId, providers } = await base()
      .user('svc-etl')
      .role('etl', trust({ AWS: user('svc-etl'), Service: 'glue.amazonaws.com' }), {
        inline: { read: doc(statement('Allow', 's3:GetObject', 'arn:aws:s3:::acme-sales/reports/*')) },
        tags: { team: 'data' },
      })
      .run();
    expect(providers).toHaveLength(1);
    expect(byId.get('role:etl')).toEqual({
      externalId: 'role:etl',
      name: 'etl',
      type: 'aws_role',
      action: 'grant',
      who: { users: ['svc-etl'], groups: [], accessProviders: [] },
      what: [{ dataObject: { fullName: `${sales}/reports`, type: 'folder' }, permissions: ['s3:GetObject'] }],
      incomplete: true,
      reasons: ['trust policy allows service principal glue.amazonaws.com'],
      tags: [{ key: 'team', value: 'data', source: 'aws-iam' }],
      actualName: 'etl',
    });
    for (const p of providers) expect(AccessProvider.safeParse(p).success).toBe(true);
  });

  it.each([
    ['a same-account role', { AWS: role('etl') }, { ...noWho, accessProviders: ['role:etl'] }, []],
    ['the whole account', { AWS: `arn:aws:iam::${ACCOUNT}:root` }, noWho, [`trust policy allows the whole account ${ACCOUNT} (arn:aws:iam::${ACCOUNT}:root): any user or role whose own policies allow it`]],
    ['another account', { AWS: 'arn:aws:iam::444455556666:root' }, noWho, ['trust policy allows cross-account principal arn:aws:iam::444455556666:root (account 444455556666)']],
    ['a federated provider', { Federated: `arn:aws:iam::${ACCOUNT}:saml-provider/Okta` }, noWho, [`trust policy allows federated principal arn:aws:iam::${ACCOUNT}:saml-provider/Okta`]],
    ['anyone', '*', noWho, ['trust policy allows any principal (Principal *)']],
  ])('trust policy principal: %s', async (_, principal, who, reasons) => {
    const { byId } = await base().role('etl', trust({ Service: 'glue.amazonaws.com' })).role('reader', trust(principal)).run();
    const reader = byId.get('role:reader');
    expect(reader?.who).toEqual(who);
    expect(reader?.reasons).toEqual(reasons);
    expect(reader?.incomplete).toBe(reasons.length > 0);
  });

  it('a trust condition (ExternalId) is a reason; TagSession-only statements are ignored', async () => {
    const { byId } = await base()
      .role(
        'auditor',
        doc(
          { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: 'arn:aws:iam::444455556666:role/Auditor' }, Condition: { StringEquals: { 'sts:ExternalId': 'acme-audit' } } },
          { Effect: 'Allow', Action: 'sts:TagSession', Principal: { AWS: '*' } },
        ),
      )
      .run();
    expect(byId.get('role:auditor')?.reasons).toEqual([
      'trust policy allows cross-account principal arn:aws:iam::444455556666:role/Auditor',
      'trust policy statement 1 has condition StringEquals sts:ExternalId; assuming the role depends on it',
    ]);
  });

  it('a permission boundary on a role narrows its grant to what the boundary allows; its conditions and denies are carried along', async () => {
    const boundary = policyArn('PayrollBoundary');
    const { byId } = await base()
      .user('carol')
      .managedPolicy(
        'PayrollBoundary',
        doc(
          statement('Allow', 's3:PutObject', 'arn:aws:s3:::acme-hr/payroll/*'),
          statement('Allow', 's3:GetObject', 'arn:aws:s3:::acme-hr/*', { Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-1' } } }),
          statement('Deny', 's3:PutObject', 'arn:aws:s3:::acme-hr/payroll/2024.csv'),
        ),
      )
      .role('dev', trust({ AWS: user('carol') }), { boundary: 'PayrollBoundary', inline: { main: doc(statement('Allow', 's3:*', 'arn:aws:s3:::acme-hr/*')) } })
      .run();
    const dev = byId.get('role:dev');
    // s3:* on the whole bucket, but the boundary lets through only PutObject in payroll/ and GetObject under a condition.
    expect(dev?.what).toEqual([
      { dataObject: { fullName: hr, type: 'bucket' }, permissions: ['s3:GetObject'], conditional: true },
      { dataObject: { fullName: `${hr}/payroll`, type: 'folder' }, permissions: ['s3:PutObject'] },
    ]);
    expect(dev?.reasons).toEqual([
      `permission boundary ${boundary} limits role dev: what is shown is what it also allows`,
      `permission boundary ${boundary}: statement 2 has condition StringEquals aws:SourceVpc; its permissions are marked conditional`,
    ]);
    expect(byId.get('role:dev#deny')?.what).toEqual([{ dataObject: { fullName: `${hr}/payroll/2024.csv`, type: 'file' }, permissions: ['s3:PutObject'] }]);
  });

  it('a managed policy on principals with different boundaries keeps a reason naming them; one boundary shared by all narrows it', async () => {
    const { byId } = await base()
      .managedPolicy('HrBoundary', doc(statement('Allow', 's3:GetObject', 'arn:aws:s3:::acme-hr/public/*')))
      .managedPolicy('HrAll', doc(statement('Allow', ['s3:GetObject', 's3:PutObject'], 'arn:aws:s3:::acme-hr/*')))
      .managedPolicy('HrShared', doc(statement('Allow', ['s3:GetObject', 's3:PutObject'], 'arn:aws:s3:::acme-hr/*')))
      .user('carol', { attached: ['HrAll', 'HrShared'], boundary: 'HrBoundary' })
      .user('dave', { attached: ['HrAll'] })
      .user('erin', { attached: ['HrShared'], boundary: 'HrBoundary' })
      .run();
    const mixed = byId.get(`policy:${policyArn('HrAll')}`);
    expect(mixed?.what).toEqual([{ dataObject: { fullName: hr, type: 'bucket' }, permissions: ['s3:GetObject', 's3:PutObject'] }]);
    expect(mixed?.reasons).toEqual([`permission boundary ${policyArn('HrBoundary')} limits user carol; effective access may be smaller`]);
    expect(mixed?.incomplete).toBe(true);
    const shared = byId.get(`policy:${policyArn('HrShared')}`);
    expect(shared?.what).toEqual([{ dataObject: { fullName: `${hr}/public`, type: 'folder' }, permissions: ['s3:GetObject'] }]);
    expect(shared?.reasons).toEqual([`permission boundary ${policyArn('HrBoundary')} limits user carol, user erin: what is shown is what it also allows`]);
    expect(shared?.incomplete).toBe(false);
  });

  it('a permission boundary whose document is not in the snapshot is a reason naming it; a Deny becomes role:<name>#deny with the same who', async () => {
    const { byId } = await base()
      .user('carol')
      .role('dev', trust({ AWS: user('carol') }), {
        boundary: 'DeveloperBoundary',
        inline: { main: doc(statement('Allow', 's3:*', 'arn:aws:s3:::acme-hr/*'), statement('Deny', 's3:DeleteObject', 'arn:aws:s3:::acme-hr/*')) },
      })
      .run();
    const dev = byId.get('role:dev');
    expect(dev?.reasons).toEqual([
      `permission boundary ${policyArn('DeveloperBoundary')} limits role dev, but its document is not in the IAM snapshot or cannot be read; effective access may be smaller`,
    ]);
    expect(dev?.incomplete).toBe(true);
    expect(dev?.what[0]?.permissions).toContain('s3:DeleteObject');
    expect(byId.get('role:dev#deny')).toEqual({
      externalId: 'role:dev#deny',
      name: 'dev (deny)',
      type: 'aws_role',
      action: 'deny',
      who: { users: ['carol'], groups: [], accessProviders: [] },
      what: [{ dataObject: { fullName: hr, type: 'bucket' }, permissions: ['s3:DeleteObject'] }],
      incomplete: false,
      reasons: [],
      actualName: 'dev',
    });
  });

  it('a role listed without a name is a warning and marks the stream incomplete', async () => {
    const s = base().role('etl', trust({ Service: 'glue.amazonaws.com' })).role('ghost', trust({ Service: 'glue.amazonaws.com' }));
    delete s.account.iam.roles[1]!.RoleName;
    const { sink, byId } = await s.run();
    expect([...byId.keys()]).toEqual(['role:etl']);
    expect(sink.incomplete).toBe(true);
    expect(sink.warnings).toEqual([`an IAM role was listed without a name (${role('ghost')}); it was left out of the access import`, 'an IAM role could not be imported']);
  });

  it('aws-access-role-excludes leaves roles out (full match); service-linked roles are locked', async () => {
    const { byId } = await base()
      .role('AWSServiceRoleForSupport', trust({ Service: 'support.amazonaws.com' }), { path: '/aws-service-role/support.amazonaws.com/' })
      .role('OrganizationAccountAccessRole', trust({ AWS: 'arn:aws:iam::444455556666:root' }))
      .role('OrganizationAccountAccessRoleX', trust({ AWS: 'arn:aws:iam::444455556666:root' }))
      .role('auditor', trust({ AWS: `arn:aws:iam::${ACCOUNT}:role/OrganizationAccountAccessRole` }))
      .run({ 'aws-access-role-excludes': 'OrganizationAccountAccessRole' });
    expect([...byId.keys()]).toEqual(['role:AWSServiceRoleForSupport', 'role:OrganizationAccountAccessRoleX', 'role:auditor']);
    // A trust policy naming an excluded role points at no access provider, and says why.
    expect(byId.get('role:auditor')?.who.accessProviders).toEqual([]);
    expect(byId.get('role:auditor')?.reasons).toContain('trust policy names role OrganizationAccountAccessRole, which aws-access-role-excludes leaves out of the import');
    expect(byId.get('role:AWSServiceRoleForSupport')?.locks?.map((l) => l.lock)).toEqual(['who', 'what', 'name', 'delete']);
  });
});

describe('access import: managed policies', () => {
  const salesRead = doc(statement('Allow', ['s3:GetObject', 's3:ListBucket'], ['arn:aws:s3:::acme-sales', 'arn:aws:s3:::acme-sales/*']));

  it('who = attached users, groups and roles; unattached policies are left out', async () => {
    const { byId } = await base()
      .managedPolicy('SalesRead', salesRead)
      .managedPolicy('Unused', salesRead)
      .user('alice', { attached: ['SalesRead'] })
      .group('analysts', { attached: ['SalesRead'] })
      .role('etl', trust({ Service: 'glue.amazonaws.com' }), { attached: ['SalesRead'] })
      .run();
    expect(byId.get(`policy:${policyArn('SalesRead')}`)).toEqual({
      externalId: `policy:${policyArn('SalesRead')}`,
      name: 'SalesRead',
      type: 'aws_policy',
      action: 'grant',
      who: { users: ['alice'], groups: ['analysts'], accessProviders: ['role:etl'] },
      what: [{ dataObject: { fullName: sales, type: 'bucket' }, permissions: ['s3:GetObject', 's3:ListBucket'] }],
      incomplete: false,
      reasons: [],
      actualName: 'SalesRead',
    });
    expect(byId.has(`policy:${policyArn('Unused')}`)).toBe(false);
    expect(byId.get('role:etl')?.description).toBe('Managed policies attached (their own access providers): SalesRead.');
  });

  it('the default version is read, not the others', async () => {
    // The builder's v1 (first in the list) allows s3:* on *; only v2 (the default) counts.
    const { byId } = await base().managedPolicy('SalesRead', salesRead).user('alice', { attached: ['SalesRead'] }).run();
    expect(byId.get(`policy:${policyArn('SalesRead')}`)?.what).toEqual([{ dataObject: { fullName: sales, type: 'bucket' }, permissions: ['s3:GetObject', 's3:ListBucket'] }]);
  });

  it('an attached policy listed without a name is a warning and marks the stream incomplete, never a silent drop', async () => {
    const s = base().managedPolicy('SalesRead', salesRead).user('alice', { attached: ['SalesRead'] });
    delete s.account.iam.policies[0]!.PolicyName;
    const { sink, providers } = await s.run();
    expect(providers.filter((p) => p.type === 'aws_policy')).toEqual([]);
    expect(sink.incomplete).toBe(true);
    expect(sink.warnings).toEqual([
      `managed policy ${policyArn('SalesRead')} is attached but was listed without a name; it was left out of the access import`,
      `managed policy ${policyArn('SalesRead')} could not be imported`,
    ]);
  });

  it('AWS-managed policies are locked for what, name and delete', async () => {
    const { byId } = await base()
      .managedPolicy('AmazonS3ReadOnlyAccess', doc(statement('Allow', ['s3:Get*', 's3:List*', 's3-object-lambda:Get*', 's3-object-lambda:List*'], '*')), { awsManaged: true })
      .group('analysts', { attached: ['AmazonS3ReadOnlyAccess'] })
      .run();
    const p = byId.get(`policy:${awsPolicyArn('AmazonS3ReadOnlyAccess')}`);
    const reason = 'AWS-managed policy: AWS owns its document and name, and it cannot be deleted';
    expect(p?.locks).toEqual([
      { lock: 'what', reason },
      { lock: 'name', reason },
      { lock: 'delete', reason },
    ]);
    expect(p?.what.map((w) => w.dataObject)).toEqual([{ fullName: ACCOUNT, type: 'datasource' }]);
    expect(p?.what[0]?.permissions).toContain('s3:ListAllMyBuckets');
    expect(p?.what[0]?.permissions).not.toContain('s3:PutObject');
    expect(p?.description).toMatch(/^Its policies also name \d+ actions of services other than S3/);
  });

  it.each([
    [{ 'aws-access-skip-managed-policies': true }, []],
    [{ 'aws-access-skip-aws-managed-policies': 'true' }, ['SalesRead']],
    [{ 'aws-access-managed-policy-excludes': 'Amazon.+,Sales' }, ['SalesRead']],
    [{ 'aws-access-managed-policy-excludes': 'Amazon.+,Sales.*' }, []],
  ])('parameters %o keep %o', async (params, kept) => {
    const { providers } = await base()
      .managedPolicy('SalesRead', salesRead)
      .managedPolicy('AmazonS3ReadOnlyAccess', doc(statement('Allow', 's3:Get*', '*')), { awsManaged: true })
      .group('analysts', { attached: ['SalesRead', 'AmazonS3ReadOnlyAccess'] })
      .run(params);
    expect(providers.filter((p) => p.type === 'aws_policy').map((p) => p.name)).toEqual(kept);
  });

  it('an aws-access-managed-policy-excludes entry that matches no managed policy is a warning naming it', async () => {
    const { sink } = await base()
      .managedPolicy('SalesRead', salesRead)
      .managedPolicy('AmazonS3ReadOnlyAccess', doc(statement('Allow', 's3:Get*', '*')), { awsManaged: true })
      .group('analysts', { attached: ['SalesRead', 'AmazonS3ReadOnlyAccess'] })
      .run({ 'aws-access-managed-policy-excludes': 'Amazon.+,Salez.*' });
    expect(sink.warnings).toContain('aws-access-managed-policy-excludes: "Salez.*" matched no managed policy name of this run; check the expression (it must match the whole name)');
  });

  it('NotAction, a condition and a boundary on an attached user, each with its reason', async () => {
    const { byId } = await base()
      .managedPolicy(
        'DataEngineering',
        doc(
          { Effect: 'Allow', NotAction: ['iam:*', 's3:Delete*'], Resource: ['arn:aws:s3:::acme-sales/warehouse/*'] },
          statement('Allow', 's3:PutObject', 'arn:aws:s3:::acme-hr/inbox/*', { Condition: { StringEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } } }),
        ),
      )
      .user('carol', { attached: ['DataEngineering'], boundary: 'DeveloperBoundary' })
      .run();
    const p = byId.get(`policy:${policyArn('DataEngineering')}`);
    expect(p?.what.map((w) => `${w.dataObject.fullName}${w.conditional ? ' (conditional)' : ''}`)).toEqual([`${sales}/warehouse`, `${hr}/inbox (conditional)`]);
    expect(p?.what[0]?.permissions).toContain('s3:PutObject');
    expect(p?.what[0]?.permissions).not.toContain('s3:DeleteObject');
    expect(p?.what[1]?.permissions).toEqual(['s3:PutObject']);
    expect(p?.reasons).toEqual([
      `permission boundary ${policyArn('DeveloperBoundary')} limits user carol, but its document is not in the IAM snapshot or cannot be read; effective access may be smaller`,
      'statement 2 has condition StringEquals s3:x-amz-server-side-encryption; its permissions are marked conditional',
    ]);
    expect(p?.incomplete).toBe(true);
  });

  it('an unknown bucket and a wildcard over buckets are kept as reasons', async () => {
    const { byId } = await base()
      .managedPolicy('Mixed', doc(statement('Allow', 's3:GetObject', ['arn:aws:s3:::acme-archive/*', 'arn:aws:s3:::acme-*/*'])))
      .user('alice', { attached: ['Mixed'] })
      .run();
    const p = byId.get(`policy:${policyArn('Mixed')}`);
    expect(p?.what.map((w) => w.dataObject.fullName)).toEqual([sales, hr].sort());
    expect(p?.reasons).toEqual([
      "statement 1: arn:aws:s3:::acme-archive/* names bucket acme-archive, which is not in this account's bucket list; its permissions are not shown",
      'statement 1: arn:aws:s3:::acme-*/* matches 2 buckets: acme-hr, acme-sales; it also covers buckets with matching names created later',
    ]);
    expect(p?.incomplete).toBe(true);
  });

  it('an unreadable document is a reason, not a crash', async () => {
    const { byId } = await base().managedPolicy('Broken', '{"Statement": [').user('alice', { attached: ['Broken'] }).run();
    const p = byId.get(`policy:${policyArn('Broken')}`);
    expect(p?.what).toEqual([]);
    expect(p?.incomplete).toBe(true);
    expect(p?.reasons[0]).toMatch(/^the default policy version could not be read: policy document is not valid JSON/);
  });
});

describe('access import: inline policies of users and groups', () => {
  const scenarioWithInline = () =>
    base()
      .user('alice', { inline: { 'read-sales': doc(statement('Allow', 's3:GetObject', 'arn:aws:s3:::acme-sales/*')) }, boundary: 'DeveloperBoundary' })
      .user('bob', { groups: ['finance'] })
      .group('finance', { inline: { payroll: doc(statement('Allow', ['s3:GetObject', 's3:PutObject'], 'arn:aws:s3:::acme-hr/payroll/*')) } });

  it('users left out by aws-user-excludes are reasons, not names the identity store lacks', async () => {
    const { byId } = await scenario()
      .managedPolicy('SalesRead', doc(statement('Allow', 's3:GetObject', 'arn:aws:s3:::acme-sales/*')))
      .user('svc-etl', { attached: ['SalesRead'], inline: { own: doc(statement('Allow', 's3:GetObject', 'arn:aws:s3:::acme-hr/*')) } })
      .user('alice', { attached: ['SalesRead'] })
      .role('etl', trust({ AWS: user('svc-etl') }))
      .run({ 'aws-user-excludes': 'svc-.+' });
    const excluded = 'svc-etl';
    expect(byId.get('role:etl')?.who.users).toEqual([]);
    expect(byId.get('role:etl')?.reasons).toContain(`trust policy names user ${excluded}, which aws-user-excludes leaves out of the identity sync`);
    expect(byId.get(`policy:${policyArn('SalesRead')}`)?.who.users).toEqual(['alice']);
    expect(byId.get(`policy:${policyArn('SalesRead')}`)?.reasons).toContain(`attached to user ${excluded}, which aws-user-excludes leaves out of the identity sync`);
    expect(byId.get(`inline:user/${excluded}`)).toMatchObject({ who: { users: [], groups: [], accessProviders: [] }, incomplete: true });
    expect(byId.get(`inline:user/${excluded}`)?.reasons).toContain(`user ${excluded} is left out of the identity sync by aws-user-excludes`);
  });

  it('one provider per user or group, with its boundary reasons', async () => {
    const { byId } = await scenarioWithInline().run();
    expect(byId.get('inline:user/alice')).toEqual({
      externalId: 'inline:user/alice',
      name: 'alice (user inline policies)',
      type: 'aws_inline_policy',
      action: 'grant',
      description: 'Inline policies of IAM user alice: read-sales.',
      who: { users: ['alice'], groups: [], accessProviders: [] },
      what: [{ dataObject: { fullName: sales, type: 'bucket' }, permissions: ['s3:GetObject'] }],
      incomplete: true,
      reasons: [`permission boundary ${policyArn('DeveloperBoundary')} limits user alice, but its document is not in the IAM snapshot or cannot be read; effective access may be smaller`],
      actualName: 'user/alice',
    });
    expect(byId.get('inline:group/finance')).toMatchObject({
      type: 'aws_inline_policy',
      who: { users: [], groups: ['finance'], accessProviders: [] },
      what: [{ dataObject: { fullName: `${hr}/payroll`, type: 'folder' }, permissions: ['s3:GetObject', 's3:PutObject'] }],
      incomplete: false,
    });
  });

  it.each([
    [{ 'aws-access-skip-user-inline-policies': true }, ['inline:group/finance']],
    [{ 'aws-access-skip-group-inline-policies': true }, ['inline:user/alice']],
    [{ 'aws-access-skip-iam': true }, []],
  ])('parameters %o keep %o', async (params, kept) => {
    const { providers } = await scenarioWithInline().run(params);
    expect(providers.map((p) => p.externalId)).toEqual(kept);
  });
});

describe('access import: S3 access points and bucket policies', () => {
  it('an access point: who from its principals, what mapped to its bucket and folders', async () => {
    const apArn = `arn:aws:s3:eu-central-1:${ACCOUNT}:accesspoint/reports`;
    const { byId } = await base()
      .user('alice')
      .role('etl', trust({ Service: 'glue.amazonaws.com' }))
      .accessPoint(
        'reports',
        'acme-sales',
        'eu-central-1',
        doc(
          statement('Allow', 's3:ListBucket', apArn, { Principal: { AWS: [user('alice'), role('etl')] } }),
          statement('Allow', 's3:GetObject', `${apArn}/object/reports/*`, { Principal: { AWS: [user('alice'), role('etl')] } }),
        ),
      )
      .accessPoint('open', 'acme-hr', 'us-east-1')
      .run();
    expect(byId.get(`accesspoint:${apArn}`)).toEqual({
      externalId: `accesspoint:${apArn}`,
      name: 'reports',
      type: 'aws_access_point',
      action: 'grant',
      description: 'S3 access point of bucket acme-sales in eu-central-1.',
      who: { users: ['alice'], groups: [], accessProviders: ['role:etl'] },
      what: [
        { dataObject: { fullName: sales, type: 'bucket' }, permissions: ['s3:ListBucket'] },
        { dataObject: { fullName: `${sales}/reports`, type: 'folder' }, permissions: ['s3:GetObject'] },
      ],
      incomplete: false,
      reasons: [],
      actualName: 'reports',
    });
    expect(byId.get(`accesspoint:arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/open`)?.reasons).toEqual([
      'the access point has no policy: who may use it depends on identity policies that name it',
    ]);
  });

  it('aws-access-skip-s3-access-points skips ListAccessPoints altogether', async () => {
    const { providers, ctx } = await base().accessPoint('open', 'acme-hr', 'us-east-1').run({ 'aws-access-skip-s3-access-points': true });
    expect(providers).toEqual([]);
    expect(ctx.calls.get('S3Control.ListAccessPoints')).toBe(0);
  });

  it('a bucket policy with public read on public/ and a conditional deny', async () => {
    const { byId } = await scenario()
      .user('alice')
      .bucket(
        'acme-sales',
        'eu-central-1',
        doc(
          statement('Allow', 's3:GetObject', 'arn:aws:s3:::acme-sales/public/*', { Sid: 'PublicRead', Principal: '*' }),
          statement('Allow', ['s3:GetObject', 's3:PutObject'], 'arn:aws:s3:::acme-sales/uploads/*', { Principal: { AWS: user('alice') } }),
          statement('Deny', 's3:PutObject', 'arn:aws:s3:::acme-sales/*', { Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ),
      )
      .bucket('acme-hr', 'us-east-1')
      .run();
    expect(byId.get('bucketpolicy:acme-sales')).toEqual({
      externalId: 'bucketpolicy:acme-sales',
      name: 'acme-sales bucket policy',
      type: 'aws_bucket_policy',
      action: 'grant',
      description: 'The bucket policy of S3 bucket acme-sales (eu-central-1).',
      who: { users: ['alice'], groups: [], accessProviders: [] },
      what: [
        { dataObject: { fullName: `${sales}/public`, type: 'folder' }, permissions: ['s3:GetObject'] },
        { dataObject: { fullName: `${sales}/uploads`, type: 'folder' }, permissions: ['s3:GetObject', 's3:PutObject'] },
      ],
      incomplete: true,
      reasons: [
        'bucket policy grants public access (Principal *)',
        'bucket policy gives different principals different permissions; this access provider shows the union of its principals and permissions',
      ],
      notInternalizable: true,
      actualName: 'acme-sales',
    });
    expect(byId.get('bucketpolicy:acme-sales#deny')).toMatchObject({
      action: 'deny',
      who: noWho,
      what: [{ dataObject: { fullName: sales, type: 'bucket' }, permissions: ['s3:PutObject'], conditional: true }],
      reasons: ['bucket policy denies every principal (Principal *)', 'bucket policy statement 3 has condition Bool aws:SecureTransport; its permissions are marked conditional'],
      notInternalizable: true,
    });
    expect(byId.has('bucketpolicy:acme-hr')).toBe(false);
  });

  it('Action "*" in a bucket policy is every S3 permission, and no note about other services', async () => {
    const { byId } = await scenario()
      .user('alice')
      .bucket('acme-sales', 'eu-central-1', doc(statement('Allow', '*', 'arn:aws:s3:::acme-sales/*', { Principal: { AWS: user('alice') } })))
      .run();
    const provider = byId.get('bucketpolicy:acme-sales');
    expect(provider?.description).toBe('The bucket policy of S3 bucket acme-sales (eu-central-1).');
    expect(provider?.what[0]?.permissions).toContain('s3:GetObject');
    expect(provider?.what[0]?.permissions).toContain('s3:PutObject');
  });

  it('a bucket policy that cannot be read marks the stream incomplete and names the bucket', async () => {
    const { sink, providers } = await base().denied('S3.GetBucketPolicy:acme-hr').run();
    expect(providers).toEqual([]);
    expect(sink.incomplete).toBe(true);
    expect(sink.warnings).toEqual([
      'the policy of bucket acme-hr could not be read: AWS denied S3.GetBucketPolicy on acme-hr: the credentials need s3:GetBucketPolicy on acme-hr (AccessDenied: User is not authorized to perform: s3:GetBucketPolicy on resource: acme-hr)',
      'the policy of bucket acme-hr: missing (access-denied)',
    ]);
  });

  it('buckets left out by aws-s3-exclude-buckets / aws-s3-include-buckets get no GetBucketPolicy, and their policies are not imported', async () => {
    const hrPolicy = doc(statement('Allow', 's3:GetObject', 'arn:aws:s3:::acme-hr/*', { Principal: { AWS: user('alice') } }));
    const s = scenario().bucket('acme-sales', 'eu-central-1').bucket('acme-hr', 'us-east-1', hrPolicy).bucket('tmp-1', 'eu-central-1', hrPolicy).user('alice').denied('S3.GetBucketPolicy:acme-hr');
    const { ctx, sink, byId } = await s.run({ 'aws-s3-exclude-buckets': 'acme-hr', 'aws-s3-include-buckets': 'acme-*' });
    expect(ctx.calls.get('S3.GetBucketPolicy')).toBe(1);
    expect([...byId.keys()]).toEqual([]);
    expect(sink.incomplete).toBe(false);
    expect(sink.warnings).toEqual([]);
  });

  it('access points of a region that cannot be read: a warning naming the region, the stream incomplete', async () => {
    const { sink, byId } = await base()
      .accessPoint('open', 'acme-sales', 'eu-central-1')
      .accessPoint('far', 'acme-sales', 'us-west-2')
      .unreadableRegions('us-west-2')
      .run({ 'aws-regions': 'eu-central-1,us-west-2' });
    expect([...byId.keys()]).toEqual([`accesspoint:arn:aws:s3:eu-central-1:${ACCOUNT}:accesspoint/open`]);
    expect(sink.incomplete).toBe(true);
    expect(sink.warnings).toEqual([
      'the access points of region us-west-2 could not be read: Region us-west-2 could not be read: region us-west-2 did not accept the credentials, which work in eu-central-1, so S3Control.ListAccessPoints failed (UnrecognizedClientException: The security token included in the request is invalid (region us-west-2 is not enabled))',
      'the access points of region us-west-2: missing (region-unreadable)',
    ]);
  });

  it('an access point listed again under another region is imported once, with one warning', async () => {
    const { sink, providers } = await base().accessPoint('open', 'acme-sales', 'eu-central-1').accessPoint('logs', 'acme-sales', 'eu-central-1').s3ControlIgnoresRegion().run({ 'aws-regions': 'eu-central-1,us-east-1' });
    const arn = (name: string) => `arn:aws:s3:eu-central-1:${ACCOUNT}:accesspoint/${name}`;
    expect(providers.map((p) => p.externalId)).toEqual([`accesspoint:${arn('logs')}`, `accesspoint:${arn('open')}`]);
    expect(sink.warnings).toEqual([`S3 Control listed 2 access point(s) more than once; each is imported once: ${arn('logs')} (again under us-east-1), ${arn('open')} (again under us-east-1)`]);
    expect(sink.incomplete).toBe(false);
  });

  it('a Deny naming only a misspelled or non-S3 action writes no empty deny provider', async () => {
    const { byId } = await base()
      .role('etl', trust({ Service: 'glue.amazonaws.com' }), { inline: { p: doc(statement('Allow', 's3:GetObject', 'arn:aws:s3:::acme-sales/*'), statement('Deny', 's3:GetObjct', '*'), statement('Deny', 'ec2:RunInstances', '*')) } })
      .run();
    expect([...byId.keys()]).toEqual(['role:etl']);
  });
});

describe('access import: without GetAccountAuthorizationDetails', () => {
  it('warns, marks the stream incomplete naming iam:GetAccountAuthorizationDetails, and still reads access points and bucket policies', async () => {
    const { sink, providers } = await base()
      .bucket('acme-logs', 'eu-central-1', doc(statement('Allow', 's3:PutObject', 'arn:aws:s3:::acme-logs/*', { Principal: { Service: 'logging.s3.amazonaws.com' } })))
      .accessPoint('open', 'acme-hr', 'us-east-1')
      .role('etl', trust({ Service: 'glue.amazonaws.com' }))
      .user('alice')
      .denied('IAM.GetAccountAuthorizationDetails')
      .run({ 'aws-regions': 'eu-central-1,us-east-1' });
    expect(sink.incomplete).toBe(true);
    expect(sink.warnings.some((w) => w.includes('iam:GetAccountAuthorizationDetails'))).toBe(true);
    expect(providers.map((p) => p.type)).toEqual(['aws_access_point', 'aws_bucket_policy']);
    expect(providers[1]?.reasons).toEqual(['bucket policy grants access to service principal logging.s3.amazonaws.com']);
  });
});
