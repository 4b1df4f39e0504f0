import { documentTextsAsCdata, longTextsAsCdata } from './xml-text.js';

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
 * Rewrites that make the SDK's XML parser faster on an operation's answers without changing what
 * it reads (xml-text.ts). The parser builds the text of an element a character at a time: the
 * credential report's megabytes of base64 took most of a second, a page of 1,000 managed policies
 * a third of its parse time; as CDATA, a text is one search and one slice.
 */
const REWRITES: ReadonlyMap<string, (body: Uint8Array) => Uint8Array> = new Map([
  ['GetCredentialReport', longTextsAsCdata],
  ['GetAccountAuthorizationDetails', documentTextsAsCdata],
]);

/** The bytes the SDK's deserialiser is given for a successful answer of `operation`. */
export function forParsing(operation: string, body: Uint8Array): Uint8Array {
  return REWRITES.get(operation)?.(body) ?? body;
}
