import { GetBucketLocationCommand, GetBucketPolicyCommand } from '../aws/sdk/s3.js';
import { GetAccessPointPolicyCommand, ListAccessPointsCommand } from '../aws/sdk/s3-control.js';
import type { GroupDetail, PolicyDetail } from '@aws-sdk/client-iam';
import type { Command } from 'commander';
import { awsContextFor, classifyAwsError, describeAwsError, type AwsContext } from '../aws/index.js';
import { ConnectorError } from '../errors.js';
import { createSyncContext } from '../host/sync-context.js';
import { defaultDocument, iamSnapshot, type IamSnapshot } from '../importers/iam-snapshot.js';
import { sampleAccountInterceptor } from '../demo/sample-account.js';
import { parseConfig } from '../config/index.js';
import type { SyncContext } from '../plugin-api/contract.js';
import { bucketRegion } from '../model/names.js';
import {
  ActionCatalogue,
  decidingLabel,
  explainRequest,
  parsePolicyDocument,
  PolicyDocumentError,
  type ExplainAnswer,
  type RequestPolicy,
  type RequestPrincipal,
} from '../policy/index.js';
import { loadRun, prepareRun, reportError, type GlobalOptions, type PreparedRun } from './common.js';
import { demoConfig } from './demo.js';

export interface ExplainFlags {
  target?: string;
  principal?: string;
  action?: string;
  resource?: string;
  json?: boolean;
  demo?: boolean;
}

/** What is out of the command's sight, said in every answer. */
export const NOT_IN_SIGHT =
  'Not evaluated: service control policies (SCPs), resource control policies and session policies are out of sight of this command; they can only narrow this answer.';

export function addExplainCommand(program: Command): void {
  program
    .command('explain')
    .description('evaluate one request (principal, S3 action, resource) against the IAM, bucket and access point policies of a target, and say why')
    .option('-t, --target <name>', 'the aws-account target of raito.yml to read')
    .option('--principal <user/name|role/name>', 'the IAM user or role that makes the request, e.g. user/alice or role/EtlRole')
    .option('--action <action>', 'the S3 action, e.g. s3:GetObject')
    .option('--resource <s3-url|arn>', 's3://bucket/key, s3://bucket, or an S3 ARN (an access point ARN included)')
    .option('--json', 'print the answer as JSON')
    .option('--demo', 'ask the built-in sample account instead of a target (no AWS credentials needed)')
    .action(async (flags: ExplainFlags, command: Command) => {
      process.exitCode = await explainCommand({ ...command.optsWithGlobals<GlobalOptions>(), ...flags });
    });
}

function usage(message: string): ConnectorError {
  return new ConnectorError('usage', message, { hint: 'connector explain -t <target> --principal user/alice --action s3:GetObject --resource s3://bucket/key' });
}

interface ParsedResource {
  /** The resource's ARN in the request. */
  arn: string;
  bucket?: string;
  /** Access point requests: its name, region and account, and the key (ARN form `.../object/<key>`). */
  accessPoint?: { name: string; region: string; accountId: string; key?: string };
}

/** `s3://bucket/key`, `s3://bucket`, `arn:aws:s3:::bucket/key` or an access point ARN. */
export function parseResource(text: string): ParsedResource {
  const url = /^s3:\/\/([^/]+)\/?(.*)$/.exec(text);
  if (url) {
    const [, bucket, key] = url as unknown as [string, string, string];
    return { arn: key ? `arn:aws:s3:::${bucket}/${key}` : `arn:aws:s3:::${bucket}`, bucket };
  }
  const arn = /^arn:([^:]+):s3:([^:]*):([^:]*):(.+)$/.exec(text);
  if (!arn) throw usage(`--resource ${text} is neither s3://bucket[/key] nor an S3 ARN`);
  const [, , region, accountId, rest] = arn as unknown as [string, string, string, string, string];
  const ap = /^accesspoint\/([^/]+)(?:\/object\/(.*))?$/.exec(rest);
  if (ap && region && accountId) return { arn: text, accessPoint: { name: ap[1] as string, region, accountId, key: ap[2] } };
  if (!region && !accountId) return { arn: text, bucket: rest.split('/')[0] };
  throw usage(`--resource ${text}: only bucket, object and access point ARNs are supported`);
}

