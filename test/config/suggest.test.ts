import { describe, expect, it } from 'vitest';
import { didYouMean, levenshtein, suggestNearest } from '../../src/config/index.js';

describe('suggestions for misspelt keys', () => {
  it('counts edits', () => {
    expect(levenshtein('', '')).toBe(0);
    expect(levenshtein('abc', '')).toBe(3);
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('api-secret', 'api-secert')).toBe(2);
  });

  it('suggests the nearest known key when it is a likely typo', () => {
    expect(suggestNearest('api-secert', ['api-user', 'api-secret', 'domain'])).toBe('api-secret');
    expect(suggestNearest('API-USER', ['api-user', 'api-secret'])).toBe('api-user');
    expect(suggestNearest('aws-organisation-identity-center-instance-arm', ['aws-organization-identity-center-instance-arn'])).toBe(
      'aws-organization-identity-center-instance-arn',
    );
  });

  it('stays quiet when nothing is close', () => {
    expect(suggestNearest('log-level', ['api-user', 'api-secret', 'domain'])).toBeUndefined();
    expect(suggestNearest('x', ['ab'])).toBeUndefined();
    expect(suggestNearest('a'.repeat(5000), ['api-user'])).toBeUndefined();
    expect(didYouMean('zzzzzzzz', ['domain'])).toBe('');
    expect(didYouMean('domian', ['domain'])).toBe(' (did you mean domain?)');
  });
});
