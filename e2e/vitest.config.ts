/**
 * Browser tests against the real server: the global setup builds nothing but starts
 * server/src/main.ts (embedded PGlite in a temp DATA_DIR, demo county seeded on first start) on a
 * free port, and every test drives /usr/bin/chromium through playwright-core.
 * Root `npm test` builds web/dist first; run `npm run build` yourself before `npm test -w e2e`.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['./setup/global.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores and one browser: run files one after another.
    fileParallelism: false,
    pool: 'forks',
  },
});