export function parsePrincipal(text: string): { type: 'user' | 'role'; name: string } {
  const match = /^(user|role)\/(.+)$/.exec(text);
  if (!match) throw usage(`--principal ${text} must be user/<name> or role/<name>`);
  return { type: match[1] as 'user' | 'role', name: match[2]?.split('/').pop() as string };
}

function parsed(kind: RequestPolicy['kind'], name: string, text: string | undefined, resource?: string): RequestPolicy | undefined {
  if (!text) return undefined;
  try {
    return { kind, name, document: parsePolicyDocument(text), ...(resource ? { resource } : {}) };
  } catch (err) {
    if (err instanceof PolicyDocumentError) throw new ConnectorError('aws', `${name} cannot be read: ${err.message}`);
    throw err;
  }
}

/** The identity policies (own, groups', attached) and the boundary of the principal, from the IAM snapshot. */
function principalPolicies(snapshot: IamSnapshot, who: { type: 'user' | 'role'; name: string }): { principal: Omit<RequestPrincipal, 'accountId'>; policies: RequestPolicy[]; boundary?: string } {
  const managed = new Map(snapshot.policies.map((p) => [p.Arn ?? '', p]));
  const policies: RequestPolicy[] = [];
  const inline = (list: PolicyDetail[] | undefined, owner: string): void => {
    for (const p of list ?? []) {
      const policy = parsed('identity', `inline policy ${p.PolicyName} of ${owner}`, p.PolicyDocument);
      if (policy) policies.push(policy);
    }
  };
  const attached = (list: { PolicyArn?: string; PolicyName?: string }[] | undefined, owner: string): void => {
    for (const a of list ?? []) {
      const detail = managed.get(a.PolicyArn ?? '');
      if (!detail) throw new ConnectorError('aws', `managed policy ${a.PolicyArn} attached to ${owner} is not in the IAM snapshot`);
      const policy = parsed('identity', `managed policy ${a.PolicyName} (attached to ${owner})`, defaultDocument(detail));
      if (policy) policies.push(policy);
    }
  };
  let arn: string | undefined;
  let boundary: string | undefined;
  if (who.type === 'user') {
    const user = snapshot.users.find((u) => u.UserName === who.name);
    if (!user) throw usage(`--principal user/${who.name}: there is no IAM user ${who.name} in this account`);
    arn = user.Arn;
    boundary = user.PermissionsBoundary?.PermissionsBoundaryArn;
    inline(user.UserPolicyList, `user ${who.name}`);
    attached(user.AttachedManagedPolicies, `user ${who.name}`);
    const groups = new Map(snapshot.groups.map((g): [string, GroupDetail] => [g.GroupName ?? '', g]));
    for (const name of user.GroupList ?? []) {
      const group = groups.get(name);
      inline(group?.GroupPolicyList, `group ${name}`);
      attached(group?.AttachedManagedPolicies, `group ${name}`);
    }
  } else {
    const role = snapshot.roles.find((r) => r.RoleName === who.name);
    if (!role) throw usage(`--principal role/${who.name}: there is no IAM role ${who.name} in this account`);
    arn = role.Arn;
    boundary = role.PermissionsBoundary?.PermissionsBoundaryArn;
    inline(role.RolePolicyList, `role ${who.name}`);
    attached(role.AttachedManagedPolicies, `role ${who.name}`);
  }
  if (boundary) {
    const detail = managed.get(boundary);
    if (!detail) throw new ConnectorError('aws', `permission boundary ${boundary} is not in the IAM snapshot`);
    const policy = parsed('boundary', `permission boundary ${boundary}`, defaultDocument(detail));
    if (policy) policies.push(policy);
  }
  return { principal: { arn: arn ?? '', type: who.type, name: who.name }, policies, boundary };
}

/** A bucket or access point policy: none when it has none (NoSuchBucketPolicy and the like). */
async function readPolicy(ctx: SyncContext, call: { service: string; operation: string; resource: string; region: string }, read: () => Promise<string | undefined>): Promise<string | undefined> {
  try {
    return await read();
  } catch (err) {
    const where = { ...call, defaultRegion: awsContextFor(ctx).defaultRegion };
    if (classifyAwsError(err, where) === 'not-found') return undefined;
    throw describeAwsError(err, where);
  }
}

