import type { ServiceContext } from "../services/context.js";
import { crawlSources, isDue, sourcesOf } from "../services/crawl.service.js";

/** The scheduled crawl: every due source, unless crawling is switched off. */
export async function runScheduledCrawl(ctx: ServiceContext, now: Date): Promise<Record<string, unknown>> {
  const settings = ctx.crawler;
  if (!settings || !settings.scheduled)
    return { at: now.toISOString(), skipped: "scheduled crawling is off (CRAWL=off)" };
  const latest = await ctx.store.sources.latestRuns();
  const sources = sourcesOf(settings);
  const due = sources.filter((s) => isDue(s, latest.get(s.id), now)).map((s) => s.id);
  if (due.length === 0) return { at: now.toISOString(), due: 0 };
  const summary = await crawlSources(ctx, settings, { only: due, now });
  const { results, ...counts } = summary;
  return {
    at: now.toISOString(),
    ...counts,
    runs: results.map((r) => ({ source: r.sourceId, status: r.status, ...r.counts })),
  };
}
