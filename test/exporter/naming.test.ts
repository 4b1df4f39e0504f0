import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accessPointNameRules, assignNames, buildName, idTag, policyNameRules, roleNameRules } from '../../src/exporter/naming.js';

const none = { prefix: '', suffix: '' };

describe('export names', () => {
  it('maps a name onto the IAM characters', () => {
    expect(buildName(roleNameRules, 'Sales Reader (EU)', none)).toBe('Sales_Reader__EU_');
    expect(buildName(roleNameRules, 'a+b=c,d.e@f_g-h', none)).toBe('a+b=c,d.e@f_g-h');
  });

  it('keeps prefix and suffix within the 64-character role limit by shortening the name itself', () => {
    const name = buildName(roleNameRules, 'x'.repeat(100), { prefix: 'raito-', suffix: '-prod' });
    expect(name).toBe(`raito-${'x'.repeat(53)}-prod`);
    expect(name).toHaveLength(64);
    expect(buildName(policyNameRules, 'y'.repeat(200), { prefix: 'p_', suffix: '' })).toHaveLength(128);
  });

  it('maps access point names to 3-50 lower case letters, digits and hyphens, no hyphen at either end', () => {
    expect(buildName(accessPointNameRules, '--Sales Team / EU__', none)).toBe('sales-team-eu');
    expect(buildName(accessPointNameRules, 'A'.repeat(80), { prefix: 'raito-', suffix: '' })).toBe(`raito-${'a'.repeat(44)}`);
    // Too short: the tag fills it up.
    expect(buildName(accessPointNameRules, 'x', none)).toBe('x-x');
    // Nothing of the name is left (a name of only characters an access point cannot hold): filled up to 3.
    expect(buildName(accessPointNameRules, '', none)).toBe('xxx');
    expect(buildName(accessPointNameRules, '___', none)).toBe('xxx');
    // A cut that ends in a hyphen is trimmed.
    expect(buildName(accessPointNameRules, `${'a'.repeat(49)}-b`, none)).toBe('a'.repeat(49));
  });

  it('gives two providers that map to one name a short stable suffix from their id', () => {
    const names = assignNames(roleNameRules, none, [
      { id: 'p1', base: 'Sales Reader' },
      { id: 'p2', base: 'Sales_Reader' },
      { id: 'p3', base: 'Other' },
    ]);
    expect(names.get('p1')).toBe(`Sales_Reader-${idTag('p1')}`);
    expect(names.get('p2')).toBe(`Sales_Reader-${idTag('p2')}`);
    expect(names.get('p3')).toBe('Other');
    expect(idTag('p1')).toMatch(/^[0-9a-f]{6}$/);
    // Stable: the same input gives the same names.
    expect(assignNames(roleNameRules, none, [{ id: 'p2', base: 'Sales_Reader' }, { id: 'p1', base: 'Sales Reader' }]).get('p1')).toBe(names.get('p1'));
  });

  it('lets the provider that already holds a name keep it; a newcomer with the same name gets the suffix', () => {
    const names = assignNames(roleNameRules, none, [
      { id: 'old', base: 'Reader', existingName: 'Reader' },
      { id: 'new', base: 'reader' },
    ]);
    expect(names.get('old')).toBe('Reader');
    expect(names.get('new')).toBe(`reader-${idTag('new')}`);
  });

  it('always yields a valid name within the limit, for any text and affixes', () => {
    for (const rules of [roleNameRules, policyNameRules, accessPointNameRules]) {
      const affix = rules === accessPointNameRules ? fc.stringMatching(/^[a-z0-9]{0,8}$/) : fc.stringMatching(/^[A-Za-z0-9_-]{0,8}$/);
      fc.assert(
        fc.property(fc.string({ maxLength: 200 }), affix, affix, fc.option(fc.stringMatching(/^[0-9a-f]{6}$/), { nil: undefined }), (base, prefix, suffix, tag) => {
          const name = buildName(rules, base, { prefix: prefix ? `${prefix}-` : '', suffix: suffix ? `-${suffix}` : '' }, tag);
          expect(rules.valid(name), `${JSON.stringify(name)} from ${JSON.stringify(base)}`).toBe(true);
        }),
      );
    }
  });
});

describe('name affix parameters', () => {
  it('must fit the characters of their names and leave room for the name', async () => {
    const { validateExportParameters } = await import('../../src/exporter/parameters.js');
    expect(validateExportParameters({ 'aws-role-prefix': 'raito-', 'aws-access-point-suffix': '-prod' })).toEqual([]);
    expect(validateExportParameters({ 'aws-role-prefix': 'raito:', 'aws-access-point-prefix': 'Raito_', 'aws-policy-suffix': 'x'.repeat(121) })).toEqual([
      { parameter: 'aws-role-prefix', message: '"raito:" may only hold letters, digits and + = , . @ _ -' },
      { parameter: 'aws-policy-prefix', message: 'with its suffix it takes 121 of the 128 characters of a name, leaving fewer than 8 for the name itself' },
      { parameter: 'aws-access-point-prefix', message: '"Raito_" may only hold lower case letters, digits and hyphens' },
    ]);
  });
});
