import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configSearchPaths, locateConfigFile } from '../../src/config/index.js';
import { configError, scenario, type Scenario } from './scenario.js';

const YML = 'targets:\n  - name: t\n    connector-name: c\n';

describe('finding raito.yml', () => {
  let s: Scenario;
  afterEach(() => s.cleanup());

  it('takes an explicit --config-file path (relative to the cwd) over everything else', async () => {
    s = await scenario({ 'project/raito.yml': YML, 'project/conf/prod.yml': YML });
    expect(await locateConfigFile({ file: 'conf/prod.yml', cwd: s.cwd, home: s.home })).toBe(join(s.cwd, 'conf', 'prod.yml'));
  });

  it('fails naming an explicit path that does not exist, without looking elsewhere', async () => {
    s = await scenario({ 'project/raito.yml': YML });
    const error = await configError(() => locateConfigFile({ file: 'missing.yml', cwd: s.cwd, home: s.home }));
    expect(error.message).toContain(join(s.cwd, 'missing.yml'));
    expect(error.message).toContain('does not exist');
    expect(error.code).toBe('config');
    expect(error.exitCode).toBe(2);
  });

  it('fails when the explicit path is a directory', async () => {
    s = await scenario();
    const error = await configError(() => locateConfigFile({ file: '.', cwd: s.cwd, home: s.home }));
    expect(error.message).toContain('is a directory');
  });

  it('prefers ./raito.yml over ./raito.yaml and the home file', async () => {
    s = await scenario({ 'project/raito.yml': YML, 'project/raito.yaml': YML, 'home/.raito/raito.yml': YML });
    expect(await locateConfigFile({ cwd: s.cwd, home: s.home })).toBe(join(s.cwd, 'raito.yml'));
  });

  it('falls back to ./raito.yaml', async () => {
    s = await scenario({ 'project/raito.yaml': YML, 'home/.raito/raito.yml': YML });
    expect(await locateConfigFile({ cwd: s.cwd, home: s.home })).toBe(join(s.cwd, 'raito.yaml'));
  });

  it('falls back to ~/.raito/raito.yml', async () => {
    s = await scenario({ 'home/.raito/raito.yml': YML });
    expect(await locateConfigFile({ cwd: s.cwd, home: s.home })).toBe(join(s.home, '.raito', 'raito.yml'));
  });

  it('ignores a directory named raito.yml', async () => {
    s = await scenario({ 'project/raito.yml/readme': 'x', 'project/raito.yaml': YML });
    expect(await locateConfigFile({ cwd: s.cwd, home: s.home })).toBe(join(s.cwd, 'raito.yaml'));
  });

  it('without any file, lists every place looked at and hints at raito.example.yml', async () => {
    s = await scenario();
    const error = await configError(() => locateConfigFile({ cwd: s.cwd, home: s.home }));
    for (const place of configSearchPaths({ cwd: s.cwd, home: s.home })) expect(error.message).toContain(place);
    expect(error.hint).toContain('raito.example.yml');
    expect(error.hint).toContain('--config-file');
  });
});
