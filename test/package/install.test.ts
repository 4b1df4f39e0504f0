import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    // The real HOME: npm's cache (~/.npm) is what lets the install work without the network.
    const child = spawn(command, args, { cwd, env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * The package as users get it: `npm pack`, then `npm install ./aws-access-connector-<v>.tgz` into
 * an empty folder, far from the source tree. This is also what the Dockerfile in docs/deploy/ does.
 */
describe('the npm package', () => {
  let dir: string;
  let app: string;
  let packed: { files: { path: string }[]; filename: string };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'connector-package-'));
    app = join(dir, 'app');
    // dist/ is fresh (the test setup built it), so pack skips the prepare script's second build.
    const pack = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], root);
    expect(pack.code, pack.stderr).toBe(0);
    packed = (JSON.parse(pack.stdout) as (typeof packed)[])[0]!;
    await mkdir(app);
    await writeFile(join(app, 'package.json'), '{ "name": "connector-install-check", "private": true }\n');
    const args = ['install', '--no-audit', '--no-fund', '--loglevel', 'error', join(dir, packed.filename)];
    // Offline from npm's cache when it holds every package; else the registry fills the gaps.
    let install = await run('npm', [...args, '--offline'], app);
    if (install.code !== 0) install = await run('npm', [...args, '--prefer-offline'], app);
    expect(install.code, install.stderr).toBe(0);
  }, 300_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('holds only what runs: bin/, dist/, docs/schemas/ and the package files; no sources, tests or dev tools', () => {
    const tops = new Set(packed.files.map((f) => (f.path.includes('/') ? `${f.path.split('/')[0]}/` : f.path)));
    expect([...tops].sort()).toEqual(['LICENSE', 'README.md', 'bin/', 'dist/', 'docs/', 'package.json']);
    expect(packed.files.filter((f) => f.path.startsWith('docs/') && !f.path.startsWith('docs/schemas/'))).toEqual([]);
    expect(packed.files.map((f) => f.path)).toEqual(expect.arrayContaining(['bin/connector.js', 'dist/cli/main.js', 'docs/schemas/raito.schema.json', 'docs/schemas/run-summary.schema.json']));
  });

  it('installs without dev dependencies', async () => {
    const installed = await readdir(join(app, 'node_modules'));
    expect(installed).toEqual(expect.arrayContaining(['aws-access-connector', 'commander', 'zod']));
    for (const dev of ['vitest', 'typescript', 'eslint', 'aws-sdk-client-mock', 'fast-check']) expect(installed, dev).not.toContain(dev);
  });

  it('npx connector --version prints the package version', async () => {
    const result = await run('npx', ['--no-install', 'connector', '--version'], app);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`${version}\n`);
  });

  it('npx connector info aws-account lists the parameters', async () => {
    const result = await run('npx', ['--no-install', 'connector', 'info', 'aws-account'], app);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe(`aws-account ${version}`);
    expect(result.stdout).toContain('  aws-regions (list, optional)');
  });

  it('npx connector demo syncs the sample account into the folder', async () => {
    const result = await run('npx', ['--no-install', 'connector', 'demo', '--summary-file', 'summary.json'], app);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Target demo \(aws-account\): succeeded/);
    const summary = JSON.parse(await readFile(join(app, 'summary.json'), 'utf8')) as { connectorVersion: string; targets: { location: string }[] };
    expect(summary.connectorVersion).toBe(version);
    expect(summary.targets[0]!.location.startsWith(join(app, 'raito-sync', 'demo'))).toBe(true);
  });
});

/**
 * The runtime stage of docs/deploy/Dockerfile without Docker (it cannot be built here): the lock
 * file's runtime dependencies, then bin/, dist/ and docs/schemas/, run from another working folder.
 */
describe('the Dockerfile runtime steps', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'connector-image-'));
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('npm ci --omit=dev --ignore-scripts, copy what the package holds, and the entrypoint runs the demo', async () => {
    const opt = join(dir, 'opt', 'connector');
    const work = join(dir, 'work');
    await mkdir(opt, { recursive: true });
    await mkdir(work);
    for (const file of ['package.json', 'package-lock.json']) await cp(join(root, file), join(opt, file));
    const args = ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel', 'error'];
    let install = await run('npm', [...args, '--offline'], opt);
    if (install.code !== 0) install = await run('npm', [...args, '--prefer-offline'], opt);
    expect(install.code, install.stderr).toBe(0);
    for (const path of ['bin', 'dist', 'docs/schemas']) await cp(join(root, path), join(opt, path), { recursive: true });

    const result = await run(process.execPath, [join(opt, 'bin', 'connector.js'), 'demo', '--output', 'json'], work);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'succeeded', exitCode: 0, connectorVersion: version });
    expect((await readdir(join(work, 'raito-sync', 'demo'))).filter((e) => e !== 'usage-cursor.json')).toHaveLength(1);
  }, 300_000);
});
