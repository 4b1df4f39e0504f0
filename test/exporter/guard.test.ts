import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { guardChange } from '../../src/exporter/guard.js';
import { AccessProviderToExport } from '../../src/model/index.js';
import { ACCOUNT, REGION, emptyAccount, exportThenImport, isMutating, type SentCall } from './fake-account.js';

const RAITO = [{ Key: 'creator', Value: 'RAITO' }];
const encoded = (doc: object) => encodeURIComponent(JSON.stringify(doc));
const trust = encoded({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/u0` }, Action: 'sts:AssumeRole' }] });
const document = encoded({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b0/*' }] });
const policyArn = (name: string) => `arn:aws:iam::${ACCOUNT}:policy/${name}`;

describe('the tag guard', () => {
  it('allows tagged resources; untagged ones only for updates with aws-export-manage-existing; never an untagged delete', () => {
    expect(guardChange('role R', RAITO, 'delete', false)).toEqual({ allowed: true });
    expect(guardChange('role R', [{ Key: 'creator', Value: 'someone' }], 'update', false)).toMatchObject({ allowed: false });
    expect(guardChange('role R', [], 'update', true)).toMatchObject({ allowed: true });
    expect(guardChange('role R', undefined, 'delete', true)).toEqual({ allowed: false, error: 'role R was not created by the connector (no tag creator=RAITO): it is never deleted, nothing was sent' });
  });
});

/** The resources of the generated account that do not carry creator=RAITO. */
interface Untagged {
  roles: Set<string>;
  policies: Set<string>;
  accessPoints: Set<string>;
}

/** Which untagged resource a mutating call changes, if any, and whether it deletes it. */
function touches(call: SentCall, untagged: Untagged, deletedRoles: Set<string>): { resource: string; deletes: boolean } | undefined {
  const i = call.input;
  const op = call.operation;
  if (call.service === 'S3Control') {
    const name = String(i.Name);
    return untagged.accessPoints.has(name) ? { resource: `access point ${name}`, deletes: op === 'DeleteAccessPoint' } : undefined;
  }
  if (/^(Attach|Detach)(User|Group|Role)Policy$/.test(op)) {
    // Detaching a policy is part of deleting one of our roles; otherwise an attachment changes the policy's who.
    if (op === 'DetachRolePolicy' && deletedRoles.has(String(i.RoleName)) && !untagged.roles.has(String(i.RoleName))) return undefined;
    const arn = String(i.PolicyArn);
    return untagged.policies.has(arn) ? { resource: `policy ${arn}`, deletes: false } : undefined;
  }
  if (i.PolicyArn !== undefined) {
    const arn = String(i.PolicyArn);
    return untagged.policies.has(arn) ? { resource: `policy ${arn}`, deletes: op === 'DeletePolicy' } : undefined;
  }
  if (i.RoleName !== undefined) {
    const name = String(i.RoleName);
    return untagged.roles.has(name) ? { resource: `role ${name}`, deletes: op === 'DeleteRole' } : undefined;
  }
  return undefined;
}

describe('no mutating call ever targets an untagged resource (property)', () => {
  it('holds for random existing states and random export inputs', async () => {
    const names = ['r0', 'r1', 'r2', 'p0', 'p1', 'p2', 'a0', 'a1', 'new-one'];
    const state = fc.record({
      roleTagged: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
      policyTagged: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
      apTagged: fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }),
      manageExisting: fc.boolean(),
      providers: fc.array(
        fc.record({
          type: fc.constantFrom('aws_role', 'aws_policy', 'aws_access_point', undefined),
          action: fc.constantFrom('grant', 'deny'),
          name: fc.constantFrom(...names),
          byActualName: fc.boolean(),
          delete: fc.boolean(),
          users: fc.subarray(['u0', 'u1']),
          inheritFrom: fc.subarray(['role:r0', 'role:r1', 'role:r2']),
          what: fc.subarray(['b0', 'b0/f', 'b0/f/x.csv']),
        }),
        { minLength: 1, maxLength: 5 },
      ),
    });

    await fc.assert(
      fc.asyncProperty(state, async (s) => {
        const account = emptyAccount();
        for (const u of ['u0', 'u1']) account.iam.users.push({ UserName: u, Arn: `arn:aws:iam::${ACCOUNT}:user/${u}`, GroupList: [], AttachedManagedPolicies: [] });
        account.s3.buckets.push({ name: 'b0', region: REGION, objects: [] });
        const untagged: Untagged = { roles: new Set(), policies: new Set(), accessPoints: new Set() };
        s.roleTagged.forEach((tagged, i) => {
          account.iam.roles.push({ RoleName: `r${i}`, Arn: `arn:aws:iam::${ACCOUNT}:role/r${i}`, AssumeRolePolicyDocument: trust, RolePolicyList: [], AttachedManagedPolicies: [], Tags: tagged ? RAITO : [] });
          if (!tagged) untagged.roles.add(`r${i}`);
        });
        s.policyTagged.forEach((tagged, i) => {
          const arn = policyArn(`p${i}`);
          account.iam.policies.push({ PolicyName: `p${i}`, Arn: arn, DefaultVersionId: 'v1', AttachmentCount: 1, PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: document }] });
          account.iam.users[0]!.AttachedManagedPolicies!.push({ PolicyName: `p${i}`, PolicyArn: arn });
          account.iam.policyTags![arn] = tagged ? RAITO : [];
          if (!tagged) untagged.policies.add(arn);
        });
        s.apTagged.forEach((tagged, i) => {
          account.s3.accessPoints.push({ name: `a${i}`, bucket: 'b0', region: REGION, tags: tagged ? RAITO : [] });
          if (!tagged) untagged.accessPoints.add(`a${i}`);
        });

        const inputs = s.providers.map((p, i) =>
          AccessProviderToExport.parse({
            id: `x${i}`,
            name: p.name,
            type: p.type,
            action: p.action,
            delete: p.delete,
            actualName: p.byActualName ? p.name : undefined,
            who: { users: p.users, inheritFrom: p.inheritFrom },
            what: p.what.map((w) => ({ dataObject: { fullName: `${ACCOUNT}:${REGION}:${w}`, type: w === 'b0' ? 'bucket' : w.endsWith('.csv') ? 'file' : 'folder' }, permissions: ['s3:GetObject'] })),
          }),
        );
        const { calls, feedback } = await exportThenImport(account, inputs, { params: { 'aws-export-manage-existing': String(s.manageExisting) } });
        expect(feedback).toHaveLength(inputs.length);
        const mutating = calls.filter(isMutating);
        const deletedRoles = new Set(mutating.filter((c) => c.operation === 'DeleteRole').map((c) => String(c.input.RoleName)));
        for (const call of mutating) {
          const hit = touches(call, untagged, deletedRoles);
          if (!hit) continue;
          expect(hit.deletes, `${call.operation} deletes untagged ${hit.resource}`).toBe(false);
          expect(s.manageExisting, `${call.operation} changes untagged ${hit.resource} without aws-export-manage-existing`).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});
