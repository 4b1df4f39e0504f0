/**
 * Bucket include/exclude lists as written in raito.yml: `*` stands for any characters (none
 * included), every other character is literal, and a pattern matches the whole bucket name.
 */
export function wildcardToRegExp(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`);
}

/** A predicate over bucket names: included (an empty include list includes all) and not excluded; excludes win. */
export function bucketFilter(include: readonly string[], exclude: readonly string[]): (bucket: string) => boolean {
  const includes = include.map(wildcardToRegExp);
  const excludes = exclude.map(wildcardToRegExp);
  return (bucket) => (includes.length === 0 || includes.some((r) => r.test(bucket))) && !excludes.some((r) => r.test(bucket));
}
