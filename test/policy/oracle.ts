/**
 * A direct, obviously-correct wildcard matcher (`*` any run, `?` one character) that the
 * property tests compare the policy module against. Slow on purpose: no NFA, no regex.
 */
export function directMatch(pattern: string, value: string): boolean {
  const memo = new Map<string, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = `${i},${j}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === pattern.length) result = j === value.length;
    else if (pattern[i] === '*') result = go(i + 1, j) || (j < value.length && go(i, j + 1));
    else result = j < value.length && (pattern[i] === '?' || pattern[i] === value[j]) && go(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return go(0, 0);
}

/** ARN match as the IAM docs state it: segment by segment, the resource segment last and whole. */
export function directArnMatch(pattern: string, arn: string): boolean {
  if (/^\*+$/.test(pattern)) return true;
  const p = pattern.split(':');
  const a = arn.split(':');
  if (p.length < 6 || a.length < 6) return false;
  for (let i = 0; i < 5; i++) if (!directMatch(p[i] as string, a[i] as string)) return false;
  return directMatch(p.slice(5).join(':'), a.slice(5).join(':'));
}
