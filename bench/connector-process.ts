import { writeFileSync } from 'node:fs';
import { peakRssKb } from './peak-rss.js';

// The connector as a user runs it: the real CLI entry (bin/connector.js → dist/cli/main.js), in a
// process of its own. On exit this wrapper writes the process's resource usage (user and system
// CPU of all its threads) and its peak RSS (peak-rss.ts) to BENCH_USAGE_FILE, which the bench reads.
const usageFile = process.env.BENCH_USAGE_FILE;
process.on('exit', () => {
  if (usageFile) writeFileSync(usageFile, JSON.stringify({ ...process.resourceUsage(), peakRssKb: peakRssKb() }));
});
const entry: string = new URL('../../bin/connector.js', import.meta.url).href;
await import(entry);
