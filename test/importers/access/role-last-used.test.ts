import { describe, expect, it } from 'vitest';
import { ACCOUNT, doc, scenario, statement, trust } from './scenario.js';

describe('access import: when each role was last used', () => {
  it('puts RoleLastUsed (date and region) from GetAccountAuthorizationDetails on the role and its deny provider, with no call of its own', async () => {
    const s = scenario()
      .bucket('acme-sales', 'eu-central-1')
      .role('etl', trust({ Service: 'glue.amazonaws.com' }), {
        inline: { read: doc(statement('Allow', 's3:GetObject', 'arn:aws:s3:::acme-sales/*'), statement('Deny', 's3:GetObject', 'arn:aws:s3:::acme-sales/payroll/*')) },
      })
      .role('unused', trust({ AWS: `arn:aws:iam::${ACCOUNT}:root` }))
      .role('tracked-without-region', trust({ Service: 'lambda.amazonaws.com' }));
    const [etl, unused, noRegion] = s.account.iam.roles;
    etl!.RoleLastUsed = { LastUsedDate: new Date('2026-11-28T14:03:00Z'), Region: 'eu-central-1' };
    // AWS gives an empty RoleLastUsed for a role not used in its 400-day tracking period.
    unused!.RoleLastUsed = {};
    noRegion!.RoleLastUsed = { LastUsedDate: new Date('2026-01-02T03:04:05Z') };
    const { byId, ctx } = await s.run();

    expect(byId.get('role:etl')?.lastUsed).toEqual({ date: '2026-11-28T14:03:00.000Z', region: 'eu-central-1' });
    expect(byId.get('role:etl#deny')?.lastUsed).toEqual({ date: '2026-11-28T14:03:00.000Z', region: 'eu-central-1' });
    expect(byId.get('role:unused')).not.toHaveProperty('lastUsed');
    expect(byId.get('role:tracked-without-region')?.lastUsed).toEqual({ date: '2026-01-02T03:04:05.000Z' });
    expect(Object.keys(ctx.calls.toJSON()).filter((op) => op.startsWith('IAM.'))).toEqual(['IAM.GetAccountAuthorizationDetails']);
  });
});
