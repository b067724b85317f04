import type { RouteHandler, z } from "@hono/zod-openapi";
import { sourcesOf } from "../../services/crawl.service.js";
import { AppError } from "../../domain/errors.js";
import { requireAdmin } from "../../domain/policy.js";
import type { AppEnv } from "../app-env.js";
import type * as routes from "./sources.routes.js";
import type { SourceSummary } from "./sources.routes.js";

export const list: RouteHandler<typeof routes.list, AppEnv> = async (c) => {
  requireAdmin(c.var.actor);
  const { store, crawler } = c.var.deps;
  const [latest, counts] = await Promise.all([store.sources.latestRuns(), store.sources.itemCounts()]);
  const declared = sourcesOf(crawler);
  const declaredIds = new Set(declared.map((s) => s.id));
  const items: z.infer<typeof SourceSummary>[] = declared.map((s) => ({
    id: s.id,
    name: s.name,
    declared: true,
    kind: s.kind,
    url: s.url,
    country: s.country,
    ...(s.buyer ? { buyer: s.buyer } : {}),
    schedule: s.schedule,
    enabled: s.enabled,
    items: counts.get(s.id)?.items ?? 0,
    withdrawn: counts.get(s.id)?.withdrawn ?? 0,
    ...(latest.has(s.id) ? { lastRun: latest.get(s.id) } : {}),
  }));
  // Sources that ran without being declared: the demo notices, files ingested with --save.
  for (const [id, run] of latest) {
    if (declaredIds.has(id)) continue;
    items.push({
      id,
      name: id,
      declared: false,
      enabled: false,
      items: counts.get(id)?.items ?? 0,
      withdrawn: counts.get(id)?.withdrawn ?? 0,
      lastRun: run,
    });
  }
  return c.json({ items }, 200);
};

export const runs: RouteHandler<typeof routes.runs, AppEnv> = async (c) => {
  requireAdmin(c.var.actor);
  const { id } = c.req.valid("param");
  const { limit } = c.req.valid("query");
  const { store, crawler } = c.var.deps;
  const items = await store.sources.runs(id, limit);
  const declared = sourcesOf(crawler).some((s) => s.id === id);
  if (items.length === 0 && !declared) throw new AppError("NOT_FOUND", `no source ${id}`);
  return c.json({ items }, 200);
};
