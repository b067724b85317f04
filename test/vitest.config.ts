import { defineConfig } from "vitest/config";

// `npm test` runs every test under test/ (unit, integration, e2e); the JSON report feeds the
// "N passed, M failed" line of .ci/run.
export default defineConfig({
  test: {
    root: new URL("..", import.meta.url).pathname,
    include: ["test/**/*.test.ts"],
    exclude: ["node_modules/**", "test/bench/**"],
    // A ceiling, not a timing check: tests that start the real CLI or server (tsx, demo data) can
    // take many seconds on a busy machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    reporters: ["default", ["json", { outputFile: "test-results/report.json" }]],
  },
});
