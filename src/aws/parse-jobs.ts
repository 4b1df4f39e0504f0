import { longTextsAsCdata } from './xml-text.js';

// What the main thread and the response parsing workers (parse-worker.ts) exchange. Plain data
// only: this module is loaded by the workers, so it imports nothing of the connector but xml-text.

/**
 * The successful responses worth parsing on another thread: the pages that large accounts have
 * many of, in XML, whose parsing by the SDK costs far more than handing the result back (about
 * 15 times: a page of 1,000 managed policies is ~60 ms to parse, ~4 ms to receive).
 */
export const OFFLOADED_OPERATIONS: Readonly<Record<string, { sdk: string; client: string; operations: readonly string[] }>> = {
  IAM: { sdk: '@aws-sdk/client-iam', client: 'IAMClient', operations: ['GetAccountAuthorizationDetails', 'GetCredentialReport'] },
  S3: { sdk: '@aws-sdk/client-s3', client: 'S3Client', operations: ['ListObjectsV2'] },
};

/** One response to parse: its status, headers and body, and the operation whose output it holds. */
export interface ParseJob {
  id: number;
  service: string;
  operation: string;
  statusCode: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** The SDK's output, or why the worker could not make it (the main thread then parses the bytes itself). */
export type ParseAnswer = { id: number; ok: true; output: unknown } | { id: number; ok: false; message: string };

/**
 * Answers that carry a text of megabytes (the credential report's base64), which the SDK's XML
 * parser builds a character at a time: most of a second for 20,000 users, a few milliseconds once
 * the text is a CDATA section (xml-text.ts).
 */
const LONG_TEXT_OPERATIONS: ReadonlySet<string> = new Set(['GetCredentialReport']);

/** The bytes the SDK's deserialiser is given for a successful answer of `operation`. */
export function forParsing(operation: string, body: Uint8Array): Uint8Array {
  return LONG_TEXT_OPERATIONS.has(operation) ? longTextsAsCdata(body) : body;
}
