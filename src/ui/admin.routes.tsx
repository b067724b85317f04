/**
 * Admin pages: the sources (declared in crawlers/sources, and any other that has run) with their
 * latest run, and the runs of one source. They read what the sources API reads
 * (src/routes/sources). Anonymous visitors go to sign-in; accounts that are not admins get a 403
 * page.
 */
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../routes/app-env.js";
import { sourcesOf } from "../services/crawl.service.js";
import { pageContext } from "./page-context.js";
import { AdminSourcePage } from "./pages/admin-source.page.js";
import { AdminForbiddenPage, type AdminSourceRow, AdminSourcesPage } from "./pages/admin-sources.page.js";
import { NotFoundPage } from "./pages/not-found.page.js";
import { render } from "./render.js";

/** Runs shown on a source's page. */
const RUNS_SHOWN = 50;

const requireAdminPage = createMiddleware<AppEnv>(async (c, next) => {
  const actor = c.get("actor");
  if (actor.kind !== "account") return c.redirect(`/sign-in?next=${encodeURIComponent(c.req.path)}`, 303);
  if (actor.account.role !== "admin") return render(c, <AdminForbiddenPage ctx={pageContext(c)} />, 403);
  return next();
});

export const adminPages = new Hono<AppEnv>()
  .use("/admin/*", requireAdminPage)
  .get("/admin/sources", async (c) => {
    const { store, crawler } = c.var.deps;
    const latest = await store.sources.latestRuns();
    const declared = sourcesOf(crawler);
    const declaredIds = new Set(declared.map((s) => s.id));
    const rows: AdminSourceRow[] = declared.map((s) => {
      const lastRun = latest.get(s.id);
      return {
        id: s.id,
        name: s.name,
        declared: true,
        kind: s.kind,
        ...(s.buyer ? { buyer: s.buyer } : {}),
        schedule: s.schedule,
        enabled: s.enabled,
        ...(lastRun ? { lastRun } : {}),
      };
    });
    // Sources that ran without being declared: the demo notices, uploaded plans, files saved by the CLI.
    const undeclared = [...latest].filter(([id]) => !declaredIds.has(id));
    undeclared.sort(([a], [b]) => a.localeCompare(b));
    for (const [id, lastRun] of undeclared) {
      rows.push({ id, name: id, declared: false, enabled: false, lastRun });
    }
    return render(c, <AdminSourcesPage ctx={pageContext(c)} sources={rows} />);
  })
  .get("/admin/sources/:id", async (c) => {
    const ctx = pageContext(c);
    const id = c.req.param("id");
    const { store, crawler } = c.var.deps;
    const runs = await store.sources.runs(id, RUNS_SHOWN);
    const declared = sourcesOf(crawler).find((s) => s.id === id);
    if (runs.length === 0 && !declared) {
      return render(c, <NotFoundPage ctx={ctx} detail={ctx.t.admin.unknownSource} />, 404);
    }
    return render(c, <AdminSourcePage ctx={ctx} source={{ id, name: declared?.name ?? id }} runs={runs} />);
  });
