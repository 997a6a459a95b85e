import { defineConfig } from "vitest/config";

/**
 * One test command for both backends: with DATABASE_URL set, every test file gets its own
 * database on that PostgreSQL server; without it, its own embedded PGlite directory. Both are
 * copied from a template migrated and seeded once per run (src/testing/global-setup.ts).
 */
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "e2e/**/*.test.ts"],
    globalSetup: ["src/testing/global-setup.ts"],
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ["default"],
  },
});
