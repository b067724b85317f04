/**
 * Alert matching: 10 000 saved-search subscriptions against a batch of 1 000 new tenders. Times
 * the compiled matcher (src/alerts/matcher.ts, an index on each subscription's most selective
 * field) next to the plain nested loop over `matchesFilters`, in the same run, and checks that
 * both find exactly the same (subscription, tender) pairs. Target: ≤ 2 s for the batch.
 *
 * Both run in a warm process, as in a running service: a first batch of other tenders fills
 * the word and stem caches and warms the JIT for both, before either is timed. CPU time is
 * reported next to wall time (a busy machine inflates the wall time of both alike).
 */
import { compileSubscriptions, matchesFilters, tenderFeatures } from "../../src/alerts/matcher.js";
import { SubscriptionFilters } from "../../src/domain/subscription.js";
import type { Tender } from "../../src/domain/tender.js";
import { syntheticSubscriptionFilters, syntheticTenders } from "./synthetic.js";

const SUBSCRIPTIONS = 10_000;
const TENDERS = 1_000;
const TARGET_MS = 2_000;

export async function runAlertsBench(): Promise<object & { table: string }> {
  const subs = syntheticSubscriptionFilters(SUBSCRIPTIONS).map((input, i) => ({
    id: `sub-${String(i).padStart(5, "0")}`,
    filters: SubscriptionFilters.parse(input),
  }));
  // New objects for each, so that neither matcher finds the other's per-tender work cached.
  const batch = () => syntheticTenders(TENDERS, 11);
  const plainLoop = (tenders: readonly Tender[]) => {
    const out: string[] = [];
    for (const t of tenders) {
      tenderFeatures(t);
      for (const s of subs) if (matchesFilters(s.filters, t)) out.push(`${s.id}|${t.id}`);
    }
    return out;
  };
  const warmUp = syntheticTenders(200, 12);
  const warmMatch = compileSubscriptions(subs);
  for (const t of warmUp) warmMatch(t);
  plainLoop(syntheticTenders(200, 12));

  const compiledTenders = batch();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const match = compileSubscriptions(subs);
  const t1 = performance.now();
  const compiled: string[] = [];
  for (const t of compiledTenders) for (const id of match(t)) compiled.push(`${id}|${t.id}`);
  const t2 = performance.now();
  const compiledCpu = process.cpuUsage(c0);

  const plainTenders = batch();
  const c3 = process.cpuUsage();
  const t3 = performance.now();
  const plain = plainLoop(plainTenders);
  const t4 = performance.now();
  const plainCpu = process.cpuUsage(c3);
  const cpuMs = (u: NodeJS.CpuUsage) => Math.round((u.user + u.system) / 1000);

  const identical = compiled.length === plain.length && compiled.every((pair, i) => pair === plain[i]);
  if (!identical) {
    throw new Error(`the compiled matcher found ${compiled.length} pairs, the plain loop ${plain.length}`);
  }
  const compileMs = t1 - t0;
  const compiledMs = t2 - t1;
  const plainMs = t4 - t3;
  const figures = {
    subscriptions: SUBSCRIPTIONS,
    tenders: TENDERS,
    matches: compiled.length,
    identical,
    compileMs: Math.round(compileMs),
    compiledMs: Math.round(compiledMs),
    plainLoopMs: Math.round(plainMs),
    compiledCpuMs: cpuMs(compiledCpu),
    plainLoopCpuMs: cpuMs(plainCpu),
    speedup: Math.round((plainMs / compiledMs) * 10) / 10,
    targetMs: TARGET_MS,
    withinTarget: compileMs + compiledMs <= TARGET_MS,
  };
  const table = [
    `alert matching: ${SUBSCRIPTIONS} subscriptions × ${TENDERS} new tenders → ${compiled.length} matches`,
    `  compiled matcher   ${figures.compiledMs} ms (+ ${figures.compileMs} ms to compile; CPU ${figures.compiledCpuMs} ms in all)`,
    `  plain nested loop  ${figures.plainLoopMs} ms (CPU ${figures.plainLoopCpuMs} ms)`,
    `  ratio              ${figures.speedup}× faster; identical results: ${identical ? "yes" : "no"}`,
    `  target             ≤ ${TARGET_MS} ms for the batch: ${figures.withinTarget ? "met" : "MISSED"}`,
  ].join("\n");
  return { ...figures, table };
}
