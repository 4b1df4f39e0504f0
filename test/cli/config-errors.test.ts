import { describe, expect, it } from 'vitest';
import { cli, workdir } from './cli.js';

/** Each bad raito.yml exits 2 and says what is wrong and where (file, line, key). */
describe('connector run with a bad raito.yml', () => {
  const cases: { name: string; yaml: string; expected: RegExp[] }[] = [
    {
      name: 'YAML syntax error',
      yaml: 'targets:\n  - name: a\n    connector-name: aws-account\n   aws-regions: [eu-west-1\n',
      expected: [/raito\.yml/, /line \d+/],
    },
    {
      name: 'misspelt parameter',
      yaml: 'targets:\n  - name: acct\n    connector-name: aws-account\n    aws-region: eu-west-1\n',
      expected: [/raito\.yml:line 4/, /targets\[0\]\.aws-region/, /did you mean "?aws-regions"?/],
    },
    {
      name: 'unknown global key',
      yaml: 'api-secrett: x\ntargets:\n  - name: acct\n    connector-name: aws-account\n',
      expected: [/line 1/, /api-secrett/, /did you mean "?api-secret"?/],
    },
    {
      name: 'missing environment variable',
      yaml: 'api-user: "{{RAITO_TEST_USER_UNSET}}"\ntargets:\n  - name: acct\n    connector-name: aws-account\n',
      expected: [/line 1/, /api-user/, /RAITO_TEST_USER_UNSET/],
    },
    {
      name: 'unknown connector',
      yaml: 'targets:\n  - name: acct\n    connector-name: aws-acount\n',
      expected: [/line 3/, /targets\[0\]\.connector-name/, /unknown connector "aws-acount"/],
    },
    {
      name: 'wrong type',
      yaml: 'targets:\n  - name: acct\n    connector-name: aws-account\n    aws-concurrency: many\n',
      expected: [/line 4/, /targets\[0\]\.aws-concurrency/, /whole number/],
    },
    {
      name: 'no targets',
      yaml: 'api-user: someone\n',
      expected: [/raito\.yml/, /targets/],
    },
  ];

  it.each(cases)('$name: exit 2 with the problem and its place', async ({ yaml, expected }) => {
    const dir = await workdir(yaml);
    const result = await cli(['run'], { cwd: dir });
    expect(result.code).toBe(2);
    for (const pattern of expected) expect(result.stderr).toMatch(pattern);
    expect(result.stdout).toBe('');
  });

  it('no raito.yml at all: exit 2 listing where it looked', async () => {
    const dir = await workdir();
    const result = await cli(['run'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/raito\.yml/);
  });

  it('an unknown command-line option is a usage error: exit 2', async () => {
    const dir = await workdir('targets:\n  - name: acct\n    connector-name: aws-account\n');
    const result = await cli(['run', '--skip-everything'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown option/);
  });
});
