import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, parse, resolve } from 'node:path';

/** Files the connector writes hold the access picture of an account: readable by the owner only. */
export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;

/** A hidden temporary name next to `path`, so the rename that publishes it stays on one file system. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${randomBytes(6).toString('hex')}`);
}

/**
 * Makes a rename durable: on POSIX the new directory entry is only on disk once the directory
 * itself is fsynced. Some platforms (Windows) cannot open a directory; that is not worth failing for.
 */
export async function fsyncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // best effort, see above
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * Writes `data` to `path` so that readers see either the old file or the complete new one:
 * write a temporary file, fsync it, rename it over `path`, fsync the directory.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempPathFor(path);
  const handle = await open(tmp, 'wx', FILE_MODE);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  try {
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await fsyncDir(dirname(path));
}

/**
 * Creates `path` and its missing parents (mode 0700), one level at a time. Node's own
 * `mkdir({ recursive: true })` never returns for some impossible paths (`/proc/nope` loops in the
 * thread pool), so it is not used: here every level fails fast with the OS error of that level.
 */
export async function ensureDir(path: string): Promise<void> {
  const target = resolve(path);
  const missing: string[] = [];
  let dir = target;
  for (;;) {
    const info = await stat(dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw err;
    });
    if (info) {
      if (!info.isDirectory()) throw Object.assign(new Error(`ENOTDIR: not a directory, ${dir}`), { code: 'ENOTDIR', path: dir });
      break;
    }
    missing.push(dir);
    if (dir === parse(dir).root) break;
    dir = dirname(dir);
  }
  for (const level of missing.reverse()) {
    await mkdir(level, { mode: DIR_MODE }).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    });
  }
}
