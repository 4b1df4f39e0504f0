import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { ConfigError, type ConfigIssue } from '../../src/errors.js';
import type { ConnectorPlugin } from '../../src/plugin-api/contract.js';

/** A temp directory with a project dir (cwd) and a home dir, holding the given files. */
export interface Scenario {
  root: string;
  cwd: string;
  home: string;
  /** Writes `text` at a path relative to the scenario root (e.g. `project/raito.yml`, `home/.raito/raito.yml`). */
  write(path: string, text: string): Promise<string>;
  cleanup(): Promise<void>;
}

export async function scenario(files: Record<string, string> = {}): Promise<Scenario> {
  const root = await mkdtemp(join(tmpdir(), 'config-test-'));
  const cwd = join(root, 'project');
  const home = join(root, 'home');
  await mkdir(cwd, { recursive: true });
  await mkdir(home, { recursive: true });
  const write = async (path: string, text: string): Promise<string> => {
    const full = join(root, path);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, text);
    return full;
  };
  for (const [path, text] of Object.entries(files)) await write(path, text);
  return { root, cwd, home, write, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** Runs `action`, expects a ConfigError, and returns it for closer checks. */
export async function configError(action: () => unknown): Promise<ConfigError> {
  try {
    await action();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError, but nothing was thrown');
}

/** The one issue with this path (fails when there is none or several). */
export function issueAt(error: ConfigError, path: string): ConfigIssue {
  const found = error.issues.filter((issue) => issue.path === path);
  expect(found, `issues at ${path} in:\n${error.message}`).toHaveLength(1);
  return found[0] as ConfigIssue;
}

/** A small plugin with the kinds of parameters the AWS account plugin has. */
export const fakePlugin: ConnectorPlugin = {
  name: 'fake-account',
  description: 'a fake plugin for config tests',
  version: '0.0.0',
  parameters: [
    { name: 'aws-account-id', description: 'account', type: 'string', mandatory: true },
    { name: 'aws-regions', description: 'regions', type: 'list' },
    { name: 'aws-concurrency', description: 'parallel calls', type: 'integer', default: 5 },
    { name: 'aws-s3-enabled', description: 'read S3', type: 'boolean', default: true },
    { name: 'aws-glue-enabled', description: 'read Glue', type: 'boolean', default: false },
    { name: 'aws-access-role-excludes', description: 'roles to skip', type: 'regex-list' },
  ],
  validate: (params) =>
    params['aws-s3-enabled'] === true && params['aws-glue-enabled'] === true
      ? [{ parameter: 'aws-glue-enabled', message: 'cannot be enabled together with aws-s3-enabled' }]
      : [],
  metadata: () => {
    throw new Error('not used in config tests');
  },
  syncs: {},
};
