import type { AccessProviderToExport, AccessProviderType } from '../model/index.js';
import type { AwsContext } from '../aws/context.js';
import type { SyncContext } from '../plugin-api/contract.js';
import type { S3PermissionCatalogue } from '../policy/index.js';
import type { ExistingIam } from './existing-iam.js';
import type { NameRules } from './naming.js';
import type { ExportOptions } from './parameters.js';

// ---------------------------------------------------------------------------------------------
// The plan: what the export will send, call by call. It is JSON as it stands (plan.json).

/** One AWS call exactly as apply will send it. */
export interface PlannedCall {
  /** Client name as in the call counter: `IAM`, `S3Control`, `SSOAdmin`. */
  service: string;
  /** Command name without "Command": `CreateRole`, `PutAccessPointPolicy`. */
  operation: string;
  /** The client's region (regional services); IAM is global and has none. */
  region?: string;
  /** The command input, documents included as the JSON text that is sent. */
  input: Record<string, unknown>;
  /** `not-found`: an answer "does not exist" means the work is already done (detach, delete). */
  okIf?: 'not-found';
  /**
   * Values of the answer that later calls of the same change use: name -> dotted path in the answer
   * (`{ permissionSetArn: 'PermissionSet.PermissionSetArn' }`). A later input (or `poll`, or the
   * change's `externalId`) names one as the text `{{permissionSetArn}}`, replaced when it is sent.
   */
  saves?: Record<string, string>;
  /** The call starts an asynchronous operation: apply asks `poll` until it has ended. */
  poll?: PollSpec;
}

/**
 * How to follow an asynchronous operation (Identity Center provisioning and assignments): send
 * `operation` (a read of the same service) with `input` until the object at `status` in its answer
 * has `Status` SUCCEEDED or FAILED (then its `FailureReason` is the error). The call's own answer
 * is looked at first: an operation that ended at once is not polled.
 */
export interface PollSpec {
  operation: string;
  input: Record<string, unknown>;
  /** Dotted path of the status object, in the polled answer and in the call's own answer. */
  status: string;
}

export type ChangeAction = 'create' | 'update' | 'delete';

/** One AWS resource that changes: a role, a managed policy, an access point. */
export interface ResourceChange {
  /** Unique in the plan: `aws_role:<name>`, `aws_policy:<name>`, `aws_access_point:<region>/<name>` (see `resourceKey`). */
  key: string;
  type: AccessProviderType;
  /** The resource's name in AWS. */
  resource: string;
  action: ChangeAction;
  /** What changes, in words, for the plan table (`trust policy: + user alice`). */
  changes: string[];
  /** Sent one after the other, in this order. */
  calls: PlannedCall[];
  /** Keys of changes that must succeed first (a trust policy naming a role created in this run). */
  dependsOn: string[];
  /** The provider's externalId once this change is applied, when only AWS's answer tells it (`permissionset:{{permissionSetArn}}`). */
  externalId?: string;
}

/** What an access provider becomes: its changes (none when AWS already matches), or why it cannot. */
export interface ProviderPlan {
  /** The access provider's `id`. */
  provider: string;
  type: AccessProviderType;
  /** The resource name in AWS (the feedback's `actualName`). */
  actualName: string;
  /** As the import writes it (`role:<name>`, `policy:<arn>`, `accesspoint:<arn>`), so the cloud links export and import. */
  externalId?: string;
  /** The provider asked to be deleted. */
  delete: boolean;
  changes: ResourceChange[];
  /** A provider with errors is not applied at all: nothing is half-written. */
  errors: string[];
  warnings: string[];
}

export interface ExportPlan {
  /** Format version of plan.json (docs/export-plan.md). */
  version: 1;
  dryRun: boolean;
  accountId: string;
  providers: ProviderPlan[];
}

// ---------------------------------------------------------------------------------------------
// The resource-type modules.

/** An access provider to export with its resolved type and name. */
export interface TypedProvider {
  input: AccessProviderToExport;
  type: AccessProviderType;
  /** The name the resource should carry (prefix and suffix applied, collisions resolved). */
  name: string;
  /** The name AWS knows it by today, when the provider was exported or imported before. */
  existingName?: string;
  /** Warnings found before planning (type or name decisions). */
  warnings: string[];
}

/** What a resource-type module sees: the run, the account and the other providers' names. */
export interface ExportContext {
  sync: SyncContext;
  aws: AwsContext;
  accountId: string;
  partition: string;
  options: ExportOptions;
  /** The IAM snapshot of the run, indexed (users, groups, roles, managed policies, attachments). */
  iam: ExistingIam;
  s3Permissions: S3PermissionCatalogue;
  /** Bucket name -> region, from the run's bucket index. */
  bucketRegions: ReadonlyMap<string, string>;
  /** Every provider of this export by id (so `ID:<id>` in inheritFrom finds the role it names). */
  providers: ReadonlyMap<string, TypedProvider>;
}

/** The SDK command class of an operation, so a planned call can be sent as it was planned. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each command class takes its own input type
export type CommandClass = new (input: any) => object;

/**
 * One kind of AWS resource the export writes. To add one, implement this interface in a module of
 * its own and list it in `resourceTypes` (src/exporter/index.ts).
 */
export interface ResourceType<State = unknown> {
  readonly type: AccessProviderType;
  /** Apply order: creates and updates run by ascending phase, deletes by descending phase. */
  readonly phase: number;
  readonly naming: NameRules;
  /** The SDK command of every operation its plans use, keyed `Service.Operation`. */
  readonly commands: Readonly<Record<string, CommandClass>>;
  /** The externalId the import gives a resource of this type with this name; undefined when the name does not tell it (a permission set's ARN). */
  externalId(ex: ExportContext, name: string, region?: string): string | undefined;
  /** Reads what exists of this type, once, before any plan (read calls only). */
  load(ex: ExportContext, providers: readonly TypedProvider[]): Promise<State>;
  /** Plans one provider: the changes that bring AWS to what it asks. Read calls only, never a mutating one. */
  plan(ex: ExportContext, state: State, provider: TypedProvider): Promise<ProviderPlan>;
  /**
   * The name of the resource an externalId names, when the externalId alone does not tell it (a
   * permission set's ARN): asked after `load`, before names are assigned. Types with this hook are
   * loaded before naming.
   */
  nameOf?(state: State, externalId: string): string | undefined;
}

/** The key of a resource in the plan; the same resource always gets the same key. */
export function resourceKey(type: AccessProviderType, name: string, region?: string): string {
  return region ? `${type}:${region}/${name}` : `${type}:${name}`;
}

/** A ProviderPlan with nothing in it yet. */
export function emptyPlan(provider: TypedProvider, actualName = provider.name): ProviderPlan {
  return { provider: provider.input.id, type: provider.type, actualName, delete: provider.input.delete, changes: [], errors: [], warnings: [...provider.warnings] };
}
