/**
 * The CloudTrail event ids seen in one run, to drop duplicates (CloudTrail may deliver an event
 * twice, and an account can be logged by both an account trail and an organisation trail).
 * Each id is kept as a 53-bit key in an open-addressing table of doubles (16 bytes per id at
 * most half full): a million events cost about 16 MB, where a Set of strings costs about 100 MB.
 * Two different ids share a key with a probability of about n²/2^54 per run (1 in 18,000 for a
 * million events), which would drop one statement.
 */
export class EventIdSet {
  /** Key + 1 per slot (0 = empty); linear probing. */
  private table = new Float64Array(1 << 12);
  private count = 0;

  /** True the first time an id is seen in this run. */
  add(id: string): boolean {
    if (this.count * 2 >= this.table.length) this.grow();
    return this.insert(idKey(id) + 1);
  }

  get size(): number {
    return this.count;
  }

  private insert(stored: number): boolean {
    const table = this.table;
    const mask = table.length - 1;
    // Mix both halves: keys of ids that share their low bits (ids made of counters) must not pile up.
    const low = stored % 0x100000000;
    const high = (stored - low) / 0x100000000;
    for (let slot = (Math.imul(low ^ Math.imul(high, 0x85ebca6b), 0x9e3779b1) >>> 0) & mask; ; slot = (slot + 1) & mask) {
      const here = table[slot]!;
      if (here === stored) return false;
      if (here === 0) {
        table[slot] = stored;
        this.count++;
        return true;
      }
    }
  }

  private grow(): void {
    const old = this.table;
    this.table = new Float64Array(old.length * 2);
    this.count = 0;
    for (const stored of old) if (stored !== 0) this.insert(stored);
  }
}

/**
 * CloudTrail event ids are random UUIDs: 53 of their bits (21 of the first group and the last
 * 32) are the key, read without hashing; any other id is hashed.
 */
export function idKey(id: string): number {
  if (id.length === 36 && id.charCodeAt(8) === 0x2d && id.charCodeAt(23) === 0x2d) {
    const high = hexValue(id, 0);
    const low = hexValue(id, 28);
    if (high >= 0 && low >= 0) return (high & 0x1fffff) * 0x100000000 + low;
  }
  return hash53(id);
}

/** The value of the 8 hex digits at `from` (read from the char codes, no substring); -1 when one is not a hex digit. */
function hexValue(text: string, from: number): number {
  let value = 0;
  for (let i = from; i < from + 8; i++) {
    const c = text.charCodeAt(i);
    let digit: number;
    if (c >= 0x30 && c <= 0x39) digit = c - 0x30;
    else if ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66) digit = (c | 0x20) - 0x57;
    else return -1;
    value = value * 16 + digit;
  }
  return value;
}

/** Two 32-bit FNV-1a style hashes (different offsets and primes), combined into 53 bits. */
export function hash53(text: string): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  h2 ^= h2 >>> 15;
  h1 ^= h1 >>> 13;
  return (h2 & 0x1fffff) * 0x100000000 + (h1 >>> 0);
}
