import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigError } from '../errors.js';

export interface LocateOptions {
  /** `--config-file`: when given, only this file is considered. */
  file?: string;
  cwd: string;
  home: string;
}

export const CREATE_CONFIG_HINT =
  'Create raito.yml in the current directory (copy raito.example.yml as a start) or pass --config-file <path>.';

/** The places searched, in order, when no explicit file is given. */
export function configSearchPaths(options: Pick<LocateOptions, 'cwd' | 'home'>): string[] {
  return [resolve(options.cwd, 'raito.yml'), resolve(options.cwd, 'raito.yaml'), join(options.home, '.raito', 'raito.yml')];
}

async function kindOf(path: string): Promise<'file' | 'directory' | 'other' | 'missing'> {
  try {
    const info = await stat(path);
    if (info.isFile()) return 'file';
    return info.isDirectory() ? 'directory' : 'other';
  } catch {
    return 'missing';
  }
}

/** Finds the config file: the explicit path, else ./raito.yml, ./raito.yaml, ~/.raito/raito.yml. Returns an absolute path. */
export async function locateConfigFile(options: LocateOptions): Promise<string> {
  if (options.file !== undefined) {
    const path = resolve(options.cwd, options.file);
    const kind = await kindOf(path);
    if (kind === 'file') return path;
    // "other" (a FIFO, a device) is let through: reading it reports any problem.
    if (kind === 'other') return path;
    const message = kind === 'directory' ? `config file ${path} is a directory, not a file` : `config file ${path} does not exist`;
    throw new ConfigError([{ path: '', message, file: path }], { hint: 'Check the path given to --config-file.' });
  }
  const candidates = configSearchPaths(options);
  for (const path of candidates) {
    if ((await kindOf(path)) === 'file') return path;
  }
  throw new ConfigError([{ path: '', message: `no config file found; looked at ${candidates.join(', ')}` }], { hint: CREATE_CONFIG_HINT });
}
