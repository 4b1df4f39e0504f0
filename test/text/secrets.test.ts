import { describe, expect, it } from 'vitest';
import { SecretMasker } from '../../src/text/secrets.js';

describe('secret masking by value', () => {
  it('a one-letter api-secret masks nothing (it is no secret worth the mangling)', () => {
    const masker = new SecretMasker(['s']);
    expect(masker.mask('sync started for target sales')).toBe('sync started for target sales');
  });

  it('a secret inside a longer word is left alone; the same secret as a whole value is masked', () => {
    const masker = new SecretMasker(['hunter22']);
    expect(masker.mask('user hunter22x logged in')).toBe('user hunter22x logged in');
    expect(masker.mask('password hunter22 rejected')).toBe('password [redacted] rejected');
  });

  it('masks a secret in a URL, a header and a JSON or form body, also URL-encoded', () => {
    const masker = new SecretMasker(['p@ss/w0rd:42']);
    expect(masker.mask('GET https://admin:p%40ss%2Fw0rd%3A42@api.example.com/v1')).toBe('GET https://admin:[redacted]@api.example.com/v1');
    expect(masker.mask('Authorization: Bearer p@ss/w0rd:42')).toBe('Authorization: Bearer [redacted]');
    expect(masker.mask('{"client_secret":"p@ss/w0rd:42"}')).toBe('{"client_secret":"[redacted]"}');
    expect(masker.mask('grant_type=client_credentials&client_secret=p%40ss%2Fw0rd%3A42')).toBe('grant_type=client_credentials&client_secret=[redacted]');
  });

  it('masks the longer of two secrets that share a beginning as a whole', () => {
    const masker = new SecretMasker(['token-abc', 'token-abc-def']);
    expect(masker.mask('got token-abc-def and token-abc')).toBe('got [redacted] and [redacted]');
  });
});
