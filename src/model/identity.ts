import { z } from 'zod';
import { Tag } from './common.js';

/** An ISO 8601 timestamp as AWS reports it (e.g. `2026-11-02T09:12:44+00:00`). */
const Timestamp = z.string().min(1);

/** One of the (at most two) access keys of a user, as the IAM credential report describes it. */
export const AccessKeyFacts = z
  .object({
    slot: z.union([z.literal(1), z.literal(2)]).describe('Which of the two access key columns of the credential report (access_key_1 or access_key_2).'),
    active: z.boolean().describe('The key exists and its status is Active.'),
    lastRotated: Timestamp.optional().describe('When the key was created or last rotated.'),
    lastUsed: Timestamp.optional().describe('When the key last signed a request; absent when it never did or before IAM tracked it (2015-04-22).'),
    lastUsedRegion: z.string().optional().describe('The region of that last use.'),
    lastUsedService: z.string().optional().describe('The service namespace of that last use (e.g. s3).'),
  })
  .describe('An access key of the user (only keys the report shows: active, or with a rotation date).');
export type AccessKeyFacts = z.infer<typeof AccessKeyFacts>;

export const SigningCertificateFacts = z
  .object({
    slot: z.union([z.literal(1), z.literal(2)]).describe('cert_1 or cert_2 of the credential report.'),
    active: z.boolean().describe('The certificate exists and its status is Active.'),
    lastRotated: Timestamp.optional().describe('When the certificate was created or last changed.'),
  })
  .describe('An X.509 signing certificate of the user.');
export type SigningCertificateFacts = z.infer<typeof SigningCertificateFacts>;

/**
 * What the IAM credential report says about a user's sign-in and keys (never the secrets
 * themselves). A timestamp is absent when the report has `N/A`, `no_information` or
 * `not_supported` in its place.
 */
export const UserPosture = z
  .object({
    reportGeneratedAt: Timestamp.describe('When AWS generated the credential report these facts come from (AWS reuses a report for up to 4 hours).'),
    createdAt: Timestamp.optional().describe('When the user was created (for the root user: when the account was created).'),
    passwordEnabled: z.boolean().optional().describe('The user has a console password. Absent for the root user (AWS reports not_supported).'),
    passwordLastUsed: Timestamp.optional().describe('Last console sign-in with the password; absent when never used, no password, or not since IAM began tracking (2014-10-20).'),
    passwordLastChanged: Timestamp.optional().describe('When the password was last set.'),
    passwordNextRotation: Timestamp.optional().describe('When the account password policy requires the next change.'),
    mfaActive: z.boolean().optional().describe('An MFA device is enabled for the user (absent only when the report does not say).'),
    accessKeys: z.array(AccessKeyFacts).describe('The access keys the user has (none when empty).'),
    signingCertificates: z.array(SigningCertificateFacts).describe('The signing certificates the user has (none when empty).'),
  })
  .describe('Credential facts from the IAM credential report (aws-account connector). Absent when the report was not read.');
export type UserPosture = z.infer<typeof UserPosture>;

export const User = z.object({
  externalId: z.string().min(1),
  name: z.string().min(1),
  userName: z.string().min(1),
  /** The person's display name, where the identity store keeps one (Identity Center). */
  displayName: z.string().optional(),
  email: z.string().optional(),
  groupExternalIds: z.array(z.string()).optional(),
  tags: z.array(Tag).optional(),
  isMachine: z.boolean().optional(),
  posture: UserPosture.optional(),
});
export type User = z.infer<typeof User>;

export const Group = z.object({
  externalId: z.string().min(1),
  name: z.string().min(1),
  displayName: z.string().min(1),
  description: z.string().optional(),
  parentGroupExternalIds: z.array(z.string()).optional(),
  tags: z.array(Tag).optional(),
});
export type Group = z.infer<typeof Group>;
