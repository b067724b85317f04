import { defineConfig } from "vitest/config";

// `npm test` runs every test under test/ (unit, integration, e2e); the JSON report feeds the
// "N passed, M failed" line of .ci/run.
export default defineConfig({
  test: {
    root: new URL("..", import.meta.url).pathname,
    include: ["test/**/*.test.ts"],
    exclude: ["node_modules/**", "test/bench/**"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: "forks",
    reporters: ["default", ["json", { outputFile: "test-results/report.json" }]],
  },
});
