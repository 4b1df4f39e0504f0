export { ActionCatalogue, type ExpandedActions } from './actions.js';
export {
  parsePolicyDocument,
  statementLabel,
  PolicyDocumentError,
  type ConditionClause,
  type Effect,
  type PolicyDocument,
  type PolicyStatement,
  type PrincipalType,
  type Principals,
} from './document.js';
export { AccessDraft, ReasonList, WhatBuilder, evaluatePolicy, evaluateStatement, type EvaluationContext, type Reason, type StatementOutcome } from './evaluate.js';
export { Glob, type GlobOptions } from './glob.js';
export { addPrincipals, classifyPrincipals, emptyWho, type ClassifiedPrincipal, type KnownIdentities, type PrincipalKind, type WhoDraft } from './principals.js';
export { ArnPattern, anyArnMatches } from './resources.js';
export {
  S3Resolver,
  appliesTo,
  type ActionScope,
  type DataObjectRef,
  type KnownAccessPoint,
  type KnownBucket,
  type Placement,
  type Resolution,
  type ResolutionNote,
  type S3Index,
} from './s3-resources.js';
export { loadS3Permissions, S3PermissionCatalogue, type S3Permission, type S3ResourceType } from './s3-permissions.js';
export { KnownTree, emptyFolder, type KnownFolder, type DataObjectLike } from './known-tree.js';
export { absentKeyResult, conditionVerdict, keyMayBePresent, type ConditionVerdict } from './conditions.js';
export { decidingLabel, explainRequest, type DecidingStatement, type Decision, type ExplainAnswer, type ExplainRequest, type PolicyKind, type RequestPolicy, type RequestPrincipal } from './request.js';
