import type { ServiceContext } from "../services/context.js";
import { runAlertsDeliver, runAlertsPrune } from "./alerts.job.js";
import { runScheduledCrawl } from "./crawl.job.js";
import { runSearchReconcile } from "./search-reconcile.job.js";

/**
 * Every scheduled job, once. node-cron (server.ts) and Workers Cron Triggers (worker.ts,
 * wrangler.toml) both read this list; a test checks that wrangler.toml's crons equal it.
 * Crons are in UTC.
 */
export interface JobDefinition {
  name: string;
  cron: string;
  description: string;
  run: (ctx: ServiceContext, now: Date) => Promise<Record<string, unknown>>;
}

export const JOBS: readonly JobDefinition[] = [
  {
    name: "search:reconcile",
    cron: "17 3 * * *",
    description:
      "Rebuild the search index from the store when it has drifted (failed index writes or different counts)",
    run: runSearchReconcile,
  },
  {
    name: "crawl:sources",
    cron: "41 * * * *",
    description:
      "Crawl every declared source that is due by its schedule (hourly, daily, weekly); CRAWL=off turns it off",
    run: runScheduledCrawl,
  },
  {
    name: "alerts:deliver",
    cron: "* * * * *",
    description:
      "Plan profile and group alerts of new events, then send the due alert deliveries (instant, and daily digests at their local hour)",
    run: runAlertsDeliver,
  },
  {
    name: "alerts:prune",
    // Its own cron, not search:reconcile's 17 3: on Workers each cron is its own invocation,
    // with its own limits, and the first prune of a large backlog may take a while.
    cron: "23 3 * * *",
    description:
      "Delete alert events older than ALERT_RETENTION_DAYS (90) whose deliveries are all sent or dead, with those deliveries",
    run: runAlertsPrune,
  },
];

export function jobsForCron(cron: string): JobDefinition[] {
  return JOBS.filter((j) => j.cron === cron);
}
