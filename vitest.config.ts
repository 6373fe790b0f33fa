import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

// One runner for every layer: unit, contract (both stores), API, analysis-vs-networkx, end-to-end.
// Files that need Neo4j or Chromium check for them in their own setup and skip with a message.
export default defineConfig({
  // The web app's aliases (as in vite.config.ts), so tests can import its pure state modules.
  resolve: {
    alias: {
      '@domain': fileURLToPath(new URL('./server/domain', import.meta.url)),
      '@api': fileURLToPath(new URL('./server/api-types', import.meta.url)),
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/hard/**', 'node_modules/**'],
    globalSetup: ['test/setup/global.ts'],
    testTimeout: 60_000,
    hookTimeout: 240_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
