import type { Tag as IamTag } from '@aws-sdk/client-iam';
import { ConnectorError } from '../../errors.js';
import type { User, UserPosture } from '../../model/index.js';
import { matchesAny } from '../../plugin-api/parameters.js';
import type { StreamSink, SyncContext } from '../../plugin-api/contract.js';
import { credentialReportPermissionProblem, readCredentialReport, ROOT_ROW, type CredentialReport, type CredentialReportResult } from './credential-report.js';

/** The credential report being read, or undefined when `aws-identity-skip-credential-report` is set. */
export type ReportRead = Promise<CredentialReportResult> | undefined;

/** Starts reading the report, so AWS builds it while the IAM snapshot is paged in. */
export function startCredentialReport(ctx: SyncContext): ReportRead {
  if (ctx.params['aws-identity-skip-credential-report'] === true) return undefined;
  const read = readCredentialReport(ctx);
  // Awaited later; this keeps an abort during a failed snapshot read from going unhandled.
  read.catch(() => undefined);
  return read;
}

/** The users' credential facts of this run, and which users the report did not know. */
export class CredentialFacts {
  private missing = 0;

  constructor(readonly report: CredentialReport | undefined) {}

  posture(userName: string): UserPosture | undefined {
    if (!this.report) return undefined;
    const posture = this.report.users.get(userName);
    if (!posture) this.missing++;
    return posture;
  }

  /** AWS reuses a report for four hours: users created since then have no row. Said once. */
  finish(users: StreamSink<User>): void {
    if (this.missing === 0 || !this.report) return;
    const one = this.missing === 1;
    users.warn(
      `${this.missing} user${one ? ' is' : 's are'} not in the IAM credential report generated at ${this.report.generatedAt} (created after it, as AWS reuses a report for up to 4 hours) and ${one ? 'has' : 'have'} no credential facts (posture) in this run`,
    );
  }
}

/**
 * Waits for the report. A report that could not be read is one warning (naming the permission
 * or the cause) that also marks the users stream incomplete: the users are all there, their
 * credential facts and the root user are not.
 */
export async function credentialFactsOf(ctx: SyncContext, read: ReportRead, users: StreamSink<User>): Promise<CredentialFacts> {
  if (!read) return new CredentialFacts(undefined);
  const result = await read;
  if (result.ok) return new CredentialFacts(result.report);
  ctx.logger.warn(result.warning);
  users.markIncomplete(result.warning);
  return new CredentialFacts(undefined);
}

/**
 * The root user, from the report's `<root_account>` row: externalId its ARN
 * (`arn:aws:iam::<account>:root`), name and userName `<root_account>` (no IAM user can have that
 * name), no groups or tags. Only written when the report was read. Returns true when
 * `aws-user-excludes` leaves it out.
 */
export async function writeRootUser(facts: CredentialFacts, excludes: RegExp[], isMachine: (tags: IamTag[] | undefined) => boolean | undefined, users: StreamSink<User>): Promise<boolean> {
  const root = facts.report?.root;
  if (!root) return false;
  if (matchesAny(excludes, ROOT_ROW)) return true;
  await users.write({ externalId: root.arn || ROOT_ROW, name: ROOT_ROW, userName: ROOT_ROW, groupExternalIds: [], tags: [], isMachine: isMachine([]), posture: root.posture });
  return false;
}

/**
 * `connector check`: when this target's identity sync would read the credential report, fails
 * with the missing permission (after saying that the credentials themselves work).
 */
export async function checkCredentialReportAccess(ctx: SyncContext, credentialsLine: string): Promise<void> {
  if (!ctx.syncs.has('identity-store') || ctx.params['aws-identity-skip-credential-report'] === true) return;
  const problem = await credentialReportPermissionProblem(ctx);
  if (!problem) return;
  throw new ConnectorError('aws-access-denied', `${credentialsLine}, but the identity sync cannot read the IAM credential report: ${problem}`, {
    hint: 'Grant iam:GenerateCredentialReport and iam:GetCredentialReport (see the IAM policy in the docs), or set aws-identity-skip-credential-report: true to sync users without their credential facts.',
  });
}
