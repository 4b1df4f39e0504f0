import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { ConfigError } from '../../src/errors.js';

const target = 'targets:\n  - name: acct\n    connector-name: aws-account\n';
const parse = (yaml: string, env: Record<string, string> = {}) => parseConfig(yaml, { file: 'raito.yml', env });

function issues(yaml: string, env: Record<string, string> = {}): string[] {
  try {
    parse(yaml, env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).issues.map((i) => ConfigError.format([i]));
  }
  throw new Error('expected a ConfigError');
}

describe('api-url', () => {
  it('with a user and password is refused without echoing the password, from the file or the environment', () => {
    expect(issues(`api-url: https://admin:pw-77@api.example.com\n${target}`)).toEqual(['raito.yml:line 1: api-url: must not contain a user name or password (put them in api-user and api-secret)']);
    const fromEnv = issues(target, { RAITO_API_URL: 'https://admin:pw-77@api.example.com' });
    expect(fromEnv).toEqual(['raito.yml: api-url: must not contain a user name or password (put them in api-user and api-secret) (value from environment variable RAITO_API_URL)']);
  });

  it('plain http to another host is a warning; https, localhost and 127.0.0.1 are not', () => {
    expect(parse(`api-url: http://api.example.com\n${target}`).warnings).toEqual([
      'api-url uses plain http:// to api.example.com: the token and the uploaded access data travel unencrypted; use https://',
    ]);
    for (const url of ['https://api.example.com', 'http://localhost:8080', 'http://127.0.0.1:9000', 'http://[::1]:9000']) {
      expect(parse(`api-url: ${url}\n${target}`).warnings, url).toEqual([]);
    }
  });
});

describe('sync API timeouts', () => {
  it('are read in seconds from the file or the environment', () => {
    const config = parse(`api-connect-timeout: 5\n${target}`, { RAITO_API_REQUEST_TIMEOUT: '120' });
    expect([config.apiConnectTimeoutSeconds, config.apiRequestTimeoutSeconds]).toEqual([5, 120]);
  });

  it('must be whole seconds from 1 to 3600', () => {
    expect(issues(`api-connect-timeout: 0\napi-request-timeout: soon\n${target}`)).toEqual([
      'raito.yml:line 1: api-connect-timeout: must be at least 1 second',
      'raito.yml:line 2: api-request-timeout: expected a number of seconds, got "soon"',
    ]);
  });
});
