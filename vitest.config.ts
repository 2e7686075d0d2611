import { defineConfig } from 'vitest/config';

// `npm test`: unit and integration tests. Conformance scenarios (conformance/**) are not run
// directly; tests drive them through the `attachkit conformance` CLI against a server.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Stops the PostgreSQL/Swift this run started on first use (test/support/engines.ts).
    globalSetup: ['test/support/engines-teardown.ts'],
  },
});