async function bucketPolicyOf(ctx: SyncContext, aws: AwsContext, bucket: string): Promise<string | undefined> {
  let region: string;
  try {
    region = bucketRegion((await aws.s3().send(new GetBucketLocationCommand({ Bucket: bucket }), { abortSignal: ctx.signal })).LocationConstraint);
  } catch (err) {
    throw describeAwsError(err, { service: 'S3', operation: 'GetBucketLocation', resource: bucket, defaultRegion: aws.defaultRegion });
  }
  return readPolicy(ctx, { service: 'S3', operation: 'GetBucketPolicy', resource: bucket, region }, async () => (await aws.s3(region).send(new GetBucketPolicyCommand({ Bucket: bucket }), { abortSignal: ctx.signal })).Policy);
}

/** The bucket behind an access point (ListAccessPoints in its region: no other call works on moto and AWS alike). */
async function accessPointBucket(ctx: SyncContext, aws: AwsContext, ap: NonNullable<ParsedResource['accessPoint']>): Promise<string> {
  const client = aws.s3Control(ap.region);
  let token: string | undefined;
  try {
    do {
      const page = await client.send(new ListAccessPointsCommand({ AccountId: ap.accountId, MaxResults: 1000, NextToken: token }), { abortSignal: ctx.signal });
      const found = page.AccessPointList?.find((p) => p.Name === ap.name);
      if (found?.Bucket) return found.Bucket;
      token = page.NextToken || undefined;
    } while (token);
  } catch (err) {
    throw describeAwsError(err, { service: 'S3Control', operation: 'ListAccessPoints', region: ap.region, defaultRegion: aws.defaultRegion });
  }
  throw usage(`--resource: there is no access point ${ap.name} in ${ap.region} of account ${ap.accountId}`);
}

/** Reads what the request needs from AWS and evaluates it. */
export async function explain(ctx: SyncContext, flags: Required<Pick<ExplainFlags, 'principal' | 'action' | 'resource'>>): Promise<{ answer: ExplainAnswer; principal: RequestPrincipal; action: string; resource: string; accountId: string }> {
  const who = parsePrincipal(flags.principal);
  const resource = parseResource(flags.resource);
  const catalogue = await ActionCatalogue.load();
  const action = catalogue.s3.get(flags.action);
  if (!action) throw usage(`--action ${flags.action} is not an S3 action (for example s3:GetObject, s3:PutObject, s3:ListBucket)`);
  const aws = awsContextFor(ctx);
  const accountId = await aws.accountId();
  const snapshot = await iamSnapshot(ctx);
  if (!snapshot.hasAccessDetails) {
    throw new ConnectorError('aws-access-denied', 'iam:GetAccountAuthorizationDetails is needed to read the policies of users and roles, and it was denied', {
      hint: 'Grant iam:GetAccountAuthorizationDetails to the connector.',
    });
  }
  const { principal, policies, boundary } = principalPolicies(snapshot, who);
  const requestPrincipal: RequestPrincipal = { ...principal, accountId };

  if (resource.accessPoint) {
    const ap = resource.accessPoint;
    const bucket = await accessPointBucket(ctx, aws, ap);
    const apPolicy = await readPolicy(ctx, { service: 'S3Control', operation: 'GetAccessPointPolicy', resource: ap.name, region: ap.region }, async () =>
      (await aws.s3Control(ap.region).send(new GetAccessPointPolicyCommand({ AccountId: ap.accountId, Name: ap.name }), { abortSignal: ctx.signal })).Policy,
    );
    const own = parsed('access-point', `access point policy of ${ap.name}`, apPolicy);
    if (own) policies.push(own);
    // The bucket policy sees the request on the bucket's own ARN.
    const bucketArn = ap.key !== undefined ? `arn:aws:s3:::${bucket}/${ap.key}` : `arn:aws:s3:::${bucket}`;
    const bucketPolicy = parsed('bucket', `bucket policy of ${bucket}`, await bucketPolicyOf(ctx, aws, bucket), bucketArn);
    if (bucketPolicy) policies.push(bucketPolicy);
  } else if (resource.bucket) {
    const bucketPolicy = parsed('bucket', `bucket policy of ${resource.bucket}`, await bucketPolicyOf(ctx, aws, resource.bucket));
    if (bucketPolicy) policies.push(bucketPolicy);
  }
  const answer = explainRequest({ principal: requestPrincipal, action, resource: resource.arn, policies, hasBoundary: boundary !== undefined });
  return { answer, principal: requestPrincipal, action: action.action, resource: resource.arn, accountId };
}

