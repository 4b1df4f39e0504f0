import type { Tag } from '@aws-sdk/client-s3-control';
import { CreateAccessPointCommand, DeleteAccessPointCommand, DeleteAccessPointPolicyCommand, GetAccessPointPolicyCommand, ListAccessPointsCommand, ListTagsForResourceCommand, PutAccessPointPolicyCommand } from '../aws/sdk/s3-control.js';
import { classifyAwsError, describeAwsError } from '../aws/errors.js';
import { sameDocument } from './documents.js';
import { CREATOR_TAG } from './existing-iam.js';
import { guardChange, passesGuard } from './guard.js';
import { accessPointNameRules } from './naming.js';
import { LIMITS, parseFullName, policyDocument, statementsFor } from './statements.js';
import { emptyPlan, resourceKey, type ExportContext, type PlannedCall, type ProviderPlan, type ResourceType, type TypedProvider } from './types.js';
import { resolveWho } from './who.js';

interface ExistingAccessPoint {
  name: string;
  bucket: string;
  region: string;
  arn: string;
}

/** The access points of the regions the export touches, by `<region>/<name>`; regions that could not be listed, with why. */
interface AccessPointState {
  byKey: Map<string, ExistingAccessPoint>;
  unreadable: Map<string, string>;
}

function arnOf(ex: ExportContext, region: string, name: string): string {
  return `arn:${ex.partition}:s3:${region}:${ex.accountId}:accesspoint/${name}`;
}

/** `accesspoint:arn:aws:s3:<region>:<account>:accesspoint/<name>` -> region. */
function regionOfExternalId(externalId: string | undefined): string | undefined {
  const match = /^accesspoint:arn:[^:]+:s3:([^:]+):/.exec(externalId ?? '');
  return match?.[1];
}

/** The bucket and region the what lies in (the first data object with a bucket). */
function bucketOf(ex: ExportContext, provider: TypedProvider): { bucket: string; region: string } | undefined {
  for (const item of provider.input.what) {
    const parsed = parseFullName(item.dataObject);
    if (parsed?.bucket) return { bucket: parsed.bucket, region: ex.bucketRegions.get(parsed.bucket) ?? parsed.region ?? ex.aws.defaultRegion };
  }
  return undefined;
}

async function listRegion(ex: ExportContext, region: string, into: Map<string, ExistingAccessPoint>): Promise<void> {
  const client = ex.aws.s3Control(region);
  let token: string | undefined;
  do {
    const page = await ex.aws.limit(() => client.send(new ListAccessPointsCommand({ AccountId: ex.accountId, MaxResults: 1000, NextToken: token }), { abortSignal: ex.sync.signal }));
    for (const ap of page.AccessPointList ?? []) {
      if (ap.Name && ap.Bucket) into.set(`${region}/${ap.Name}`, { name: ap.Name, bucket: ap.Bucket, region, arn: ap.AccessPointArn ?? arnOf(ex, region, ap.Name) });
    }
    token = page.NextToken || undefined;
  } while (token);
}

async function loadAccessPoints(ex: ExportContext, providers: readonly TypedProvider[]): Promise<AccessPointState> {
  const regions = new Set<string>();
  for (const p of providers) {
    const region = regionOfExternalId(p.input.externalId) ?? bucketOf(ex, p)?.region;
    if (region) regions.add(region);
  }
  const state: AccessPointState = { byKey: new Map(), unreadable: new Map() };
  await Promise.all(
    [...regions].map(async (region) => {
      try {
        await listRegion(ex, region, state.byKey);
      } catch (err) {
        state.unreadable.set(region, describeAwsError(err, { service: 'S3Control', operation: 'ListAccessPoints', region, defaultRegion: ex.aws.defaultRegion }).message);
      }
    }),
  );
  return state;
}

async function s3ControlRead<T>(ex: ExportContext, operation: string, ap: ExistingAccessPoint, fn: () => Promise<T>): Promise<T> {
  try {
    return await ex.aws.limit(fn);
  } catch (err) {
    throw describeAwsError(err, { service: 'S3Control', operation, resource: ap.name, region: ap.region, defaultRegion: ex.aws.defaultRegion });
  }
}

async function tagsOf(ex: ExportContext, ap: ExistingAccessPoint): Promise<Tag[]> {
  const out = await s3ControlRead(ex, 'ListTagsForResource', ap, () =>
    ex.aws.s3Control(ap.region).send(new ListTagsForResourceCommand({ AccountId: ex.accountId, ResourceArn: ap.arn }), { abortSignal: ex.sync.signal }),
  );
  return out.Tags ?? [];
}

async function policyOf(ex: ExportContext, ap: ExistingAccessPoint): Promise<string | undefined> {
  try {
    const out = await ex.aws.limit(() => ex.aws.s3Control(ap.region).send(new GetAccessPointPolicyCommand({ AccountId: ex.accountId, Name: ap.name }), { abortSignal: ex.sync.signal }));
    return out.Policy || undefined;
  } catch (err) {
    if (classifyAwsError(err) === 'not-found') return undefined;
    throw describeAwsError(err, { service: 'S3Control', operation: 'GetAccessPointPolicy', resource: ap.name, region: ap.region, defaultRegion: ex.aws.defaultRegion });
  }
}

