import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConnectorError, errorMessage, type ErrorCode } from '../errors.js';
import { AccessProviderToExport } from '../model/index.js';
import { jsonLines, type JsonLine } from '../streams/read.js';

/**
 * Parses JSONL lines into access providers to export; every problem names where it is
 * (`<source>:<line>`), so a user can fix the file or report the server's answer.
 */
export async function* parseAccessProvidersToExport(
  lines: AsyncIterable<JsonLine>,
  source: string,
  code: ErrorCode = 'sync-target',
): AsyncGenerator<AccessProviderToExport> {
  for await (const { text, lineNumber } of lines) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new ConnectorError(code, `${source}:${lineNumber}: not valid JSON: ${errorMessage(err)}`, {
        hint: 'The access providers to export are JSONL: one JSON object per line.',
        cause: err,
      });
    }
    const parsed = AccessProviderToExport.safeParse(value);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(line)'}: ${i.message}`);
      throw new ConnectorError(code, `${source}:${lineNumber}: not a valid access provider to export: ${issues.join('; ')}`, {
        hint: 'See docs/schemas/access-provider-to-export.schema.json for the expected fields.',
        cause: parsed.error,
      });
    }
    yield parsed.data;
  }
}

/** Reads the `access-providers-to-export` file (JSONL, gzip when it is gzip) of the directory target. */
export async function* readExportFile(file: string): AsyncGenerator<AccessProviderToExport> {
  const path = resolve(file);
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new Error('not a regular file');
  } catch (err) {
    throw new ConnectorError('sync-target', `access-providers-to-export file ${path} cannot be read: ${errorMessage(err)}`, {
      hint: 'Check the access-providers-to-export parameter of the target.',
      cause: err,
    });
  }
  yield* parseAccessProvidersToExport(jsonLines(createReadStream(path)), path);
}
