import type { FakeAccount } from '../src/demo/fake-aws/types.js';

/** What one in-process bench scenario reports; `bench/run.ts` runs each scenario in its own process and prints a table. */
export interface BenchResult {
  scenario: string;
  wallMs: number;
  /** CPU time of the process (all its threads) during the scenario: near wallMs means it was bound by one core, not by waiting on AWS. */
  cpuMs: number;
  /** process.resourceUsage().maxRSS of the scenario's process, in MB. */
  peakRssMb: number;
  /** AWS calls by operation (from the SyncContext's CallCounter). */
  calls: Record<string, number>;
  /** How wallMs, cpuMs and peakRssMb were measured, when not around the scenario body in its own process. */
  measuredAs?: string;
  /** Scenario-specific figures: records, lower bounds, ratios, time in a phase... */
  figures: Record<string, string | number>;
}

/** A scenario module: `bench/scenarios/<name>.ts` with a default export of this type. */
export type BenchScenario = () => Promise<BenchResult>;

/**
 * A scenario run over HTTP: the bench serves `account()` on a loopback endpoint in the real wire
 * formats (bench/server) and runs the real CLI against it in a child process.
 */
export interface HttpScenario {
  /** The file name without extension, e.g. `s3-objects`. */
  name: string;
  /** One line: the account's size and the call latency. */
  title: string;
  latencyMs: number;
  account(): FakeAccount;
  /** The raito.yml target's parameters besides aws-endpoint-url (skip flags included; connector-name defaults to aws-account). */
  target: Record<string, string | number | boolean>;
  /**
   * The latency part of the bound: the fewest pages the API allows, and how many of them can be in
   * flight at once (a Marker-paged list is one after another). Bound = pages × latency / concurrency,
   * or pages × msPerPage / concurrency where a quota sets the pace (Identity Store: 20 calls a second).
   */
  pageBound(account: FakeAccount): { pages: number; concurrency: number; msPerPage?: number; explain: string };
  /** Problems to report (a run with problems fails the bench): e.g. more calls than the page bound. */
  check?(run: { calls: Record<string, number>; records: Record<string, number>; complete: Record<string, boolean> }, account: FakeAccount): string[];
}
