import { awsError } from './errors.js';
import type { FakeAccount, FakeService } from './types.js';

/** Glue pages with a numeric NextToken over one list. */
function page<T>(items: T[], input: Record<string, unknown>, defaultMax = 100): { items: T[]; NextToken?: string } {
  const start = typeof input.NextToken === 'string' ? Number(input.NextToken) : 0;
  const max = typeof input.MaxResults === 'number' ? Math.max(1, Math.min(1000, input.MaxResults)) : defaultMax;
  const slice = items.slice(start, start + max);
  const next = start + slice.length;
  return next < items.length ? { items: slice, NextToken: String(next) } : { items: slice };
}

function catalog(account: FakeAccount, region: string) {
  return account.glue[region] ?? { databases: [], tables: {} };
}

/** The Glue Data Catalog of the fake account, per region. */
export const glueService: FakeService = {
  GetDatabases: (input, { account, region }) => {
    const { items, NextToken } = page(catalog(account, region).databases, input);
    return { DatabaseList: items, ...(NextToken ? { NextToken } : {}) };
  },
  GetTables: (input, { account, region }) => {
    const glue = catalog(account, region);
    const name = typeof input.DatabaseName === 'string' ? input.DatabaseName : '';
    if (!glue.databases.some((d) => d.Name === name)) throw awsError('EntityNotFoundException', 400, `Database ${name} not found.`);
    const { items, NextToken } = page(glue.tables[name] ?? [], input);
    return { TableList: items.map((t) => ({ ...t, DatabaseName: name })), ...(NextToken ? { NextToken } : {}) };
  },
  // The fake catalog keeps no tags of its own (the SDK's Table shape has none); the call answers like an untagged resource.
  GetTags: () => ({ Tags: {} }),
};
