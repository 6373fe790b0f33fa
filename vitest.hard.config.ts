import { defineConfig } from 'vitest/config';

// The long battery (fuzz, concurrent writers, kill -9 loops): `npm run test:hard`.
export default defineConfig({
  test: {
    include: ['test/hard/**/*.test.ts'],
    testTimeout: 1_800_000,
    hookTimeout: 600_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
