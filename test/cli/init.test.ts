import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { cli, workdir } from './cli.js';

const editorSchema = async () => z.fromJSONSchema(JSON.parse(await readFile(new URL('../../docs/schemas/raito.schema.json', import.meta.url), 'utf8')) as never);

describe('connector init', () => {
  it('writes a raito.yml for the chosen regions and the API, with secrets as {{VAR}}, that connector check accepts', async () => {
    const dir = await workdir();
    const init = await cli(['init', '--regions', 'eu-west-1,us-east-1', '--api-url', 'http://127.0.0.1:9/api'], { cwd: dir });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toBe(
      [
        `Wrote ${join(dir, 'raito.yml')} with 1 target(s): aws-account.`,
        'Set the environment variables RAITO_API_USER, RAITO_API_SECRET (the file reads them as {{VAR}}).',
        'Next: fill in the values marked <...>, then run "connector check".',
        '',
      ].join('\n'),
    );
    const text = await readFile(join(dir, 'raito.yml'), 'utf8');
    expect(text).toMatch(/^# yaml-language-server: \$schema=\S+\/docs\/schemas\/raito\.schema\.json\n/);
    const written = parse(text) as Record<string, unknown>;
    expect(written).toMatchObject({ 'api-url': 'http://127.0.0.1:9/api', 'api-user': '{{RAITO_API_USER}}', 'api-secret': '{{RAITO_API_SECRET}}' });
    expect(written.targets).toEqual([
      {
        name: 'aws-account',
        'connector-name': 'aws-account',
        'data-source-id': '<data source id in the cloud>',
        'identity-store-id': '<identity store id in the cloud>',
        'aws-regions': 'eu-west-1,us-east-1',
        'aws-s3-enabled': true,
        'aws-glue-enabled': false,
      },
    ]);
    expect((await editorSchema()).safeParse(written).error).toBeUndefined();

    const check = await cli(['check', '--only-targets', 'aws-account'], { cwd: dir, env: { RAITO_API_USER: 'connector', RAITO_API_SECRET: 's3cr3t-value' } });
    expect(check.stdout.split('\n')[0]).toBe(`ok   config ${join(dir, 'raito.yml')}: 1 target(s) valid`);
    // The check of the unreachable sync API retries before it gives up.
  }, 60_000);

  it('--glue: data objects from the Glue catalog; without --api-url the runs go to a local folder', async () => {
    const dir = await workdir();
    const init = await cli(['init', '--glue', '-c', 'conf/raito.yml'], { cwd: dir });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('Next: run "connector check -c conf/raito.yml".');
    const written = parse(await readFile(join(dir, 'conf', 'raito.yml'), 'utf8')) as Record<string, unknown>;
    expect(written['api-url']).toBeUndefined();
    expect(written.targets).toEqual([{ name: 'aws-account', 'connector-name': 'aws-account', 'aws-s3-enabled': false, 'aws-glue-enabled': true }]);
    const check = await cli(['check', '-c', 'conf/raito.yml'], { cwd: dir });
    expect(check.stdout).toContain(`ok   config ${join(dir, 'conf', 'raito.yml')}: 1 target(s) valid`);
    expect(check.stdout).toContain('ok   sync target:');
  });

  it('never overwrites an existing file without --force', async () => {
    const dir = await workdir('# my own config\n');
    const refused = await cli(['init'], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`Error: ${join(dir, 'raito.yml')} already exists\nHint: use --force to overwrite it, or -c <path> to write another file\n`);
    expect(await readFile(join(dir, 'raito.yml'), 'utf8')).toBe('# my own config\n');

    const forced = await cli(['init', '--force'], { cwd: dir });
    expect(forced.code, forced.stderr).toBe(0);
    expect(await readFile(join(dir, 'raito.yml'), 'utf8')).toContain('connector-name: aws-account');
  });

  it('refuses flags that would make an invalid file, and writes nothing', async () => {
    const dir = await workdir();
    const region = await cli(['init', '--regions', 'eu-west-1,mars-1'], { cwd: dir });
    expect(region.code).toBe(2);
    expect(region.stderr).toContain('targets[0].aws-regions: "mars-1" does not look like an AWS region (for example eu-central-1)');
    const url = await cli(['init', '--api-url', 'ftp://example.com'], { cwd: dir });
    expect(url.code).toBe(2);
    expect(url.stderr).toContain('api-url: expected an http(s) URL');
    const connector = await cli(['init', '--connector', 'aws-acount'], { cwd: dir });
    expect(connector.code).toBe(2);
    expect(connector.stderr).toContain('Error: --connector: "aws-acount" is not a built-in connector');
    await expect(readFile(join(dir, 'raito.yml'), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('an existing file is left alone even when the flags are bad', async () => {
    const dir = await workdir();
    await writeFile(join(dir, 'raito.yml'), 'x: 1\n');
    expect((await cli(['init', '--regions', 'mars-1'], { cwd: dir })).code).toBe(2);
    expect(await readFile(join(dir, 'raito.yml'), 'utf8')).toBe('x: 1\n');
  });
});
