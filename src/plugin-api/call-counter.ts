/** Counts calls per operation (for example `IAM.GetAccountAuthorizationDetails`) for the run summary. */
export class CallCounter {
  private readonly counts = new Map<string, number>();

  add(operation: string, n = 1): void {
    this.counts.set(operation, (this.counts.get(operation) ?? 0) + n);
  }

  get(operation: string): number {
    return this.counts.get(operation) ?? 0;
  }

  get total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }

  /** Operations sorted by name. */
  entries(): [string, number][] {
    return [...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b));
  }

  toJSON(): Record<string, number> {
    return Object.fromEntries(this.entries());
  }
}
