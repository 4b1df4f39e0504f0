import { chmod, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, workdir } from './cli.js';

const target = 'targets:\n  - name: acct\n    connector-name: aws-account\n    aws-regions: eu-west-1\n';
/** No credentials anywhere: the AWS side fails fast and offline. */
const noAws = (dir: string) => ({ AWS_CONFIG_FILE: join(dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none') });

/** A usage or config error: exit 2, one clear message, never a stack trace. */
function expectCleanUsageError(result: { code: number | null; stderr: string }, message: RegExp): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/^\s+at /m);
}

describe('an output location that cannot exist', () => {
  const yaml = `file-backup-location: /proc/nope\n${target}`;

  it('run exits 2 at once naming the setting, its line, the path and the OS error (it used to spin forever)', async () => {
    const dir = await workdir(yaml);
    const started = Date.now();
    const result = await cli(['run'], { cwd: dir, env: noAws(dir) });
    expectCleanUsageError(result, /raito\.yml:line 1: file-backup-location: cannot create the folder \/proc\/nope: ENOENT: no such file or directory, mkdir '\/proc\/nope'/);
    expect(Date.now() - started).toBeLessThan(8_000);
  });

  it('demo -c exits 2 the same way', async () => {
    const dir = await workdir();
    await writeFile(join(dir, 'demo.yml'), yaml);
    const result = await cli(['demo', '-c', 'demo.yml'], { cwd: dir });
    expectCleanUsageError(result, /file-backup-location: cannot create the folder \/proc\/nope: ENOENT/);
  });

  it('check reports it as a failed check', async () => {
    const dir = await workdir(yaml);
    const result = await cli(['check'], { cwd: dir, env: noAws(dir) });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAIL sync target: the directory \/proc\/nope is not writable: ENOENT: no such file or directory, mkdir '\/proc\/nope' \(Set file-backup-location/m);
  });
});

describe('config checks that check and run share', () => {
  it('credentials in api-url are a config error and the password is never echoed', async () => {
    const dir = await workdir(`api-url: http://admin:pw-Secret-123@127.0.0.1:9/api\napi-user: u\napi-secret: s\n${target}`);
    const result = await cli(['run', '--log-file', 'x.log'], { cwd: dir, env: noAws(dir) });
    expectCleanUsageError(result, /raito\.yml:line 1: api-url: must not contain a user name or password \(put them in api-user and api-secret\)/);
    expect(`${result.stdout}${result.stderr}`).not.toContain('pw-Secret-123');
  });

  it('check rejects every target name run rejects, with file and line', async () => {
    const yaml = [
      'targets:',
      '  - name: a/b', // 2
      '    connector-name: aws-account',
      '  - name: ".."', // 4
      '    connector-name: aws-account',
      '  - name: "evil\\e[2J"', // 6
      '    connector-name: aws-account',
      '  - name: "nul\\0x"', // 8
      '    connector-name: aws-account',
    ].join('\n');
    const dir = await workdir(yaml);
    for (const command of ['check', 'run']) {
      const result = await cli([command], { cwd: dir, env: noAws(dir) });
      expectCleanUsageError(result, /raito\.yml:line 2: targets\[0\]\.name: must not contain "\/" or "\\" \(it becomes a folder name\)/);
      expect(result.stderr).toMatch(/raito\.yml:line 4: targets\[1\]\.name: "\.\." cannot be a target name/);
      expect(result.stderr).toMatch(/raito\.yml:line 6: targets\[2\]\.name: must not contain control characters/);
      expect(result.stderr).toMatch(/raito\.yml:line 8: targets\[3\]\.name: must not contain control characters/);
      expect(result.stderr).not.toContain('\u001b');
    }
  });

  it('a raito.yml that holds the api-secret and is readable by others gets a warning', async () => {
    const dir = await workdir(`api-secret: written-in-the-file-42\n${target}`);
    await chmod(join(dir, 'raito.yml'), 0o644);
    const result = await cli(['check'], { cwd: dir, env: noAws(dir) });
    expect(result.stderr).toMatch(/raito\.yml holds api-secret and is readable by other users \(mode 644\); run: chmod 600/);
    expect(result.stderr).not.toContain('written-in-the-file-42');
    await chmod(join(dir, 'raito.yml'), 0o600);
    expect((await cli(['check'], { cwd: dir, env: noAws(dir) })).stderr).not.toMatch(/readable by other users/);
  });
});

describe('no stack traces: bad input is exit 2 and one line', () => {
  it('demo -c a folder', async () => {
    const dir = await workdir();
    await mkdir(join(dir, 'conf'));
    expectCleanUsageError(await cli(['demo', '-c', 'conf'], { cwd: dir }), /config file .*conf is a directory, not a file/);
  });

  it('demo -c a missing file', async () => {
    const dir = await workdir();
    expectCleanUsageError(await cli(['demo', '-c', 'missing.yml'], { cwd: dir }), /config file .*missing\.yml does not exist/);
  });

  it('--log-level bogus', async () => {
    const dir = await workdir(target);
    expectCleanUsageError(await cli(['run', '--log-level', 'bogus'], { cwd: dir }), /--log-level "bogus" is not a log level/);
    expectCleanUsageError(await cli(['demo', '--log-level', 'bogus'], { cwd: dir }), /--log-level "bogus" is not a log level/);
  });

  it('--log-file in a folder that does not exist', async () => {
    const dir = await workdir(target);
    expectCleanUsageError(await cli(['run', '--log-file', '/nonexistent/x.log'], { cwd: dir, env: noAws(dir) }), /--log-file \/nonexistent\/x\.log cannot be opened: ENOENT/);
  });

  it('-c /dev/zero (a file without end) and a config over 1 MiB', async () => {
    const dir = await workdir();
    expectCleanUsageError(await cli(['run', '-c', '/dev/zero'], { cwd: dir }), /\/dev\/zero: the config file is larger than 1024 KiB/);
    await writeFile(join(dir, 'big.yml'), `# ${'x'.repeat(1024 * 1024)}\n${target}`);
    expectCleanUsageError(await cli(['run', '-c', 'big.yml'], { cwd: dir }), /big\.yml: the config file is larger than 1024 KiB/);
  });

  it('info nope --json prints JSON on stdout', async () => {
    const result = await cli(['info', 'nope', '--json'], { cwd: await workdir() });
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({ error: 'unknown connector "nope"', hint: expect.stringContaining('built-in connectors: aws-account') });
  });
});

describe('honest flags', () => {
  it('--help says which connectors honour --dry-run and --skip-data-usage-sync', async () => {
    const result = await cli(['run', '--help'], { cwd: await workdir() });
    const help = result.stdout.replace(/\s+/g, ' ');
    expect(help).toContain('--skip-data-usage-sync do not sync usage (connectors with a usage sync: aws-account)');
    expect(help).toContain('--dry-run plan the access export without changing AWS or committing to the sync API: prints the plan and writes plan.json next to the streams (the imports still run); honoured by: aws-account');
  });
});

describe('file modes', () => {
  it('the demo output and the log file are readable by their owner only', async () => {
    const dir = await workdir();
    const result = await cli(['demo', '--log-file', 'connector.log'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect((await stat(join(dir, 'connector.log'))).mode & 0o777).toBe(0o600);
    const base = join(dir, 'raito-sync');
    const [runId] = await readdir(join(base, 'demo'));
    const runDir = join(base, 'demo', runId!);
    for (const folder of [base, join(base, 'demo'), runDir]) expect(((await stat(folder)).mode & 0o777).toString(8), folder).toBe('700');
    const files = await readdir(runDir);
    expect(files).toContain('manifest.json');
    for (const file of files) expect(((await stat(join(runDir, file))).mode & 0o777).toString(8), file).toBe('600');
  });
});
