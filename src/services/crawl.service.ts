import {
  createPoliteFetcher,
  type PoliteFetcher,
  type PoliteFetcherOptions,
} from "../../crawlers/http/polite-fetcher.js";
import { sourceOf } from "../../crawlers/readers.js";
import { SOURCE_SCHEDULES, type SourceConfig } from "../../crawlers/source.js";
import { knownSources } from "../../crawlers/sources/index.js";
import type { SourceRun } from "../store/sources.js";
import type { ServiceContext } from "./context.js";
import { type SourceRunResult, runSource } from "./ingest.service.js";

/** The sources to crawl: the settings' own (tests), else the declared ones. */
export function sourcesOf(settings: Pick<CrawlerSettings, "sources"> | undefined): readonly SourceConfig[] {
  return settings?.sources ?? knownSources();
}

/** How crawls reach the web: who we say we are, how slowly we go, and whether we go at all. */
export interface CrawlerSettings {
  /** False when `CRAWL=off`: scheduled crawls do nothing (a crawl started by hand still runs). */
  scheduled: boolean;
  /** "jointbid/0.1 (+https://…/about/crawler)". */
  userAgent: string;
  /** Pause between two requests to one host. */
  minDelayMs: number;
  /** For tests: the fetch, the clock and the pauses of the polite fetcher, and shorter limits. */
  fetcher?: Partial<Omit<PoliteFetcherOptions, "userAgent" | "minDelayMs" | "validators">>;
  /** The sources to crawl; the declared ones (crawlers/sources/) by default. */
  sources?: readonly SourceConfig[];
}

export function userAgentOf(version: string, contactUrl: string): string {
  return `jointbid/${version} (+${contactUrl}; tender-plan crawler for social enterprises)`;
}

/** A polite fetcher that remembers ETag and Last-Modified in the store between crawls. */
export function fetcherFor(ctx: ServiceContext, settings: CrawlerSettings): PoliteFetcher {
  return createPoliteFetcher({
    userAgent: settings.userAgent,
    minDelayMs: settings.minDelayMs,
    ...settings.fetcher,
    validators: {
      get: (url) => ctx.store.sources.validators(url),
      set: (url, v) => ctx.store.sources.saveValidators(url, v),
    },
  });
}

export interface CrawlProgress {
  source: string;
  index: number;
  total: number;
  state: "start" | "progress" | "done";
  message?: string;
  result?: SourceRunResult;
}

export interface CrawlSummary {
  sources: number;
  ok: number;
  partial: number;
  notModified: number;
  failed: number;
  results: SourceRunResult[];
}

/** Sources at most this many run at once (each host still gets one request at a time). */
const PARALLEL_SOURCES = 3;

/**
 * Crawls the given sources (all enabled ones by default), each recorded as a run. One broken
 * source never stops the others.
 */
export async function crawlSources(
  ctx: ServiceContext,
  settings: CrawlerSettings,
  options: { only?: readonly string[]; now?: Date; onProgress?: (p: CrawlProgress) => void } = {},
): Promise<CrawlSummary> {
  const all = sourcesOf(settings);
  const chosen = options.only?.length
    ? all.filter((s) => options.only?.includes(s.id))
    : all.filter((s) => s.enabled);
  const http = fetcherFor(ctx, settings);
  const results: SourceRunResult[] = new Array(chosen.length);
  let next = 0;
  const worker = async () => {
    while (next < chosen.length) {
      const index = next++;
      const config = chosen[index];
      if (!config) continue;
      const report = (state: CrawlProgress["state"], extra: Partial<CrawlProgress> = {}) =>
        options.onProgress?.({ source: config.id, index, total: chosen.length, state, ...extra });
      report("start");
      const result = await runSource(ctx, sourceOf(config), {
        http,
        now: options.now ?? ctx.clock(),
        progress: (message) => report("progress", { message }),
      });
      results[index] = result;
      report("done", { result });
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_SOURCES, chosen.length) }, worker));
  const done = results.filter((r): r is SourceRunResult => r !== undefined);
  return {
    sources: done.length,
    ok: done.filter((r) => r.status === "ok").length,
    partial: done.filter((r) => r.status === "partial").length,
    notModified: done.filter((r) => r.status === "not-modified").length,
    failed: done.filter((r) => r.status === "failed").length,
    results: done,
  };
}

/** Whether a source is due: never crawled, or its last run started a schedule interval ago. */
export function isDue(config: SourceConfig, last: SourceRun | undefined, now: Date): boolean {
  if (!config.enabled) return false;
  if (!last) return true;
  const minutes = SOURCE_SCHEDULES[config.schedule];
  // Five minutes of slack so an hourly job does not skip a source by a few seconds.
  return now.getTime() - Date.parse(last.startedAt) >= (minutes - 5) * 60_000;
}

/** Crawler settings from the environment (the same variables on Node and Workers). */
export function crawlerSettingsFromEnv(
  env: {
    CRAWL: boolean;
    CRAWL_CONTACT_URL?: string | undefined;
    CRAWL_MIN_DELAY_MS: number;
    PUBLIC_BASE_URL: string;
  },
  version: string,
): CrawlerSettings {
  const contact = env.CRAWL_CONTACT_URL ?? new URL("/docs", env.PUBLIC_BASE_URL).toString();
  return {
    scheduled: env.CRAWL,
    userAgent: userAgentOf(version, contact),
    minDelayMs: env.CRAWL_MIN_DELAY_MS,
  };
}
