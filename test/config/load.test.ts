import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, type Env, type LoadedConfig } from '../../src/config/index.js';
import { configError, issueAt, scenario, type Scenario } from './scenario.js';

let s: Scenario | undefined;
afterEach(async () => {
  await s?.cleanup();
  s = undefined;
});

/** Writes the text as ./raito.yml of a fresh project and loads it. */
async function load(text: string, env: Env = {}): Promise<LoadedConfig> {
  s = await scenario({ 'project/raito.yml': text });
  return loadConfig({ cwd: s.cwd, home: s.home, env });
}

const file = () => join(s?.cwd ?? '', 'raito.yml');

describe('loading raito.yml', () => {
  it('reads the first-sync guide example, with {{VAR}} substitution and coerced strings', async () => {
    const config = await load(
      [
        'api-user: "{{RAITO_USER}}"', //                                     1
        'api-secret: "{{ RAITO_API_KEY }}"', //                               2
        'domain: "{{DOMAIN}}"', //                                            3
        '', //                                                                4
        'targets:', //                                                        5
        '  - name: aws-organization', //                                      6
        '    connector-name: raito-io/cli-plugin-aws-organization', //       7
        '    identity-store-id: "is-1"', //                                   8
        '    aws-account-id: 123456789012', //                                9
        '  - name: aws-account', //                                           10
        '    connector-name: raito-io/cli-plugin-aws-account', //            11
        '    data-source-id: 42', //                                          12
        '    skip-data-usage-sync: "true"', //                               13
        '    skip-identity-store-sync: false', //                            14
        '    aws-regions: "eu-west-1,{{SECOND_REGION}}"', //                 15
        '    aws-s3-enabled: false', //                                       16
        '    aws-concurrency: "5"', //                                        17
        '    aws-access-role-excludes: AWS.+,aws.+,cdk.+', //                18
      ].join('\n'),
      { RAITO_USER: 'robot', RAITO_API_KEY: 's3cr3t', DOMAIN: 'acme', SECOND_REGION: 'us-east-1' },
    );
    expect(config).toEqual({
      file: file(),
      apiUser: 'robot',
      apiSecret: 's3cr3t',
      domain: 'acme',
      targets: [
        {
          name: 'aws-organization',
          connectorName: 'raito-io/cli-plugin-aws-organization',
          identityStoreId: 'is-1',
          skip: { dataSource: false, identityStore: false, dataAccess: false, dataUsage: false },
          raw: { 'aws-account-id': 123456789012 },
          lines: { name: 6, 'connector-name': 7, 'identity-store-id': 8, 'aws-account-id': 9 },
          line: 6,
          index: 0,
        },
        {
          name: 'aws-account',
          connectorName: 'raito-io/cli-plugin-aws-account',
          dataSourceId: '42',
          skip: { dataSource: false, identityStore: false, dataAccess: false, dataUsage: true },
          raw: {
            'aws-regions': 'eu-west-1,us-east-1',
            'aws-s3-enabled': false,
            'aws-concurrency': '5',
            'aws-access-role-excludes': 'AWS.+,aws.+,cdk.+',
          },
          lines: {
            name: 10,
            'connector-name': 11,
            'data-source-id': 12,
            'skip-data-usage-sync': 13,
            'skip-identity-store-sync': 14,
            'aws-regions': 15,
            'aws-s3-enabled': 16,
            'aws-concurrency': 17,
            'aws-access-role-excludes': 18,
          },
          line: 10,
          index: 1,
        },
      ],
    });
  });

  it('names the key, its line and the variable when an environment variable is missing', async () => {
    const error = await configError(() =>
      load('api-user: robot\napi-secret: "{{RAITO_API_KEY}}"\ntargets:\n  - name: t\n    connector-name: c\n    aws-profile: "{{PROFILE}}-x"\n'),
    );
    expect(error.issues).toEqual([
      { path: 'api-secret', message: 'environment variable RAITO_API_KEY is not set (used as {{RAITO_API_KEY}})', file: file(), line: 2 },
      { path: 'targets[0].aws-profile', message: 'environment variable PROFILE is not set (used as {{PROFILE}})', file: file(), line: 6 },
    ]);
    expect(error.message).toContain(`${file()}:line 2: api-secret: environment variable RAITO_API_KEY is not set`);
  });

  it('takes an empty environment variable as set, and leaves {{...}} that is no variable name alone', async () => {
    const config = await load('targets:\n  - name: t\n    connector-name: c\n    a: "x{{EMPTY}}y"\n    b: "{{not a var}}"\n', { EMPTY: '' });
    expect(config.targets[0]?.raw).toEqual({ a: 'xy', b: '{{not a var}}' });
  });

  it('fills unset global settings from RAITO_* variables, while the file wins', async () => {
    const env = {
      RAITO_API_URL: 'https://env.example.com',
      RAITO_API_USER: 'env-user',
      RAITO_API_SECRET: 'env-secret',
      RAITO_DOMAIN: 'env-domain',
      RAITO_FILE_BACKUP_LOCATION: '/var/backup',
    };
    const config = await load('api-user: file-user\ndomain:\napi-secret: ""\ntargets:\n  - name: t\n    connector-name: c\n', env);
    expect(config).toMatchObject({
      apiUrl: 'https://env.example.com',
      apiUser: 'file-user',
      apiSecret: 'env-secret',
      domain: 'env-domain',
      fileBackupLocation: '/var/backup',
    });
  });

  it('checks an api-url from the environment too, saying where it came from', async () => {
    const error = await configError(() => load('targets:\n  - name: t\n    connector-name: c\n', { RAITO_API_URL: 'not a url' }));
    const issue = issueAt(error, 'api-url');
    expect(issue.message).toContain('http(s) URL');
    expect(issue.message).toContain('RAITO_API_URL');
    expect(issue.line).toBeUndefined();
  });

  it('reports a YAML syntax error with its line and the parser message', async () => {
    const error = await configError(() => load('api-user: robot\ntargets:\n  - name: t\n    connector-name: [c\n  x: 1\n'));
    expect(error.issues.length).toBeGreaterThan(0);
    const first = error.issues[0];
    expect(first?.file).toBe(file());
    expect(first?.line).toBe(5);
    expect(first?.message).toMatch(/^YAML syntax error: .*indented/);
  });

  it('stops listing YAML syntax errors after ten', async () => {
    const error = await configError(() => load(Array.from({ length: 30 }, (_, i) => `k${i}: [\n`).join('') + 'x: ]]]]]]]]]]]]]]]]]]]]]]\n'));
    expect(error.issues).toHaveLength(11);
    expect(error.issues[10]?.message).toMatch(/^and \d+ more YAML syntax errors$/);
  });

  it('reports a duplicate key as a YAML error with its line', async () => {
    const error = await configError(() => load('domain: a\ndomain: b\ntargets:\n  - name: t\n    connector-name: c\n'));
    expect(error.issues).toEqual([{ path: '', message: 'YAML syntax error: Map keys must be unique (column 1)', file: file(), line: 2 }]);
  });

  it('names an unknown global setting with the nearest known one', async () => {
    const error = await configError(() => load('api-user: robot\napi-secert: x\nlog-level: debug\ntargets:\n  - name: t\n    connector-name: c\n'));
    expect(error.issues).toEqual([
      { path: 'api-secert', message: 'unknown setting "api-secert" (did you mean api-secret?)', file: file(), line: 2 },
      { path: 'log-level', message: 'unknown setting "log-level"', file: file(), line: 3 },
    ]);
  });

  it('says "no targets" when targets is missing, empty or null', async () => {
    for (const text of ['api-user: robot\n', 'api-user: robot\ntargets: []\n', 'api-user: robot\ntargets:\n']) {
      const error = await configError(() => load(text));
      expect(issueAt(error, 'targets').message).toMatch(/^no targets/);
      await s?.cleanup();
    }
  });

  it('says what is wrong with an empty file or a file that is no mapping', async () => {
    expect((await configError(() => load(''))).message).toContain('the file is empty');
    await s?.cleanup();
    const error = await configError(() => load('- name: t\n  connector-name: c\n'));
    expect(error.issues).toEqual([{ path: '', message: expect.stringContaining('got a list') as unknown, file: file(), line: 1 }]);
  });

  it('requires connector-name and name on each target, at the target line', async () => {
    const error = await configError(() =>
      load('targets:\n  - name: first\n    aws-regions: eu-west-1\n  - connector-name: c\n  - name: ""\n    connector-name: c\n  - just-text\n'),
    );
    expect(issueAt(error, 'targets[0].connector-name')).toMatchObject({ message: 'is mandatory but not set', line: 2 });
    expect(issueAt(error, 'targets[1].name')).toMatchObject({ message: 'is mandatory but not set', line: 4 });
    expect(issueAt(error, 'targets[2].name')).toMatchObject({ message: 'is mandatory but not set', line: 5 });
    expect(issueAt(error, 'targets[3]')).toMatchObject({ message: expect.stringContaining('must be a mapping') as unknown, line: 7 });
  });

  it('rejects duplicate target names, pointing at both', async () => {
    const error = await configError(() =>
      load('targets:\n  - name: aws\n    connector-name: a\n  - name: other\n    connector-name: a\n  - name: aws\n    connector-name: b\n'),
    );
    expect(error.issues).toEqual([
      { path: 'targets[2].name', message: 'duplicate target name "aws" (also used by targets[0] at line 2)', file: file(), line: 6 },
    ]);
  });

  it('rejects skip flags that are not booleans and text settings that are structures, with lines', async () => {
    const error = await configError(() =>
      load('api-user:\n  nested: x\ntargets:\n  - name: t\n    connector-name: c\n    skip-data-source-sync: sometimes\n    data-source-id: [1, 2]\n'),
    );
    expect(issueAt(error, 'api-user')).toMatchObject({ message: 'expected a text value, got a mapping', line: 1 });
    expect(issueAt(error, 'targets[0].skip-data-source-sync')).toMatchObject({ message: 'expected true or false, got "sometimes"', line: 6 });
    expect(issueAt(error, 'targets[0].data-source-id')).toMatchObject({ message: 'expected a text value, got a list', line: 7 });
  });

  it('accepts the skip flags as strings in any case, and yes/no', async () => {
    const config = await load(
      'targets:\n  - name: t\n    connector-name: c\n    skip-data-source-sync: "TRUE"\n    skip-identity-store-sync: "yes"\n    skip-data-access-sync: "false"\n    skip-data-usage-sync: 1\n',
    );
    expect(config.targets[0]?.skip).toEqual({ dataSource: true, identityStore: true, dataAccess: false, dataUsage: true });
  });

  it('rejects an api-url that is not http(s)', async () => {
    const error = await configError(() => load('api-url: ftp://example.com\ntargets:\n  - name: t\n    connector-name: c\n'));
    expect(issueAt(error, 'api-url')).toMatchObject({ line: 1, message: expect.stringContaining('http(s) URL') as unknown });
  });

  it('collects every issue of the file into one error', async () => {
    const error = await configError(() => load('api-secrit: "{{NOPE}}"\ntargets:\n  - name: a\n  - name: a\n    connector-name: c\n'));
    expect(error.issues.map((i) => i.path)).toEqual(['api-secrit', 'api-secrit', 'targets[0].connector-name', 'targets[1].name']);
  });

  it('shares target parameters through YAML anchors and merge keys', async () => {
    const config = await load(
      'targets:\n  - &base\n    name: one\n    connector-name: c\n    aws-regions: eu-west-1\n  - <<: *base\n    name: two\n',
    );
    expect(config.targets.map((t) => [t.name, t.raw['aws-regions'], t.line])).toEqual([
      // An anchored item starts where its mapping does, the line after "- &base".
      ['one', 'eu-west-1', 3],
      ['two', 'eu-west-1', 6],
    ]);
  });

  it('reports a cyclic alias instead of looping', async () => {
    const error = await configError(() => load('targets:\n  - name: t\n    connector-name: c\n    loop: &a [1, *a]\n'));
    expect(issueAt(error, 'targets[0].loop[1]').message).toContain('cycle');
  });

  it('reads an explicit --config-file', async () => {
    s = await scenario({ 'elsewhere/conf.yaml': 'targets:\n  - name: t\n    connector-name: c\n' });
    const config = await loadConfig({ file: join(s.root, 'elsewhere/conf.yaml'), cwd: s.cwd, home: s.home, env: {} });
    expect(config.file).toBe(join(s.root, 'elsewhere/conf.yaml'));
    expect(config.targets).toHaveLength(1);
  });
});

describe('access-providers-to-export (a target key of the host)', () => {
  it('is read by the host, resolved against the config file folder, and not handed to the plugin', async () => {
    const config = await load('targets:\n  - name: t\n    connector-name: aws-account\n    access-providers-to-export: exports/to-export.jsonl\n');
    const [target] = config.targets;
    expect(target?.exportFile).toBe(join(s?.cwd ?? '', 'exports', 'to-export.jsonl'));
    expect(target?.raw).toEqual({});
  });

  it('keeps an absolute path as it is; blank means not set, like every other key; a mapping is an error at its line', async () => {
    const config = await load('targets:\n  - name: t\n    connector-name: aws-account\n    access-providers-to-export: /data/export.jsonl\n');
    expect(config.targets[0]?.exportFile).toBe('/data/export.jsonl');
    expect((await load('targets:\n  - name: t\n    connector-name: aws-account\n    access-providers-to-export: ""\n')).targets[0]?.exportFile).toBeUndefined();
    const error = await configError(() => load('targets:\n  - name: t\n    connector-name: aws-account\n    access-providers-to-export:\n      file: x\n'));
    expect(issueAt(error, 'targets[0].access-providers-to-export')).toMatchObject({ message: 'expected a text value, got a mapping', line: 4 });
  });
});
