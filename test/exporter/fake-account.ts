import { releaseAwsContext } from '../../src/aws/index.js';
import { releaseOrganization } from '../../src/identity-center/connection.js';
import { fakeAwsInterceptor } from '../../src/demo/fake-aws/interceptor.js';
import { fakeServices } from '../../src/demo/fake-aws/services.js';
import type { FakeAccount } from '../../src/demo/fake-aws/types.js';
import { exportAccess, exportParameters, type ExportResult } from '../../src/exporter/index.js';
import { accessParameters, importAccessProviders } from '../../src/importers/access/index.js';
import type { AccessProvider, AccessProviderFeedback, AccessProviderToExport } from '../../src/model/index.js';
import type { AwsInterceptor } from '../../src/plugin-api/contract.js';
import { testContext } from '../helpers/context.js';
import { memoryOutputs } from '../helpers/sinks.js';

export const ACCOUNT = '444455556666';
export const REGION = 'eu-west-1';

/** An empty in-memory account (the demo's fake AWS), to export into and import from. */
export function emptyAccount(): FakeAccount {
  return { accountId: ACCOUNT, callerArn: `arn:aws:iam::${ACCOUNT}:user/connector`, iam: { users: [], groups: [], roles: [], policies: [], policyTags: {} }, s3: { buckets: [], accessPoints: [] }, glue: {} };
}

export interface SentCall {
  service: string;
  operation: string;
  region: string;
  input: Record<string, unknown>;
}

async function* from<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

/** Runs the export, then (optionally) the import, against the account; records every call sent. */
export async function exportThenImport(
  account: FakeAccount,
  providers: AccessProviderToExport[],
  options: { params?: Record<string, unknown>; dryRun?: boolean; importAfter?: boolean } = {},
): Promise<{ result?: ExportResult; feedback: AccessProviderFeedback[]; imported: AccessProvider[]; calls: SentCall[] }> {
  const calls: SentCall[] = [];
  const fake = fakeAwsInterceptor(account, fakeServices);
  const interceptor: AwsInterceptor = (call) => {
    calls.push({ ...call, input: structuredClone(call.input) });
    return fake(call);
  };
  const ctx = testContext({ specs: [...accessParameters, ...exportParameters], params: { 'aws-regions': REGION, ...options.params }, dryRun: options.dryRun, awsInterceptor: interceptor });
  const out = memoryOutputs();
  try {
    const result = await exportAccess(ctx, from(providers), out['access-provider-feedback'], { consistencyBaseDelayMs: 1, consistencyWindowMs: 10 });
    if (options.importAfter) await importAccessProviders(ctx, out);
    return { result, feedback: out['access-provider-feedback'].items, imported: out['access-providers'].items, calls };
  } finally {
    releaseOrganization(ctx);
    releaseAwsContext(ctx);
  }
}

/** Calls that change AWS. */
export const isMutating = (c: SentCall) => !/^(Get|List|Describe)/.test(c.operation);

export const INSTANCE_ARN = 'arn:aws:sso:::instance/ssoins-0000111122223333';
export const IDENTITY_STORE = 'd-0000111122';

/** An Identity Center with these user names, and the parameters that export permission sets into it. */
export function withIdentityCenter(account: FakeAccount, userNames: string[]): Record<string, unknown> {
  account.identityCenter = {
    instances: [{ instanceArn: INSTANCE_ARN, identityStoreId: IDENTITY_STORE }],
    users: userNames.map((UserName) => ({ UserId: `id-${UserName}`, UserName, IdentityStoreId: IDENTITY_STORE })),
    groups: [],
    memberships: [],
    permissionSets: [],
  };
  return { 'aws-organization-identity-center-instance-arn': INSTANCE_ARN, 'aws-organization-identity-store': IDENTITY_STORE, 'aws-identity-center-rate-limit': 1000 };
}
