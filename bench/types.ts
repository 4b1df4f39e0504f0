/** What one bench scenario reports; `bench/run.ts` runs each scenario in its own process and prints a table. */
export interface BenchResult {
  scenario: string;
  wallMs: number;
  /** CPU time of the process (all its threads) during the scenario: near wallMs means it was bound by one core, not by waiting on AWS. */
  cpuMs: number;
  /** process.resourceUsage().maxRSS of the scenario's process, in MB. */
  peakRssMb: number;
  /** AWS calls by operation (from the SyncContext's CallCounter). */
  calls: Record<string, number>;
  /** Scenario-specific figures: records, lower bounds, ratios, time in a phase... */
  figures: Record<string, string | number>;
}

/** A scenario module: `bench/scenarios/<name>.ts` with a default export of this type. */
export type BenchScenario = () => Promise<BenchResult>;
