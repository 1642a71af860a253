import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores: e2e files start servers of their own, so run two files at a time.
    maxWorkers: 2,
    // Tests send many turns as one user; the rate limit has tests of its own (tests/unit/security.test.ts).
    env: { IMI_TURN_RATE: 'off' },
    reporters: ['default', './tests/support/summary-reporter.ts'],
  },
});
