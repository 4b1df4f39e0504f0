import type { AccessProvider, AccessProviderType, LastUsed, Lock, Tag, WhatItem } from '../../model/index.js';
import { AccessDraft, evaluatePolicy, parsePolicyDocument, PolicyDocumentError, ReasonList, type PolicyDocument, type Reason, type WhoDraft } from '../../policy/index.js';
import type { AccessImport } from './context.js';

/**
 * externalId scheme of the access import:
 *   role:<RoleName>                      aws_role
 *   policy:<PolicyArn>                   aws_policy (managed, customer or AWS)
 *   inline:user/<UserName>               aws_inline_policy (all inline policies of a user)
 *   inline:group/<GroupName>             aws_inline_policy (all inline policies of a group)
 *   accesspoint:<AccessPointArn>         aws_access_point
 *   bucketpolicy:<BucketName>            aws_bucket_policy
 * Deny statements of any of them form a second provider `<externalId>#deny` (action deny).
 */
export const DENY_SUFFIX = '#deny';

/** One AWS entity, ready to be written as its grant provider (and its deny provider when it has Deny statements). */
export interface ProviderSpec {
  externalId: string;
  name: string;
  type: AccessProviderType;
  actualName: string;
  description?: string;
  who: WhoDraft;
  /** The deny side's who, when it differs (resource policies: the principals of the Deny statements). */
  denyWho?: WhoDraft;
  /** Reasons about the who (principals, trust policy): on both providers. */
  whoReasons?: Reason[];
  denyWhoReasons?: Reason[];
  /** Reasons that only limit what is granted (permission boundaries): on the grant provider. */
  grantReasons?: Reason[];
  draft: AccessDraft;
  locks?: Lock[];
  notInternalizable?: boolean;
  tags?: Tag[];
  /** When the entity was last used (roles), on both providers: it is a fact of the entity. */
  lastUsed?: LastUsed;
}

const sorted = (set: Set<string>): string[] => [...set].sort();

/** Resource policies of S3 only ever govern S3, so `Action: "*"` there names no other service. */
const resourcePolicyTypes: ReadonlySet<AccessProvider['type']> = new Set(['aws_bucket_policy', 'aws_access_point']);

function otherServicesNote(type: AccessProvider['type'], count: number): string | undefined {
  return count > 0 && !resourcePolicyTypes.has(type) ? `Its policies also name ${count} action${count === 1 ? '' : 's'} of services other than S3, which are not data permissions and are not shown.` : undefined;
}

function record(spec: ProviderSpec, side: 'grant' | 'deny', reasons: ReasonList, what: WhatItem[]): AccessProvider {
  const deny = side === 'deny';
  const who = deny ? (spec.denyWho ?? spec.who) : spec.who;
  const description = [spec.description, otherServicesNote(spec.type, spec.draft.otherServiceActions)].filter(Boolean).join(' ');
  const provider: AccessProvider = {
    externalId: deny ? `${spec.externalId}${DENY_SUFFIX}` : spec.externalId,
    name: deny ? `${spec.name} (deny)` : spec.name,
    type: spec.type,
    action: side,
    who: { users: sorted(who.users), groups: sorted(who.groups), accessProviders: sorted(who.accessProviders) },
    what,
    incomplete: reasons.incomplete,
    reasons: reasons.messages(),
    actualName: spec.actualName,
  };
  if (description) provider.description = description;
  if (spec.locks && spec.locks.length > 0) provider.locks = spec.locks;
  if (spec.notInternalizable) provider.notInternalizable = true;
  if (spec.tags && spec.tags.length > 0) provider.tags = spec.tags;
  if (spec.lastUsed) provider.lastUsed = spec.lastUsed;
  return provider;
}

/**
 * Writes the grant provider and, when Deny statements touch S3, the deny provider beside it. Like
 * StreamSink.write, it returns a promise only when the sink asks the caller to wait: tens of
 * thousands of providers then cost no promise each.
 */
export function writeProviders(ai: AccessImport, spec: ProviderSpec): Promise<void> | undefined {
  const grantReasons = new ReasonList();
  grantReasons.addAll(spec.whoReasons ?? []);
  grantReasons.addAll(spec.grantReasons ?? []);
  grantReasons.addAll(spec.draft.grantReasons.entries());
  const grantWritten = ai.sink.write(record(spec, 'grant', grantReasons, spec.draft.grant.items()));
  ai.stats.providers[spec.type] = (ai.stats.providers[spec.type] ?? 0) + 1;
  ai.stats.otherServiceActions += spec.draft.otherServiceActions;

  // A deny provider with nothing in it (a Deny of a misspelled or non-S3 action) denies nothing: not
  // written. One that places nothing because it cannot be shown exactly (an incomplete reason) is
  // written with that reason: hiding it would hide access AWS refuses.
  if (spec.draft.denyStatementsOnS3 === 0) return grantWritten ?? undefined;
  const denied = spec.draft.deny.items();
  const denyPlaced = denied.some((item) => item.permissions.length > 0);
  const denyExplained = spec.draft.denyReasons.entries().some((reason) => reason.incomplete);
  if (!denyPlaced && !denyExplained) return grantWritten ?? undefined;
  const denyReasons = new ReasonList();
  denyReasons.addAll(spec.denyWhoReasons ?? spec.whoReasons ?? []);
  denyReasons.addAll(spec.draft.denyReasons.entries());
  const denyWritten = ai.sink.write(record(spec, 'deny', denyReasons, denied));
  ai.stats.denyProviders++;
  return grantWritten || denyWritten ? Promise.all([grantWritten, denyWritten]).then(() => undefined) : undefined;
}

/**
 * Reads a stored policy document; a document that cannot be read becomes a reason (the provider
 * is then incomplete), never a crash of the whole import.
 */
export function readDocument(ai: Pick<AccessImport, 'stats'>, text: string | undefined, label: string, reasons: Reason[]): PolicyDocument | undefined {
  if (text === undefined || text === '') {
    reasons.push({ message: `${label} has no document`, incomplete: true });
    return undefined;
  }
  ai.stats.documents++;
  try {
    return parsePolicyDocument(text);
  } catch (err) {
    if (!(err instanceof PolicyDocumentError)) throw err;
    ai.stats.unreadableDocuments++;
    reasons.push({ message: `${label} could not be read: ${err.message}`, incomplete: true });
    return undefined;
  }
}

/** Runs policy work and adds its time to the stats. */
export function timed<T>(ai: AccessImport, work: () => T): T {
  const started = performance.now();
  try {
    return work();
  } finally {
    ai.stats.policyMs += performance.now() - started;
  }
}

/**
 * Reads one identity policy document and evaluates it into `draft` (an unreadable one becomes a
 * reason on the grant side): `label` names it in reasons ("inline policy x"), its statements are
 * named after `statementsLabel` (none for a managed policy's own).
 */
export function evaluateInto(ai: Pick<AccessImport, 'stats' | 'evaluation'>, draft: AccessDraft, text: string | undefined, label: string, statementsLabel?: string): void {
  const reasons: Reason[] = [];
  const document = readDocument(ai, text, label, reasons);
  draft.grantReasons.addAll(reasons);
  if (document) evaluatePolicy(document, ai.evaluation, draft, statementsLabel);
}