const decisionText: Record<ExplainAnswer['decision'], string> = {
  allowed: 'allowed',
  denied: 'denied explicitly',
  'not-allowed': 'not allowed (no policy allows it)',
  conditional: 'depends on conditions',
};

export function formatAnswer(result: Awaited<ReturnType<typeof explain>>): string {
  const { answer } = result;
  const lines = [
    `Request: ${result.principal.type}/${result.principal.name} ${result.action} ${result.resource} (account ${result.accountId})`,
    `Decision: ${decisionText[answer.decision]}${answer.decision === 'conditional' ? ` on ${answer.conditionKeys.join(', ')}` : ''}`,
  ];
  if (answer.statements.length > 0) {
    lines.push('Deciding statements:');
    for (const s of answer.statements) lines.push(`  ${s.effect.toLowerCase().padEnd(5)} ${decidingLabel(s)}${s.conditionKeys.length > 0 ? ` when ${s.conditionKeys.join(', ')} match` : ''}`);
  }
  for (const note of answer.notes) lines.push(`Note: ${note}`);
  lines.push(NOT_IN_SIGHT);
  return `${lines.join('\n')}\n`;
}

/** `connector explain`: 0 answered, 2 usage (flags, unknown principal), 1 AWS failure. Reads only; writes no files. */
export async function explainCommand(options: GlobalOptions & ExplainFlags, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  let run: PreparedRun | undefined;
  let ctx: SyncContext | undefined;
  try {
    const missing = (['principal', 'action', 'resource'] as const).filter((f) => !options[f]);
    if (missing.length > 0) throw usage(`missing ${missing.map((f) => `--${f}`).join(', ')}`);
    if (!options.target && !options.demo) throw usage('name the target to read with -t <target> (or use --demo)');
    const targetName = options.target ?? 'demo';
    run = options.demo
      ? await prepareRun(parseConfig(demoConfig, { file: '<built-in demo config>', env: process.env }), { ...options, onlyTargets: [targetName] }, [process.cwd()])
      : await loadRun({ ...options, onlyTargets: [targetName] });
    const target = run.targets.find((t) => t.config.name === targetName);
    if (!target) throw usage(`there is no target ${targetName}`);
    if (target.plugin.name !== 'aws-account') throw usage(`target ${targetName} uses ${target.plugin.name}; explain reads aws-account targets`);
    ctx = createSyncContext({
      targetName,
      params: target.params,
      logger: run.logger,
      signal: new AbortController().signal,
      syncs: new Set(['data-access']),
      dryRun: true,
      awsInterceptor: options.demo ? sampleAccountInterceptor() : undefined,
    });
    const result = await explain(ctx, { principal: options.principal as string, action: options.action as string, resource: options.resource as string });
    if (options.json) {
      out.write(
        `${JSON.stringify({
          principal: `${result.principal.type}/${result.principal.name}`,
          principalArn: result.principal.arn,
          action: result.action,
          resource: result.resource,
          accountId: result.accountId,
          decision: result.answer.decision,
          conditionKeys: result.answer.conditionKeys,
          statements: result.answer.statements,
          notes: result.answer.notes,
          notEvaluated: ['service control policies', 'resource control policies', 'session policies'],
        })}\n`,
      );
    } else out.write(formatAnswer(result));
    return 0;
  } catch (err) {
    return reportError(err);
  } finally {
    if (ctx && run) await run.targets.find((t) => t.config.name === ctx?.targetName)?.plugin.close?.(ctx);
  }
}
