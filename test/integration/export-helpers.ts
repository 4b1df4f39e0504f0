import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AccessProviderToExport } from '../../src/model/index.js';

/** Mutating AWS operations of the export, as the run summary names them. */
const MUTATING = /^(IAM|S3Control|SSOAdmin)\.(Create|Put|Delete|Attach|Detach|Update|Tag|Untag|Set|Remove|Add|Provision)/;

/** Writes the access providers to export where the test config's `access-providers-to-export` points. */
export async function writeExport(dir: string, providers: Partial<AccessProviderToExport>[]): Promise<void> {
  await writeFile(join(dir, 'to-export.jsonl'), providers.map((p) => JSON.stringify(p)).join('\n') + '\n');
}

/** The mutating calls of the summary's call table, as `Service.Operation count`. */
export function mutatingCalls(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter(([op]) => op !== undefined && MUTATING.test(op))
    .map(([op, n]) => `${op} ${n}`);
}
