import { describe, expect, it } from 'vitest';
import { AccessProvider, DataObject, streamSchemas, User } from '../../src/model/index.js';

describe('record contract', () => {
  it('accepts a bucket data object with its real region in the full name', () => {
    const bucket = { externalId: '111122223333:us-east-1:acme-hr', name: 'acme-hr', fullName: '111122223333:us-east-1:acme-hr', type: 'bucket', parentExternalId: '111122223333' };
    expect(DataObject.parse(bucket)).toEqual(bucket);
  });

  it('rejects a data object of an unknown type and names the field', () => {
    const result = DataObject.safeParse({ externalId: 'x', name: 'x', fullName: 'x', type: 'table' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['type']);
  });

  it('requires who and what on an access provider', () => {
    const result = AccessProvider.safeParse({ externalId: 'role:etl', name: 'etl', type: 'aws_role', action: 'grant', incomplete: false, reasons: [], actualName: 'etl' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path[0])).toEqual(expect.arrayContaining(['who', 'what']));
  });

  it('has a schema for every stream', () => {
    expect(Object.keys(streamSchemas).sort()).toEqual(['access-provider-feedback', 'access-providers', 'data-objects', 'data-usage', 'groups', 'users']);
    expect(User.safeParse({ externalId: 'AIDA1', name: 'alice', userName: 'alice' }).success).toBe(true);
  });
});
