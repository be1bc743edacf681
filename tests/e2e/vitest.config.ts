import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The API's harness: migrates once per run (a PGlite snapshot, or a PostgreSQL template when
    // DATABASE_URL is set) so that startTestServer() gets a fresh database per test file.
    globalSetup: ['../../services/api/test/support/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 90_000,
    env: { NODE_ENV: 'test' },
  },
});