async function planAccessPoint(ex: ExportContext, state: AccessPointState, provider: TypedProvider): Promise<ProviderPlan> {
  const input = provider.input;
  const plan = emptyPlan(provider);
  const located = bucketOf(ex, provider);
  const region = regionOfExternalId(input.externalId) ?? located?.region;
  const find = (name: string | undefined) => (name && region ? state.byKey.get(`${region}/${name}`) : undefined);
  const unreadable = region ? state.unreadable.get(region) : undefined;
  if (unreadable) {
    plan.errors.push(`the access points of ${region} could not be listed, so the export cannot tell what exists: ${unreadable}`);
    return plan;
  }
  const existing = find(provider.existingName) ?? find(provider.name);
  const name = existing?.name ?? provider.name;
  plan.actualName = name;
  if (region) plan.externalId = `accesspoint:${existing?.arn ?? arnOf(ex, region, name)}`;
  const key = resourceKey('aws_access_point', name, region);

  if (input.delete) {
    if (!existing) return plan;
    if (passesGuard(plan, guardChange(`access point ${name}`, await tagsOf(ex, existing), 'delete', false))) {
      plan.changes.push({
        key,
        type: 'aws_access_point',
        resource: name,
        action: 'delete',
        changes: [`delete (bucket ${existing.bucket}, ${existing.region})`],
        calls: [{ service: 'S3Control', operation: 'DeleteAccessPoint', region: existing.region, input: { AccountId: ex.accountId, Name: name }, okIf: 'not-found' }],
        dependsOn: [],
      });
    }
    return plan;
  }

  if (!located || !region) {
    plan.errors.push('an access point needs a bucket, but the what names none (it is empty or names only the account)');
    return plan;
  }
  if (!ex.bucketRegions.has(located.bucket)) {
    plan.errors.push(`bucket ${located.bucket} is not in this account's bucket list, so no access point can be made for it`);
    return plan;
  }
  if (existing && provider.name !== name) plan.warnings.push(`the name asked is ${provider.name}, but AWS cannot rename an access point: access point ${name} keeps its name`);
  if (existing && existing.bucket !== located.bucket) {
    plan.errors.push(`access point ${name} serves bucket ${existing.bucket}; AWS cannot move it to bucket ${located.bucket}`);
    return plan;
  }

  const who = resolveWho(ex, input.who, { expandGroups: true });
  plan.warnings.push(...who.warnings);
  const principals = [...who.userArns, ...who.roles.map((r) => r.arn)].sort();
  const arn = existing?.arn ?? arnOf(ex, region, name);
  const { statements, errors } = await statementsFor({
    what: input.what,
    effect: 'Allow',
    accountId: ex.accountId,
    partition: ex.partition,
    permissions: ex.s3Permissions,
    target: { kind: 'access-point', arn, principals },
  });
  plan.errors.push(...errors);
  if (principals.length === 0) plan.warnings.push(`access point ${name} has no principal (who names no existing user, group member or role), so it gets no policy`);
  const text = principals.length > 0 && statements.length > 0 ? policyDocument(statements).text : undefined;
  const bytes = text ? Buffer.byteLength(text) : 0;
  if (bytes > LIMITS.accessPointPolicyBytes) {
    plan.errors.push(`the policy of access point ${name} would have ${bytes} bytes, ${bytes - LIMITS.accessPointPolicyBytes} over the AWS limit of ${LIMITS.accessPointPolicyBytes}`);
  }
  if (plan.errors.length > 0) return plan;

  const policyWords = text ? `policy: ${statements.length} statement${statements.length === 1 ? '' : 's'} for ${principals.length} principal${principals.length === 1 ? '' : 's'}` : 'no policy';
  const putPolicy: PlannedCall | undefined = text ? { service: 'S3Control', operation: 'PutAccessPointPolicy', region, input: { AccountId: ex.accountId, Name: name, Policy: text } } : undefined;
  if (!existing) {
    const calls: PlannedCall[] = [{ service: 'S3Control', operation: 'CreateAccessPoint', region, input: { AccountId: ex.accountId, Name: name, Bucket: located.bucket, Tags: [CREATOR_TAG] } }];
    if (putPolicy) calls.push(putPolicy);
    plan.changes.push({ key, type: 'aws_access_point', resource: name, action: 'create', changes: [`bucket ${located.bucket} (${region})`, policyWords], calls, dependsOn: who.dependsOn });
    return plan;
  }

  const current = await policyOf(ex, existing);
  let call: PlannedCall | undefined;
  if (text && !sameDocument(current, text)) call = putPolicy;
  if (!text && current) call = { service: 'S3Control', operation: 'DeleteAccessPointPolicy', region, input: { AccountId: ex.accountId, Name: name }, okIf: 'not-found' };
  if (!call) return plan;
  if (!passesGuard(plan, guardChange(`access point ${name}`, await tagsOf(ex, existing), 'update', ex.options.manageExisting))) return plan;
  plan.changes.push({ key, type: 'aws_access_point', resource: name, action: 'update', changes: [policyWords], calls: [call], dependsOn: who.dependsOn });
  return plan;
}

/** S3 access points: one bucket, created in its region; the who and what in the access point policy. */
export const accessPointType: ResourceType<AccessPointState> = {
  type: 'aws_access_point',
  phase: 30,
  naming: accessPointNameRules,
  commands: {
    'S3Control.CreateAccessPoint': CreateAccessPointCommand,
    'S3Control.PutAccessPointPolicy': PutAccessPointPolicyCommand,
    'S3Control.DeleteAccessPointPolicy': DeleteAccessPointPolicyCommand,
    'S3Control.DeleteAccessPoint': DeleteAccessPointCommand,
  },
  externalId: (ex, name, region) => `accesspoint:${arnOf(ex, region ?? ex.aws.defaultRegion, name)}`,
  load: loadAccessPoints,
  plan: (ex, state, provider) => planAccessPoint(ex, state, provider),
};
