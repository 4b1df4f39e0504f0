import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig, validateTargetParameters } from '../../src/config/index.js';
import { awsAccountPlugin } from '../../src/plugins/aws-account/index.js';
import { awsOrganizationPlugin } from '../../src/plugins/aws-organization/index.js';

const example = (): string =>
  readFileSync(new URL('../../raito.example.yml', import.meta.url), 'utf8')
    .replace('"<account id>"', '"111122223333"')
    .replace('"<management account id>"', '"999988887777"');
const env = { DOMAIN: 'acme', RAITO_USER: 'connector', RAITO_API_SECRET: 'x' };

describe('raito.example.yml with IAM Identity Center', () => {
  it('has a valid aws-organization target', () => {
    const config = parseConfig(example(), { file: 'raito.example.yml', env });
    const target = config.targets.find((t) => t.name === 'aws-organization')!;
    expect(target.connectorName).toBe('raito-io/cli-plugin-aws-organization');
    const params = validateTargetParameters(target, awsOrganizationPlugin, config.file);
    expect(params['aws-region']).toBe('eu-central-1');
  });

  it('has valid aws-organization-* parameters in the aws-account target once uncommented', () => {
    const source = example()
      .replace(/# (aws-organization-[a-z-]+: )/g, '$1')
      .replace('"arn:aws:sso:::instance/ssoins-<id>"', '"arn:aws:sso:::instance/ssoins-6804a1b2c3d4e5f6"')
      .replace('"d-<id>"', '"d-93671a2b3c"')
      .replace('arn:aws:iam::<management account id>:role/raito-connector', 'arn:aws:iam::999988887777:role/raito-connector');
    const config = parseConfig(source, { file: 'raito.example.yml', env });
    const params = validateTargetParameters(config.targets[0]!, awsAccountPlugin, config.file);
    expect(params['aws-organization-identity-store']).toBe('d-93671a2b3c');
    expect(params['aws-organization-assume-role-external-id']).toBe('<external id>');
  });
});
