import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseConfig, validateTargetParameters } from '../../src/config/index.js';
import { ConfigError } from '../../src/errors.js';
import { fakePlugin } from './scenario.js';

const FILE = '/fuzz/raito.yml';
const env = { SET: 'value', EMPTY: '' };

/** Reads the text, validates every target against the fake plugin; only a ConfigError may escape. */
function readAll(text: string): void {
  try {
    const config = parseConfig(text, { file: FILE, env });
    for (const target of config.targets) {
      try {
        validateTargetParameters(target, fakePlugin, FILE);
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        checkIssues(err);
      }
    }
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    checkIssues(err);
  }
}

function checkIssues(err: ConfigError): void {
  expect(err.issues.length).toBeGreaterThan(0);
  for (const issue of err.issues) {
    expect(typeof issue.message).toBe('string');
    expect(issue.file).toBe(FILE);
    if (issue.line !== undefined) expect(issue.line).toBeGreaterThanOrEqual(1);
  }
}

// Pieces of raito.yml and of YAML's trickier syntax, glued at random.
const token = fc.constantFrom(
  'targets:',
  '- ',
  '  ',
  '    ',
  '\n',
  'name: ',
  'connector-name: ',
  'api-url: ',
  'api-secret: ',
  'skip-data-usage-sync: ',
  'aws-concurrency: ',
  'aws-regions: ',
  'aws-account-id: ',
  '__proto__: ',
  'toString: ',
  '<<: ',
  '&a ',
  '*a',
  '!!str ',
  '!!binary ',
  '!custom ',
  '? ',
  '[',
  ']',
  '{',
  '}',
  ', ',
  '"',
  "'",
  '|',
  '>',
  '#',
  '---',
  '...',
  '{{SET}}',
  '{{ MISSING }}',
  '{{EMPTY}}',
  'true',
  'many',
  '5',
  '~',
  'null',
  'x',
  '\t',
  '%YAML 1.2',
);

const yamlish = fc.array(token, { maxLength: 60 }).map((parts) => parts.join(''));

// Config-shaped objects with random values, written out as real YAML.
const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constantFrom('{{SET}}', '{{MISSING}}', 'true', '5'));
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), tie('node'), { maxKeys: 3 })),
})).node;
const key = fc.oneof(
  fc.constantFrom('name', 'connector-name', 'data-source-id', 'skip-data-source-sync', 'aws-regions', 'aws-concurrency', 'aws-account-id', 'aws-s3-enabled', 'aws-regoins', '__proto__', 'constructor'),
  fc.string({ maxLength: 10 }),
);
const targetObject = fc.dictionary(key, value, { maxKeys: 8 });
const configObject = fc.record(
  {
    'api-url': value,
    'api-user': value,
    domain: value,
    'api-secert': value,
    targets: fc.oneof(fc.array(targetObject, { maxLength: 4 }), value),
  },
  { requiredKeys: [] },
);

describe('fuzzed config input', () => {
  it('random YAML-ish text gives a config or a ConfigError, nothing else', () => {
    fc.assert(fc.property(yamlish, (text) => readAll(text)), { numRuns: 1500 });
  });

  it('random unicode text gives a config or a ConfigError', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => readAll(text)), { numRuns: 500 });
  });

  it('random config-shaped objects give a config or a ConfigError', () => {
    fc.assert(fc.property(configObject, (object) => readAll(stringify(object))), { numRuns: 600 });
  });

  it('an alias bomb is refused quickly', () => {
    const lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]'];
    for (let i = 1; i < 12; i++) lines.push(`${'b'.repeat(i)}: &${'a'.repeat(i + 1)} [${Array(10).fill(`*${'a'.repeat(i)}`).join(', ')}]`);
    const started = Date.now();
    expect(() => parseConfig(lines.join('\n'), { file: FILE, env })).toThrow(ConfigError);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a long line of garbage does not take long', () => {
    const started = Date.now();
    readAll(`${'x'.repeat(200_000)}: ${'{{'.repeat(50_000)}\ntargets: []\n`);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
