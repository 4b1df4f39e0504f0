import type { StreamSink, SyncOutputs } from '../../src/plugin-api/contract.js';

/** A sink that keeps everything in memory, for assertions. */
export class MemorySink<T> implements StreamSink<T> {
  readonly items: T[] = [];
  readonly warnings: string[] = [];
  incomplete = false;

  async write(record: T): Promise<void> {
    this.items.push(record);
  }

  warn(message: string): void {
    this.warnings.push(message);
  }

  markIncomplete(reason: string): void {
    this.incomplete = true;
    this.warnings.push(reason);
  }

  get records(): number {
    return this.items.length;
  }
}

export type MemoryOutputs = { [K in keyof SyncOutputs]: SyncOutputs[K] extends StreamSink<infer T> ? MemorySink<T> : never };

export function memoryOutputs(): MemoryOutputs {
  return {
    'data-objects': new MemorySink(),
    users: new MemorySink(),
    groups: new MemorySink(),
    'access-providers': new MemorySink(),
    'access-provider-feedback': new MemorySink(),
    'data-usage': new MemorySink(),
  };
}
