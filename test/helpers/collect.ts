import { readJsonlGz } from '../../src/streams/index.js';

/** Everything an async iterable yields, in order (Array.fromAsync arrives with Node 22). */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** The records of one gzip JSONL stream file, in order. */
export function records<T>(file: string): Promise<T[]> {
  return collect(readJsonlGz<T>(file));
}
