import { defineConfig } from 'vitest/config';
import PlainSummaryReporter from './test/plain-summary-reporter.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    pool: 'forks',
    reporters: ['default', new PlainSummaryReporter()],
    globalSetup: ['test/global-setup.ts'],
    // No test may reach for EC2 instance metadata (a non-loopback address) when it finds no credentials.
    env: { AWS_EC2_METADATA_DISABLED: 'true' },
  },
});
