/** Edit distance (insertions, deletions, substitutions), two rows at a time. */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** Keys longer than this are garbage, not typos; skip the quadratic distance. */
const MAX_SUGGEST_LENGTH = 200;

/**
 * The known word closest to a misspelt one, when it is close enough to be a typo:
 * at most 3 edits, or at most a third of the word's length for long names.
 */
export function suggestNearest(word: string, candidates: readonly string[]): string | undefined {
  if (word.length > MAX_SUGGEST_LENGTH) return undefined;
  const needle = word.toLowerCase();
  const limit = Math.max(3, Math.floor(word.length / 3));
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = levenshtein(needle, candidate.toLowerCase());
    // A "suggestion" that replaces the whole word is no suggestion.
    if (distance > limit || distance >= candidate.length) continue;
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  return best?.candidate;
}

/** " (did you mean x?)" or "", for appending to a message. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const nearest = suggestNearest(word, candidates);
  return nearest === undefined ? '' : ` (did you mean ${nearest}?)`;
}
