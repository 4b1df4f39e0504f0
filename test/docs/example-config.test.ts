import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig, validateTargetParameters } from '../../src/config/index.js';
import { awsAccountPlugin } from '../../src/plugins/aws-account/index.js';

describe('raito.example.yml', () => {
  it('is a valid config for the aws-account connector once its variables are set', () => {
    const source = readFileSync(new URL('../../raito.example.yml', import.meta.url), 'utf8').replace('"<account id>"', '"111122223333"');
    const config = parseConfig(source, { file: 'raito.example.yml', env: { DOMAIN: 'acme', RAITO_USER: 'connector', RAITO_API_SECRET: 'x' } });
    const [target] = config.targets;
    const params = validateTargetParameters(target!, awsAccountPlugin, config.file);
    expect(params['aws-regions']).toEqual(['eu-central-1', 'eu-west-1']);
    expect(params['aws-s3-exclude-buckets']).toEqual(['raito-cloudtrail', 'cdk-*']);
  });

  it('validates with its export lines switched on (access-providers-to-export is a target key)', () => {
    const source = readFileSync(new URL('../../raito.example.yml', import.meta.url), 'utf8')
      .replace('"<account id>"', '"111122223333"')
      .replace(/# (access-providers-to-export|aws-role-prefix|aws-policy-prefix|aws-access-point-prefix|aws-export-manage-existing):/g, '$1:');
    const config = parseConfig(source, { file: '/etc/connector/raito.example.yml', env: { DOMAIN: 'acme', RAITO_USER: 'connector', RAITO_API_SECRET: 'x' } });
    const [target] = config.targets;
    expect(target?.exportFile).toBe('/etc/connector/to-export.jsonl');
    const params = validateTargetParameters(target!, awsAccountPlugin, config.file);
    expect([params['aws-role-prefix'], params['aws-access-point-prefix'], params['aws-export-manage-existing']]).toEqual(['raito-', 'raito-', false]);
  });
});

describe('raito.example.yml and the README agree', () => {
  it('the variable the example reads the api-secret from is the one the README CI snippet sets', () => {
    const example = readFileSync(new URL('../../raito.example.yml', import.meta.url), 'utf8');
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const variable = /^api-secret:\s*"\{\{(\w+)\}\}"/m.exec(example)?.[1];
    expect(variable).toBe('RAITO_API_SECRET');
    expect(readme).toMatch(new RegExp(`^\\s+${variable}: \\$\\{\\{ secrets\\.`, 'm'));
  });
});
