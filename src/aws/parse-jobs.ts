// What the main thread and the response parsing workers (parse-worker.ts) exchange. Plain data
// only: this module is loaded by the workers, so it imports nothing of the connector.

/**
 * The successful responses worth parsing on another thread: the pages that large accounts have
 * many of, in XML, whose parsing costs more than handing the result back (a page of 1,000
 * managed policies takes ~7 ms to parse, ~4 ms to receive).
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
