import { CreatePolicyCommand } from '@aws-sdk/client-iam';
import { AttachCustomerManagedPolicyReferenceToPermissionSetCommand, CreatePermissionSetCommand, DescribePermissionSetProvisioningStatusCommand, type SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolvePlaceholders } from '../../src/exporter/apply.js';
import { validateExportParameters } from '../../src/exporter/index.js';
import { idTag } from '../../src/exporter/naming.js';
import { ACCOUNT, INSTANCE, MockIdentityCenter, RAITO_TAG, runIcExport, setArn } from './identity-center-scenario.js';
import { MockAccount, obj, policyArn, provider } from './scenario.js';

let account: MockAccount;
let ic: MockIdentityCenter;
beforeEach(() => {
  account = new MockAccount();
  ic = new MockIdentityCenter();
});
afterEach(() => {
  account.restore();
  ic.restore();
});

const readSales = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::sales/*' }] });
const NEW = setArn(100);
const at = { InstanceArn: INSTANCE };
const assignment = (arn: string, type: 'USER' | 'GROUP', id: string) => ({ ...at, PermissionSetArn: arn, TargetId: ACCOUNT, TargetType: 'AWS_ACCOUNT', PrincipalType: type, PrincipalId: id });
const provision = (arn: string) => ({ operation: 'ProvisionPermissionSet', input: { ...at, PermissionSetArn: arn, TargetType: 'AWS_ACCOUNT', TargetId: ACCOUNT } });
const salesReaders = (fields: Partial<Parameters<typeof provider>[0]> = {}) =>
  provider({ id: 'ps1', name: 'Sales Readers', type: 'aws_sso_role', who: { users: ['alice'], groups: ['analysts'] }, what: [{ dataObject: obj('sales'), permissions: ['s3:GetObject'] }], ...fields });

describe('exporting a permission set (aws_sso_role)', () => {
  it('creates it tagged creator=RAITO with the owner tags, its inline policy, policies and assignments, provisions it, and links the ARN from the answer', async () => {
    ic.user('alice').group('analysts');
    account.policy('SalesExtra', { Version: '2012-10-17', Statement: [] });
    const { feedback, result } = await runIcExport(
      [
        salesReaders({
          description: 'Read the sales bucket',
          owners: ['owner@example.com', 'Olivia Owner', 'group:data-team'],
          who: { users: ['alice'], groups: ['analysts'], inheritFrom: [`policy:${policyArn('SalesExtra')}`, 'policy:arn:aws:iam::aws:policy/ReadOnlyAccess'] },
        }),
      ],
      {
        params: {
          'aws-permissionset-owner-email-tag': 'owner-email',
          'aws-permissionset-owner-name-tag': 'owner-name',
          'aws-permissionset-owner-group-tag': 'owner-group',
          'aws-permissionset-account-id-tag': 'account',
          'aws-permissionset-owner-custom-tags': 'cost-center=data, team=governance',
        },
      },
    );
    expect(ic.mutatingCalls()).toEqual([
      {
        operation: 'CreatePermissionSet',
        input: {
          ...at,
          Name: 'Sales_Readers',
          Description: 'Read the sales bucket',
          Tags: [
            RAITO_TAG,
            { Key: 'owner-email', Value: 'owner@example.com' },
            { Key: 'owner-name', Value: 'Olivia Owner' },
            { Key: 'owner-group', Value: 'data-team' },
            { Key: 'account', Value: ACCOUNT },
            { Key: 'cost-center', Value: 'data' },
            { Key: 'team', Value: 'governance' },
          ],
        },
      },
      // Every later call names the ARN that CreatePermissionSet answered.
      { operation: 'PutInlinePolicyToPermissionSet', input: { ...at, PermissionSetArn: NEW, InlinePolicy: readSales } },
      { operation: 'AttachManagedPolicyToPermissionSet', input: { ...at, PermissionSetArn: NEW, ManagedPolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' } },
      { operation: 'AttachCustomerManagedPolicyReferenceToPermissionSet', input: { ...at, PermissionSetArn: NEW, CustomerManagedPolicyReference: { Name: 'SalesExtra', Path: '/' } } },
      { operation: 'CreateAccountAssignment', input: assignment(NEW, 'USER', 'u-alice') },
      { operation: 'CreateAccountAssignment', input: assignment(NEW, 'GROUP', 'g-analysts') },
      provision(NEW),
    ]);
    expect(feedback).toEqual([{ accessProvider: 'ps1', actualName: 'Sales_Readers', externalId: `permissionset:${NEW}`, type: 'aws_sso_role', errors: [], warnings: [] }]);
    expect(result?.report.counts).toEqual({ aws_sso_role: { created: 1 } });
    // Nothing went to the account's own IAM.
    expect(account.mutatingCalls()).toEqual([]);
  });

  it('generates a description when the provider has none, and leaves out owner tags whose value is unknown', async () => {
    ic.user('alice');
    await runIcExport([salesReaders({ who: { users: ['alice'] } })], { params: { 'aws-permissionset-owner-email-tag': 'owner-email', 'aws-permissionset-owner-group-tag': 'owner-group' } });
    expect(ic.mutatingCalls()[0]).toEqual({
      operation: 'CreatePermissionSet',
      input: { ...at, Name: 'Sales_Readers', Description: 'Access provider Sales Readers of the access governance cloud, exported by the AWS access connector', Tags: [RAITO_TAG] },
    });
  });

  it('makes zero mutating calls on a second run, and reads no tags when nothing changes', async () => {
    ic.user('alice').group('analysts');
    const first = await runIcExport([salesReaders()]);
    expect(first.result?.report.counts).toEqual({ aws_sso_role: { created: 1 } });
    ic.sso.resetHistory();
    ic.store.resetHistory();
    const { result, feedback } = await runIcExport([salesReaders({ externalId: `permissionset:${NEW}`, actualName: 'Sales_Readers' })]);
    expect(ic.mutatingCalls()).toEqual([]);
    expect(ic.count('ListTagsForResource')).toBe(0);
    expect(result?.report.counts).toEqual({ aws_sso_role: { unchanged: 1 } });
    expect(feedback[0]).toMatchObject({ actualName: 'Sales_Readers', externalId: `permissionset:${NEW}`, errors: [], warnings: [] });
  });

  it('finds the permission set by the ARN of its externalId even when the cloud renamed the provider', async () => {
    ic.user('alice');
    ic.set({ name: 'Old-Name', tags: [RAITO_TAG], inline: readSales, assignments: [{ account: ACCOUNT, type: 'USER', id: 'u-alice' }], provisionedTo: [ACCOUNT] });
    const { feedback } = await runIcExport([salesReaders({ name: 'New Name', externalId: `permissionset:${setArn(1)}`, who: { users: ['alice'] } })]);
    expect(ic.mutatingCalls()).toEqual([]);
    expect(feedback[0]).toMatchObject({ actualName: 'Old-Name', externalId: `permissionset:${setArn(1)}`, errors: [] });
  });

  it('updates only what differs: the inline policy, policies and assignments, then provisions again', async () => {
    ic.user('alice').user('bob');
    ic.set({
      name: 'Sales_Readers',
      description: 'Read the sales bucket',
      tags: [RAITO_TAG],
      inline: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::sales/*' }] }),
      managed: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
      assignments: [
        { account: ACCOUNT, type: 'USER', id: 'u-bob' },
        // Assignments in other accounts are not this export's business.
        { account: '999988887777', type: 'USER', id: 'u-carol' },
      ],
      provisionedTo: [ACCOUNT],
    });
    const { result, feedback } = await runIcExport([salesReaders({ description: 'Read the sales bucket', who: { users: ['alice'] } })]);
    const arn = setArn(1);
    expect(ic.mutatingCalls()).toEqual([
      { operation: 'PutInlinePolicyToPermissionSet', input: { ...at, PermissionSetArn: arn, InlinePolicy: readSales } },
      { operation: 'DetachManagedPolicyFromPermissionSet', input: { ...at, PermissionSetArn: arn, ManagedPolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' } },
      { operation: 'DeleteAccountAssignment', input: assignment(arn, 'USER', 'u-bob') },
      { operation: 'CreateAccountAssignment', input: assignment(arn, 'USER', 'u-alice') },
      provision(arn),
    ]);
    expect(result?.report.counts).toEqual({ aws_sso_role: { updated: 1 } });
    expect(feedback[0]?.errors).toEqual([]);
    expect(ic.sets[0]?.assignments).toEqual([
      { account: '999988887777', type: 'USER', id: 'u-carol' },
      { account: ACCOUNT, type: 'USER', id: 'u-alice' },
    ]);
  });

  it('updates the description the provider asks, removes the inline policy when what is empty, and detaches references no longer asked', async () => {
    ic.user('alice');
    account.policy('Kept', { Version: '2012-10-17', Statement: [] });
    ic.set({
      name: 'Sales_Readers',
      description: 'old words',
      tags: [RAITO_TAG],
      inline: readSales,
      customer: [
        { Name: 'Kept', Path: '/' },
        { Name: 'Gone', Path: '/team/' },
      ],
      assignments: [{ account: ACCOUNT, type: 'USER', id: 'u-alice' }],
      provisionedTo: [ACCOUNT],
    });
    const arn = setArn(1);
    await runIcExport([salesReaders({ description: 'new words', what: [], who: { users: ['alice'], inheritFrom: [`policy:${policyArn('Kept')}`] } })]);
    expect(ic.mutatingCalls()).toEqual([
      { operation: 'UpdatePermissionSet', input: { ...at, PermissionSetArn: arn, Description: 'new words' } },
      { operation: 'DeleteInlinePolicyFromPermissionSet', input: { ...at, PermissionSetArn: arn } },
      { operation: 'DetachCustomerManagedPolicyReferenceFromPermissionSet', input: { ...at, PermissionSetArn: arn, CustomerManagedPolicyReference: { Name: 'Gone', Path: '/team/' } } },
      provision(arn),
    ]);
  });

  it('keeps the description of an existing set when the provider has none (never a generated one over it)', async () => {
    ic.user('alice');
    ic.set({ name: 'Sales_Readers', description: 'written by hand', tags: [RAITO_TAG], inline: readSales, assignments: [{ account: ACCOUNT, type: 'USER', id: 'u-alice' }], provisionedTo: [ACCOUNT] });
    await runIcExport([salesReaders({ who: { users: ['alice'] } })]);
    expect(ic.mutatingCalls()).toEqual([]);
  });

  it('with aws-export-manage-existing, updates an untagged set with a warning (never deletes it)', async () => {
    ic.user('alice');
    ic.set({ name: 'Sales_Readers', inline: readSales, assignments: [], provisionedTo: [] });
    const { feedback } = await runIcExport([salesReaders({ who: { users: ['alice'] } })], { params: { 'aws-export-manage-existing': true } });
    expect(ic.mutatingCalls().map((c) => c.operation)).toEqual(['CreateAccountAssignment', 'ProvisionPermissionSet']);
    expect(feedback[0]?.warnings).toEqual(['permission set Sales_Readers was not created by the connector (no tag creator=RAITO); it was updated because aws-export-manage-existing is true']);
  });

  it('creates a set whose customer managed policy is exported in the same run after that policy', async () => {
    ic.user('alice');
    account.user('bob');
    await runIcExport([
      salesReaders({ who: { users: ['alice'], inheritFrom: ['ID:pol'] } }),
      provider({ id: 'pol', name: 'Team Policy', type: 'aws_policy', who: { users: ['bob'] }, what: [{ dataObject: obj('sales'), permissions: ['s3:GetObject'] }] }),
    ]);
    const iamCreate = account.iam.commandCalls(CreatePolicyCommand)[0]!;
    const attach = ic.sso.commandCalls(AttachCustomerManagedPolicyReferenceToPermissionSetCommand)[0]!;
    expect(attach.args[0].input.CustomerManagedPolicyReference).toEqual({ Name: 'Team_Policy', Path: '/' });
    // The policy exists before the permission set references it.
    expect(iamCreate.calledBefore(attach)).toBe(true);
  });

  it('treats documents that mean the same as equal (statement order, single values, Effect case)', async () => {
    ic.user('alice');
    const same = { Version: '2012-10-17', Statement: { Effect: 'allow', Action: ['s3:getobject'], Resource: ['arn:aws:s3:::sales/*'] } };
    ic.set({ name: 'Sales_Readers', tags: [RAITO_TAG], inline: JSON.stringify(same), assignments: [{ account: ACCOUNT, type: 'USER', id: 'u-alice' }], provisionedTo: [ACCOUNT] });
    const { result } = await runIcExport([salesReaders({ who: { users: ['alice'] } })]);
    expect(ic.mutatingCalls()).toEqual([]);
    expect(result?.report.counts).toEqual({ aws_sso_role: { unchanged: 1 } });
  });

  it('warns about users and groups the identity store does not know and leaves them out', async () => {
    ic.user('alice');
    const { feedback } = await runIcExport([salesReaders({ who: { users: ['alice', 'ghost'], groups: ['nobody'] } })]);
    expect(feedback[0]?.warnings).toEqual([
      'user ghost does not exist in the IAM Identity Center identity store; left out of who',
      'group nobody does not exist in the IAM Identity Center identity store; left out of who',
    ]);
    expect(ic.mutatingCalls().filter((c) => c.operation === 'CreateAccountAssignment').map((c) => c.input.PrincipalId)).toEqual(['u-alice']);
  });
});

describe('the creator=RAITO guard of permission sets', () => {
  it('never changes a permission set without the tag: an error, and nothing sent', async () => {
    ic.user('alice');
    ic.set({ name: 'Sales_Readers', tags: [{ Key: 'team', Value: 'it' }], inline: readSales, provisionedTo: [ACCOUNT] });
    const { feedback, result } = await runIcExport([salesReaders({ who: { users: ['alice'] } })]);
    expect(ic.mutatingCalls()).toEqual([]);
    expect(feedback[0]?.errors).toEqual([
      'permission set Sales_Readers was not created by the connector (no tag creator=RAITO): it is not changed, nothing was sent (set aws-export-manage-existing: true to let the export update resources the cloud has taken over)',
    ]);
    expect(result?.report.failed).toBe(1);
  });

  it('never deletes a permission set without the tag, even with aws-export-manage-existing', async () => {
    ic.set({ name: 'Admins', assignments: [{ account: ACCOUNT, type: 'USER', id: 'u-alice' }], provisionedTo: [ACCOUNT] });
    const { feedback } = await runIcExport([provider({ id: 'ps1', name: 'Admins', type: 'aws_sso_role', externalId: `permissionset:${setArn(1)}`, delete: true })], { params: { 'aws-export-manage-existing': true } });
    expect(ic.mutatingCalls()).toEqual([]);
    expect(feedback[0]?.errors).toEqual(['permission set Admins was not created by the connector (no tag creator=RAITO): it is never deleted, nothing was sent']);
  });

  it('does not touch a permission set the export of another account created (aws-permissionset-account-id-tag)', async () => {
    ic.user('alice');
    ic.set({ name: 'Sales_Readers', tags: [RAITO_TAG, { Key: 'account', Value: '999988887777' }], provisionedTo: [ACCOUNT] });
    const { feedback } = await runIcExport([salesReaders({ who: { users: ['alice'] } })], { params: { 'aws-permissionset-account-id-tag': 'account' } });
    expect(ic.mutatingCalls()).toEqual([]);
    expect(feedback[0]?.errors).toEqual([`permission set Sales_Readers was exported for account 999988887777 (tag account): the export of account ${ACCOUNT} does not update it, nothing was sent`]);
  });

  it('deletes a tagged permission set: its assignments here, provisioning, then the set', async () => {
    ic.set({ name: 'Sales_Readers', tags: [RAITO_TAG], assignments: [{ account: ACCOUNT, type: 'USER', id: 'u-alice' }], provisionedTo: [ACCOUNT] });
    const { feedback, result } = await runIcExport([provider({ id: 'ps1', name: 'Sales Readers', type: 'aws_sso_role', externalId: `permissionset:${setArn(1)}`, delete: true })]);
    const arn = setArn(1);
    expect(ic.mutatingCalls()).toEqual([
      { operation: 'DeleteAccountAssignment', input: assignment(arn, 'USER', 'u-alice') },
      provision(arn),
      { operation: 'DeletePermissionSet', input: { ...at, PermissionSetArn: arn } },
    ]);
    expect(ic.sets).toEqual([]);
    expect(result?.report.counts).toEqual({ aws_sso_role: { deleted: 1 } });
    expect(feedback[0]?.errors).toEqual([]);
  });

  it('keeps a tagged permission set that other accounts still use, removing only this account\'s assignments', async () => {
    ic.set({ name: 'Shared', tags: [RAITO_TAG], assignments: [{ account: ACCOUNT, type: 'USER', id: 'u-alice' }], provisionedTo: [ACCOUNT, '999988887777'] });
    const { feedback } = await runIcExport([provider({ id: 'ps1', name: 'Shared', type: 'aws_sso_role', actualName: 'Shared', delete: true })]);
    expect(ic.mutatingCalls().map((c) => c.operation)).toEqual(['DeleteAccountAssignment', 'ProvisionPermissionSet']);
    expect(ic.sets.map((s) => s.name)).toEqual(['Shared']);
    expect(feedback[0]?.warnings).toEqual(['permission set Shared is still provisioned to account 999988887777: only its assignments in this account are removed, the permission set itself is kept']);
  });
});

describe('the dummy user of permission sets', () => {
  it('assigns aws-permissionset-dummy-user when the permission set would have no assignment', async () => {
    ic.user('placeholder');
    const { feedback } = await runIcExport([salesReaders({ who: {} })], { params: { 'aws-permissionset-dummy-user': 'placeholder' } });
    expect(ic.mutatingCalls().slice(2)).toEqual([{ operation: 'CreateAccountAssignment', input: assignment(NEW, 'USER', 'u-placeholder') }, provision(NEW)]);
    expect(feedback[0]?.warnings).toEqual(['permission set Sales_Readers has no user or group in this account: the dummy user placeholder (aws-permissionset-dummy-user) is assigned so that AWS provisions it']);
  });

  it('does not assign the dummy user when who names someone, and removes it once someone is assigned', async () => {
    ic.user('placeholder').user('alice');
    ic.set({ name: 'Sales_Readers', tags: [RAITO_TAG], inline: readSales, assignments: [{ account: ACCOUNT, type: 'USER', id: 'u-placeholder' }], provisionedTo: [ACCOUNT] });
    await runIcExport([salesReaders({ who: { users: ['alice'] } })], { params: { 'aws-permissionset-dummy-user': 'placeholder' } });
    expect(ic.mutatingCalls().map((c) => `${c.operation} ${String(c.input.PrincipalId ?? '')}`.trim())).toEqual(['DeleteAccountAssignment u-placeholder', 'CreateAccountAssignment u-alice', 'ProvisionPermissionSet']);
  });

  it('without a dummy user, creates the set unassigned and unprovisioned, with a warning', async () => {
    const { feedback } = await runIcExport([salesReaders({ who: {} })]);
    expect(ic.mutatingCalls().map((c) => c.operation)).toEqual(['CreatePermissionSet', 'PutInlinePolicyToPermissionSet']);
    expect(feedback[0]?.warnings).toEqual(['permission set Sales_Readers has no user or group in this account, so AWS does not provision it here (set aws-permissionset-dummy-user to provision it anyway)']);
  });
});

describe('asynchronous Identity Center operations', () => {
  it('polls provisioning until SUCCEEDED (IN_PROGRESS three times)', async () => {
    ic.user('alice');
    ic.provisioning = { pending: 3, outcome: 'SUCCEEDED' };
    const { feedback, result } = await runIcExport([salesReaders({ who: { users: ['alice'] } })]);
    expect(ic.count('DescribePermissionSetProvisioningStatus')).toBe(3);
    expect(feedback[0]?.errors).toEqual([]);
    expect(result?.report.counts).toEqual({ aws_sso_role: { created: 1 } });
  });

  it('puts a FAILED provisioning with its reason into that provider\'s feedback, and not into another\'s', async () => {
    ic.user('alice');
    ic.provisioning = { pending: 1, outcome: 'FAILED', reason: 'Received a 404 status error: Not supported policy arn:aws:iam::aws:policy/Nope.' };
    ic.set({ name: 'Other', tags: [RAITO_TAG], inline: readSales, assignments: [{ account: ACCOUNT, type: 'USER', id: 'u-alice' }], provisionedTo: [ACCOUNT] });
    const { feedback, result } = await runIcExport([salesReaders({ who: { users: ['alice'] } }), provider({ id: 'ps2', name: 'Other', type: 'aws_sso_role', who: { users: ['alice'] }, what: [{ dataObject: obj('sales'), permissions: ['s3:GetObject'] }] })]);
    expect(feedback[0]?.errors).toEqual([
      'create of aws_sso_role Sales_Readers failed at SSOAdmin.ProvisionPermissionSet: ProvisionPermissionSet ended with status FAILED: Received a 404 status error: Not supported policy arn:aws:iam::aws:policy/Nope.',
    ]);
    expect(feedback[1]?.errors).toEqual([]);
    // The set exists although its provisioning failed: the feedback links it, so the next run updates it.
    expect(feedback[0]?.externalId).toBe(`permissionset:${setArn(101)}`);
    expect(result?.report.counts).toEqual({ aws_sso_role: { failed: 1, unchanged: 1 } });
  });

  it('polls assignment creation and deletion the same way; a FAILED assignment stops that provider', async () => {
    ic.user('alice').user('bob');
    ic.assigning = { pending: 2, outcome: 'SUCCEEDED' };
    ic.set({ name: 'Sales_Readers', tags: [RAITO_TAG], inline: readSales, assignments: [{ account: ACCOUNT, type: 'USER', id: 'u-bob' }], provisionedTo: [ACCOUNT] });
    await runIcExport([salesReaders({ who: { users: ['alice'] } })]);
    expect(ic.count('DescribeAccountAssignmentDeletionStatus')).toBe(2);
    expect(ic.count('DescribeAccountAssignmentCreationStatus')).toBe(2);

    ic.assigning = { pending: 0, outcome: 'FAILED', reason: 'the principal is not in the identity store' };
    ic.user('carol');
    const { feedback } = await runIcExport([salesReaders({ who: { users: ['alice', 'carol'] } })]);
    expect(feedback[0]?.errors).toEqual(['update of aws_sso_role Sales_Readers failed at SSOAdmin.CreateAccountAssignment: CreateAccountAssignment ended with status FAILED: the principal is not in the identity store']);
    // The provisioning after the failed assignment was not sent.
    expect(ic.mutatingCalls().slice(-1)[0]?.operation).toBe('CreateAccountAssignment');
  });

  it('names the status read and its permission when AWS denies it', async () => {
    ic.user('alice');
    ic.provisioning = { pending: 2, outcome: 'SUCCEEDED' };
    ic.sso.on(DescribePermissionSetProvisioningStatusCommand).rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }));
    const { feedback } = await runIcExport([salesReaders({ who: { users: ['alice'] } })]);
    expect(feedback[0]?.errors[0]).toMatch(/^create of aws_sso_role Sales_Readers failed at SSOAdmin\.ProvisionPermissionSet: AWS denied SSOAdmin\.DescribePermissionSetProvisioningStatus: the credentials need sso:DescribePermissionSetProvisioningStatus/);
  });

  it('reports an operation that stays IN_PROGRESS beyond the poll timeout', async () => {
    ic.user('alice');
    ic.provisioning = { pending: 1_000, outcome: 'SUCCEEDED' };
    const { feedback } = await runIcExport([salesReaders({ who: { users: ['alice'] } })], { overrides: { pollBaseDelayMs: 1, pollTimeoutMs: 5 } });
    expect(feedback[0]?.errors[0]).toMatch(/^create of aws_sso_role Sales_Readers failed at SSOAdmin\.ProvisionPermissionSet: ProvisionPermissionSet was still in progress after \d+ s \(DescribePermissionSetProvisioningStatus /);
  });

  it('never has more than 3 provisioning operations in flight', async () => {
    ic.user('alice');
    ic.provisioning = { pending: 3, outcome: 'SUCCEEDED' };
    const providers = Array.from({ length: 8 }, (_, i) => provider({ id: `ps${i}`, name: `Set ${i}`, type: 'aws_sso_role', who: { users: ['alice'] } }));
    const { result } = await runIcExport(providers, { params: { 'aws-concurrency': 16 } });
    expect(result?.report.counts).toEqual({ aws_sso_role: { created: 8 } });
    expect(ic.count('ProvisionPermissionSet')).toBe(8);
    expect(ic.maxInFlight).toBe(3);
  });
});

describe('permission set names', () => {
  it('fit in 32 characters with aws-sso-role-prefix/-suffix inside the limit and #account# replaced by the account id', async () => {
    ic.user('alice');
    const { feedback } = await runIcExport([salesReaders({ name: 'A very long access provider name for sales', who: { users: ['alice'] } })], { params: { 'aws-sso-role-prefix': 'R#account#-', 'aws-sso-role-suffix': '-ps' } });
    expect(feedback[0]?.actualName).toBe(`R${ACCOUNT}-A_very_long_acc-ps`);
    expect(feedback[0]?.actualName).toHaveLength(32);
    expect(ic.mutatingCalls()[0]?.input.Name).toBe(`R${ACCOUNT}-A_very_long_acc-ps`);
  });

  it('gives two providers that map to one name distinct names, and keeps the name of an existing set', async () => {
    ic.user('alice');
    ic.set({ name: 'Sales', tags: [RAITO_TAG], provisionedTo: [ACCOUNT] });
    const { feedback } = await runIcExport([
      provider({ id: 'a', name: 'Sales', type: 'aws_sso_role', externalId: `permissionset:${setArn(1)}`, who: { users: ['alice'] } }),
      provider({ id: 'b', name: 'sales', type: 'aws_sso_role', who: { users: ['alice'] } }),
    ]);
    expect(feedback.map((f) => f.actualName)).toEqual(['Sales', `sales-${idTag('b')}`]);
  });

  it('checks the affixes: characters, #account# counted as 12 digits, room left for the name', () => {
    expect(validateExportParameters({ 'aws-sso-role-prefix': 'a b' })).toEqual([{ parameter: 'aws-sso-role-prefix', message: '"a b" may only hold letters, digits, #account# and + = , . @ _ -' }]);
    expect(validateExportParameters({ 'aws-sso-role-prefix': '#account#-', 'aws-sso-role-suffix': '-ps' })).toEqual([]);
    expect(validateExportParameters({ 'aws-sso-role-prefix': '#account#-teamname-', 'aws-sso-role-suffix': '-ps' })).toEqual([
      { parameter: 'aws-sso-role-prefix', message: 'with its suffix it takes 25 of the 32 characters of a name, leaving fewer than 8 for the name itself' },
    ]);
  });

  it('checks the tag parameters', () => {
    expect(validateExportParameters({ 'aws-permissionset-owner-custom-tags': 'a=b,broken,creator=x,aws:x=y', 'aws-permissionset-owner-email-tag': 'bad!key' })).toEqual([
      { parameter: 'aws-permissionset-owner-email-tag', message: '"bad!key" is not a valid tag key (1-128 letters, digits, spaces and _ . : / = + - @, not starting with aws:, not creator)' },
      { parameter: 'aws-permissionset-owner-custom-tags', message: '"broken" is not key=value' },
      { parameter: 'aws-permissionset-owner-custom-tags', message: 'the tag key creator is reserved for creator=RAITO' },
      { parameter: 'aws-permissionset-owner-custom-tags', message: '"aws:x" is not a valid tag key (1-128 letters, digits, spaces and _ . : / = + - @, not starting with aws:)' },
    ]);
  });
});

describe('dry run and configuration', () => {
  it('a dry run makes zero mutating calls and shows the ARN placeholder in the plan', async () => {
    ic.user('alice');
    const { result, feedback } = await runIcExport([salesReaders({ who: { users: ['alice'] } })], { dryRun: true });
    expect(ic.mutatingCalls()).toEqual([]);
    const calls = result?.plan.providers[0]?.changes[0]?.calls ?? [];
    expect(calls.map((c) => c.operation)).toEqual(['CreatePermissionSet', 'PutInlinePolicyToPermissionSet', 'CreateAccountAssignment', 'ProvisionPermissionSet']);
    expect(calls[1]?.input.PermissionSetArn).toBe('{{permissionSetArn}}');
    expect(calls[3]?.poll).toEqual({ operation: 'DescribePermissionSetProvisioningStatus', input: { ...at, ProvisionPermissionSetRequestId: '{{requestId}}' }, status: 'PermissionSetProvisioningStatus' });
    expect(feedback[0]?.warnings).toEqual(['dry run: 1 change planned (create Sales_Readers), nothing was applied']);
    expect(feedback[0]?.externalId).toBeUndefined();
  });

  it('without the aws-organization-* parameters a permission set gets an error that names them', async () => {
    const { feedback } = await runIcExport([salesReaders()], {
      params: { 'aws-organization-identity-center-instance-arn': undefined, 'aws-organization-identity-store': undefined, 'aws-organization-region': undefined },
    });
    expect(feedback[0]?.errors).toEqual([
      'could not be planned: permission sets (aws_sso_role) live in IAM Identity Center of the management account: set aws-organization-profile (or another aws-organization-* connection parameter) to export them',
    ]);
    expect(ic.mutatingCalls()).toEqual([]);
  });

  it('leaves out inheritFrom entries a permission set cannot include, with a warning each', async () => {
    ic.user('alice');
    const { feedback } = await runIcExport([salesReaders({ who: { users: ['alice'], inheritFrom: ['role:Reader', 'policy:arn:aws:iam::999988887777:policy/Elsewhere', `policy:${policyArn('Missing')}`] } })]);
    expect(feedback[0]?.warnings).toEqual([
      `inheritFrom policy:${policyArn('Missing')}: policy Missing does not exist in the account; left out`,
      'inheritFrom policy:arn:aws:iam::999988887777:policy/Elsewhere is a policy of account 999988887777; a permission set assigned in 111122223333 can only reference policies of this account; left out',
      'inheritFrom role:Reader is neither policy:<managed policy ARN> nor ID:<id> of a managed policy; a permission set can only include managed policies; left out',
    ]);
  });
});

describe('how apply sends Identity Center calls', () => {
  it('through the management-account connection (its own region), not the account\'s clients', async () => {
    ic.user('alice');
    await runIcExport([salesReaders({ who: { users: ['alice'] } })], { params: { 'aws-organization-region': 'us-east-1' } });
    const [create] = ic.sso.commandCalls(CreatePermissionSetCommand);
    expect(await (create!.thisValue as SSOAdminClient).config.region()).toBe('us-east-1');
  });

  it('resolves {{name}} placeholders from what earlier calls saved, and refuses a placeholder nothing answered', () => {
    const saved = new Map([['permissionSetArn', 'arn:x']]);
    expect(resolvePlaceholders({ A: '{{permissionSetArn}}', B: ['id {{permissionSetArn}}'], C: 3 }, saved)).toEqual({ A: 'arn:x', B: ['id arn:x'], C: 3 });
    expect(() => resolvePlaceholders({ A: '{{requestId}}' }, saved)).toThrow('{{requestId}} was not answered by an earlier call of this change');
  });

  it('stops a provider whose create answer lacks what a later call needs, and sends nothing after it', async () => {
    ic.user('alice');
    ic.sso.on(CreatePermissionSetCommand).resolves({});
    const { feedback } = await runIcExport([salesReaders({ who: { users: ['alice'] } })]);
    expect(ic.mutatingCalls().map((c) => c.operation)).toEqual(['CreatePermissionSet']);
    expect(feedback[0]?.errors[0]).toMatch(/^create of aws_sso_role Sales_Readers failed at SSOAdmin\.CreatePermissionSet: .*the answer has no PermissionSet\.PermissionSetArn/);
  });
});
