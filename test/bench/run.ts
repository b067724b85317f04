/**
 * `npm run bench [-- name…]`: runs the registered benchmarks (all, or those whose name contains
 * one of the arguments), prints each report and writes every figure to test-results/bench.json.
 * Register a bench by adding `name: run` to BENCHES; `run` returns its figures, with an
 * optional `table` string to print.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { runAlertsBench } from "./alerts.bench.js";
import { runCpvBench } from "./cpv.bench.js";
import { runIngestBench } from "./ingest.bench.js";
import { runMatchBench } from "./match.bench.js";
import { runSearchBench } from "./search.bench.js";
import { runUiBench } from "./ui.bench.js";

type BenchRun = () => Promise<object & { table?: string }>;

const BENCHES: Readonly<Record<string, BenchRun>> = {
  search: () => runSearchBench(),
  ingest: () => runIngestBench(),
  cpv: () => runCpvBench(),
  match: () => runMatchBench(),
  alerts: () => runAlertsBench(),
  ui: () => runUiBench(),
};

async function runBenches(filters: readonly string[]): Promise<Record<string, unknown>> {
  const names = Object.keys(BENCHES).filter(
    (name) => filters.length === 0 || filters.some((f) => name.includes(f)),
  );
  if (names.length === 0)
    throw new Error(`no bench matches ${filters.join(", ")}; known: ${Object.keys(BENCHES).join(", ")}`);
  const figures: Record<string, unknown> = {};
  for (const name of names) {
    const run = BENCHES[name];
    if (!run) continue;
    console.log(`\n=== ${name} ===`);
    const started = performance.now();
    const report = await run();
    console.log(`\n${report.table ?? JSON.stringify(report, null, 2)}`);
    console.log(`\n${name}: ${((performance.now() - started) / 1000).toFixed(0)} s`);
    figures[name] = report;
  }
  return figures;
}

const gcNote = (globalThis as { gc?: unknown }).gc
  ? ""
  : " (run node with --expose-gc for exact memory figures)";
const figures = await runBenches(process.argv.slice(2).filter((a) => !a.startsWith("-")));
await mkdir("test-results", { recursive: true });
await writeFile(
  "test-results/bench.json",
  `${JSON.stringify({ at: new Date().toISOString(), node: process.version, benches: figures }, null, 2)}\n`,
);
console.log(`\nfigures written to test-results/bench.json${gcNote}`);
