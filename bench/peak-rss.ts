import { readFileSync } from 'node:fs';

/**
 * The peak resident set of this process since it started, in KB. Not resourceUsage().maxRSS: on
 * Linux a process spawned by another starts with its parent's RSS as its maximum (fork copies the
 * counters and exec keeps the high-water mark), so a connector spawned by the bench, whose
 * endpoint holds hundreds of MB of answers, reported at least that much. VmHWM in
 * /proc/self/status is the high-water mark of this process's own memory; maxRSS is the fallback
 * where there is no /proc.
 */
export function peakRssKb(): number {
  try {
    const hwm = /VmHWM:\s*(\d+)\s*kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]);
  } catch {
    // Not Linux: maxRSS below.
  }
  return process.resourceUsage().maxRSS;
}
