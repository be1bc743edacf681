import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One live Tally for the whole run (src/global-setup.ts); files share it, each with its own ids.
    globalSetup: ['src/global-setup.ts'],
    fileParallelism: false,
    hookTimeout: 90_000,
    testTimeout: 30_000,
  },
});
