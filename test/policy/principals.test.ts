import { describe, expect, it } from 'vitest';
import { parsePolicyDocument } from '../../src/policy/document.js';
import { addPrincipals, classifyPrincipals, emptyWho, type KnownIdentities } from '../../src/policy/principals.js';

const account = '111122223333';
const known: KnownIdentities = { users: new Set(['svc-etl', 'alice']), roles: new Set(['data-platform-etl']), roleExternalId: (n) => `role:${n}` };

function who(principal: unknown, policy = 'trust policy'): { users: string[]; accessProviders: string[]; reasons: string[] } {
  const doc = parsePolicyDocument({ Statement: { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: principal } });
  const draft = emptyWho();
  const reasons = addPrincipals(draft, classifyPrincipals(doc.statements[0]?.principal ?? { all: true }, account), known, policy);
  expect(reasons.every((r) => r.incomplete)).toBe(true);
  return { users: [...draft.users], accessProviders: [...draft.accessProviders], reasons: reasons.map((r) => r.message) };
}

describe('principals', () => {
  it.each([
    ['a same-account user', { AWS: `arn:aws:iam::${account}:user/svc-etl` }, ['svc-etl'], [], []],
    ['a user with a path', { AWS: `arn:aws:iam::${account}:user/service/alice` }, ['alice'], [], []],
    ['a same-account role', { AWS: `arn:aws:iam::${account}:role/data-platform-etl` }, [], ['role:data-platform-etl'], []],
    [
      'a role session',
      { AWS: `arn:aws:sts::${account}:assumed-role/data-platform-etl/nightly` },
      [],
      ['role:data-platform-etl'],
      [`trust policy names a session of role data-platform-etl (arn:aws:sts::${account}:assumed-role/data-platform-etl/nightly); it is shown as the whole role`],
    ],
    ['the whole account (root)', { AWS: `arn:aws:iam::${account}:root` }, [], [], [`trust policy allows the whole account ${account} (arn:aws:iam::${account}:root): any user or role whose own policies allow it`]],
    ['the whole account (id)', { AWS: account }, [], [], [`trust policy allows the whole account ${account} (${account}): any user or role whose own policies allow it`]],
    ['another account', { AWS: '444455556666' }, [], [], ['trust policy allows cross-account principal 444455556666 (account 444455556666)']],
    ['a role of another account', { AWS: 'arn:aws:iam::444455556666:role/Auditor' }, [], [], ['trust policy allows cross-account principal arn:aws:iam::444455556666:role/Auditor']],
    ['a service', { Service: ['glue.amazonaws.com'] }, [], [], ['trust policy allows service principal glue.amazonaws.com']],
    ['a federated provider', { Federated: `arn:aws:iam::${account}:saml-provider/Okta` }, [], [], [`trust policy allows federated principal arn:aws:iam::${account}:saml-provider/Okta`]],
    ['everyone', '*', [], [], ['trust policy allows any principal (Principal *)']],
    ['everyone as AWS *', { AWS: '*' }, [], [], ['trust policy allows any principal (Principal *)']],
    ['an unknown user', { AWS: `arn:aws:iam::${account}:user/zed` }, [], [], ['trust policy names user zed, which is not in this account']],
    ['a deleted principal', { AWS: 'AIDAJQABLZS4A3QDU576Q' }, [], [], ['trust policy names principal AIDAJQABLZS4A3QDU576Q, the unique id of a deleted or recreated principal']],
    ['a canonical user', { CanonicalUser: '79a59df900b949e55d96a1e698fbaced' }, [], [], ['trust policy allows canonical user 79a59df900b949e55d96a1e698fbaced']],
  ])('%s', (_, principal, users, accessProviders, reasons) => {
    expect(who(principal)).toEqual({ users, accessProviders, reasons });
  });

  it('a bucket policy names public access so that it stands out', () => {
    expect(who('*', 'bucket policy').reasons).toEqual(['bucket policy grants public access (Principal *)']);
    expect(who({ Service: 'logging.s3.amazonaws.com' }, 'bucket policy').reasons).toEqual(['bucket policy grants access to service principal logging.s3.amazonaws.com']);
  });
});
