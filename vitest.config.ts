import { defineConfig } from 'vitest/config';

/**
 * Test files whose subject is the store (records, blobs, restarts, sweeping, concurrency): they
 * run twice, on the embedded store and on PostgreSQL + Swift's S3 (test/support/test-store.ts).
 */
const storeDependent = [
  // Each API's own server tests (by file name, so this file names no API).
  'test/*/server.test.ts',
  'test/*/save-file.test.ts',
  'test/*/paging.test.ts',
  'test/*/token-and-dialects.test.ts',
  'test/security/file-names.test.ts',
  'test/reliability/concurrency.test.ts',
  'test/store/**/*.test.ts',
];

// `npm test`: unit and integration tests. Conformance scenarios (conformance/**) are not run
// directly; tests drive them through the `attachkit conformance` CLI against a server.
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Stops the PostgreSQL/Swift this run started on first use (test/support/engines.ts).
    globalSetup: ['test/support/engines-teardown.ts'],
    projects: [
      { extends: true, test: { name: 'embedded', include: ['test/**/*.test.ts'], exclude: ['test/scale-out/**', 'test/*/scale-out.test.ts'] } },
      {
        extends: true,
        // Several instances on PostgreSQL + S3 (test/scale-out, test/<id>/scale-out.test.ts), and the store-dependent files again.
        test: {
          name: 'shared-store',
          include: ['test/scale-out/**/*.test.ts', 'test/*/scale-out.test.ts', ...storeDependent],
          env: { ATTACHKIT_TEST_STORE: 'shared' },
        },
      },
    ],
  },
});
