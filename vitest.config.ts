import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    restoreMocks: true,
    // Most of the suite's time is waiting: on child processes of the CLI,
    // and on pacing that runs in real time at 60 requests a second. Three
    // test files at once on 2 cores took the suite from 262 s to 96 s.
    // No test has an upper time bound; the rate floors some check held with
    // three files at once, in two full runs.
    maxWorkers: 3,
  },
});
