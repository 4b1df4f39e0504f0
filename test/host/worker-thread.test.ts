import { describe, expect, it } from 'vitest';
import { RequestThread } from '../../src/host/worker-thread.js';

const LIMITS_WORKER = new URL('../fixtures/workers/limits.mjs', import.meta.url);

describe('a worker thread', () => {
  it('runs with a small young generation and a capped old generation, so its garbage does not pile up to the size of the machine', async () => {
    const thread = new RequestThread<{ id: number }, { id: number; limits: { maxYoungGenerationSizeMb: number; maxOldGenerationSizeMb: number } }>(LIMITS_WORKER, 'limits worker');
    try {
      const { limits } = await thread.request({});
      expect(limits.maxYoungGenerationSizeMb).toBe(8);
      expect(limits.maxOldGenerationSizeMb).toBe(256);
    } finally {
      await thread.terminate('done');
    }
  });
});
