import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, validateTargetParameters, type LoadedConfig } from '../../src/config/index.js';
import type { ConnectorPlugin } from '../../src/plugin-api/contract.js';
import { configError, fakePlugin, issueAt, scenario, type Scenario } from './scenario.js';

let s: Scenario | undefined;
afterEach(async () => {
  await s?.cleanup();
  s = undefined;
});

/** Loads a raito.yml whose first target uses the fake plugin, with the given parameter lines (from line 4 on). */
async function target(...parameterLines: string[]): Promise<{ config: LoadedConfig; validate: (plugin?: ConnectorPlugin) => unknown }> {
  const text = ['targets:', '  - name: aws-account', '    connector-name: fake-account', ...parameterLines.map((l) => `    ${l}`)].join('\n');
  s = await scenario({ 'project/raito.yml': `${text}\n` });
  const config = await loadConfig({ cwd: s.cwd, home: s.home, env: {} });
  const first = config.targets[0];
  if (!first) throw new Error('no target loaded');
  return { config, validate: (plugin = fakePlugin) => validateTargetParameters(first, plugin, config.file) };
}

describe('checking a target against its plugin', () => {
  it('coerces strings as raito.yml writes them and applies defaults', async () => {
    const { validate } = await target(
      'aws-account-id: 123456789012',
      'aws-regions: "eu-west-1, us-east-1"',
      'aws-concurrency: "8"',
      'aws-s3-enabled: "true"',
      'aws-access-role-excludes: AWS.+,cdk.+',
    );
    const params = validate() as Record<string, unknown>;
    expect(params).toMatchObject({
      'aws-account-id': '123456789012',
      'aws-regions': ['eu-west-1', 'us-east-1'],
      'aws-concurrency': 8,
      'aws-s3-enabled': true,
      'aws-glue-enabled': false,
    });
    expect((params['aws-access-role-excludes'] as RegExp[]).map((r) => r.test('AWSServiceRole'))).toEqual([true, false]);
  });

  it('accepts a YAML list for a list parameter', async () => {
    const { validate } = await target('aws-account-id: "1"', 'aws-regions: [eu-west-1, us-east-1]');
    expect(validate()).toMatchObject({ 'aws-regions': ['eu-west-1', 'us-east-1'], 'aws-concurrency': 5 });
  });

  it('names a misspelt parameter with the nearest known one and its line', async () => {
    const { config, validate } = await target('aws-account-id: "1"', 'aws-regoins: eu-west-1', 'totally-unrelated: x');
    const error = await configError(() => validate());
    expect(error.issues).toEqual([
      { path: 'targets[0].aws-regoins', message: 'unknown parameter for connector fake-account (did you mean aws-regions?)', file: config.file, line: 5 },
      { path: 'targets[0].totally-unrelated', message: 'unknown parameter for connector fake-account', file: config.file, line: 6 },
    ]);
    expect(error.hint).toContain('connector info fake-account');
  });

  it('suggests a target key too when one is misspelt', async () => {
    const { validate } = await target('aws-account-id: "1"', 'data-source-di: ds');
    const error = await configError(() => validate());
    expect(issueAt(error, 'targets[0].data-source-di').message).toContain('did you mean data-source-id?');
  });

  it('reports a value of the wrong type with its line', async () => {
    const { config, validate } = await target('aws-account-id: "1"', 'aws-concurrency: many', 'aws-s3-enabled: maybe');
    const error = await configError(() => validate());
    expect(error.issues).toEqual([
      { path: 'targets[0].aws-concurrency', message: 'expected a whole number, got "many"', file: config.file, line: 5 },
      { path: 'targets[0].aws-s3-enabled', message: 'expected true or false, got "maybe"', file: config.file, line: 6 },
    ]);
    expect(error.message).toContain(`${config.file}:line 5: targets[0].aws-concurrency: expected a whole number, got "many"`);
  });

  it('reports a missing mandatory parameter at the target line', async () => {
    const { config, validate } = await target('aws-regions: eu-west-1');
    const error = await configError(() => validate());
    expect(error.issues).toEqual([{ path: 'targets[0].aws-account-id', message: 'is mandatory but not set', file: config.file, line: 2 }]);
  });

  it('reports a mapping where a value belongs, once', async () => {
    const { validate } = await target('aws-account-id:', '  nested: 1');
    const error = await configError(() => validate());
    expect(error.issues).toEqual([expect.objectContaining({ path: 'targets[0].aws-account-id', message: 'expected a value or a list of values, got a mapping', line: 4 })]);
  });

  it("adds the plugin's own cross checks, at the parameter's line", async () => {
    const { validate } = await target('aws-account-id: "1"', 'aws-glue-enabled: true');
    const error = await configError(() => validate());
    expect(issueAt(error, 'targets[0].aws-glue-enabled')).toMatchObject({ message: 'cannot be enabled together with aws-s3-enabled', line: 5 });
  });

  it('uses the target line for a cross-check problem on a parameter that is not written', async () => {
    const plugin: ConnectorPlugin = { ...fakePlugin, validate: () => [{ parameter: 'aws-regions', message: 'needs at least one region' }] };
    const { config, validate } = await target('aws-account-id: "1"');
    const error = await configError(() => validate(plugin));
    expect(error.issues).toEqual([{ path: 'targets[0].aws-regions', message: 'needs at least one region', file: config.file, line: 2 }]);
  });

  it('collects all problems of a target at once, and skips cross checks on untyped values', async () => {
    let crossChecked = false;
    const plugin: ConnectorPlugin = {
      ...fakePlugin,
      validate: () => {
        crossChecked = true;
        return [];
      },
    };
    const { validate } = await target('aws-regoins: x', 'aws-concurrency: many');
    const error = await configError(() => validate(plugin));
    expect(error.issues.map((i) => i.path)).toEqual(['targets[0].aws-regoins', 'targets[0].aws-account-id', 'targets[0].aws-concurrency']);
    expect(crossChecked).toBe(false);
  });

  it('keeps a __proto__ key as plain data and reports it as unknown', async () => {
    const { config, validate } = await target('aws-account-id: "1"', '__proto__: { polluted: true }');
    expect(Object.keys(config.targets[0]?.raw ?? {})).toEqual(['aws-account-id', '__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const error = await configError(() => validate());
    expect(issueAt(error, 'targets[0].__proto__').message).toBe('unknown parameter for connector fake-account');
  });

  it('uses the index of the target in the file for paths', async () => {
    s = await scenario({
      'project/raito.yml': 'targets:\n  - name: a\n    connector-name: x\n  - name: b\n    connector-name: fake-account\n    aws-concurency: 3\n',
    });
    const config = await loadConfig({ cwd: s.cwd, home: s.home, env: {} });
    const second = config.targets[1];
    if (!second) throw new Error('no second target');
    const error = await configError(() => validateTargetParameters(second, fakePlugin, config.file));
    expect(issueAt(error, 'targets[1].aws-concurency')).toMatchObject({ line: 6, file: join(s.cwd, 'raito.yml') });
    expect(issueAt(error, 'targets[1].aws-concurency').message).toContain('did you mean aws-concurrency?');
  });
});
