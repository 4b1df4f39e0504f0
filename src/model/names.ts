/**
 * Full names of data objects: `<account>` for the datasource, then
 * `<account>:<region>:<bucket>[/<path>]` with the bucket's real region.
 * Folders have no trailing slash in their full name.
 */
export function dataObjectFullName(account: string, region?: string, bucket?: string, path?: string): string {
  if (bucket === undefined) return account;
  const base = `${account}:${region}:${bucket}`;
  const trimmed = path?.replace(/\/+$/, '');
  return trimmed ? `${base}/${trimmed}` : base;
}

/** The region S3 reports as a bucket's location constraint, as a real region name. */
export function bucketRegion(locationConstraint: string | undefined | null): string {
  if (!locationConstraint) return 'us-east-1';
  if (locationConstraint === 'EU') return 'eu-west-1';
  return locationConstraint;
}

/** Columns hang under their Glue table; `#` keeps them apart from S3 paths below the table's location. */
export function columnFullName(tableFullName: string, column: string): string {
  return `${tableFullName}#${column}`;
}

/** The last `/`-separated segment of a path (`2024/q1/orders.parquet` -> `orders.parquet`). */
export function lastSegment(path: string): string {
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === 0x2f) end--;
  return path.slice(path.lastIndexOf('/', end - 1) + 1, end);
}
