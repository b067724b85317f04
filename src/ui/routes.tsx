/**
 * The web pages: server-rendered with hono/jsx, no script, forms by GET. Mounted by app.ts with
 * `app.route("/", pagesRouter)`. Pages read the same services as the API; contact data of
 * enterprises is never shown here. Signed-in pages (sign-in, registration, "my" pages, forms that
 * POST) are in account.routes.tsx; session.ts has the session cookie and CSRF checks.
 */
import type { Context } from "hono";
import { Hono } from "hono";
import { AppError } from "../domain/errors.js";
import { publicEnterprise } from "../domain/enterprise.js";
import type { AppEnv } from "../routes/app-env.js";
import { getEnterprise } from "../services/enterprises.service.js";
import { enterpriseOpportunities, tenderMatches } from "../services/matching.service.js";
import { getTender, tenderLinks } from "../services/tenders.service.js";
import { accountPages } from "./account.routes.js";
import { subscriptionPages } from "./subscriptions.routes.js";
import { buyerPages } from "./buyer.routes.js";
import { consortiaPages } from "./consortia.routes.js";
import { adminPages } from "./admin.routes.js";
import { STYLESHEET, stylesheetPath } from "./assets/stylesheet.js";
import { type PageContext, pageContext } from "./page-context.js";
import { EnterprisePage } from "./pages/enterprise.page.js";
import {
  EnterpriseSearchPage,
  enterpriseSearchParams,
  loadEnterpriseSearch,
} from "./pages/enterprise-search.page.js";
import { NotFoundPage } from "./pages/not-found.page.js";
import { render, wantsHtml } from "./render.js";
import { pageSession } from "./session.js";
import { TenderPage } from "./pages/tender.page.js";
import { TenderSearchPage, loadTenderSearch, tenderSearchParams } from "./pages/tender-search.page.js";

const isNotFound = (error: unknown) => error instanceof AppError && error.code === "NOT_FOUND";

function notFound(c: Context<AppEnv>, ctx: PageContext, detail: string, section: "tenders" | "enterprises") {
  return render(c, <NotFoundPage ctx={ctx} detail={detail} section={section} />, 404);
}

async function tenderSearch(c: Context<AppEnv>): Promise<Response> {
  const ctx = pageContext(c);
  const result = await loadTenderSearch(c.var.deps, tenderSearchParams(ctx.query));
  return render(c, <TenderSearchPage ctx={ctx} result={result} />);
}

export const pagesRouter = new Hono<AppEnv>()
  .use("*", pageSession)
  .route("/", buyerPages)
  .route("/", accountPages)
  .route("/", subscriptionPages)
  .route("/", consortiaPages)
  .route("/", adminPages)
  .get("/assets/:file", (c) => {
    if (`/assets/${c.req.param("file")}` !== stylesheetPath()) return c.notFound();
    c.header("Cache-Control", "public, max-age=31536000, immutable");
    c.header("Content-Type", "text/css; charset=utf-8");
    return c.body(STYLESHEET);
  })
  .get("/", async (c, next) => {
    if (!wantsHtml(c)) {
      await next();
      return;
    }
    return tenderSearch(c);
  })
  .get("/tenders", tenderSearch)
  .get("/tenders/:id", async (c) => {
    const ctx = pageContext(c);
    const id = c.req.param("id");
    const deps = c.var.deps;
    try {
      const stored = await getTender(deps, id);
      const [links, matches] = await Promise.all([tenderLinks(deps, id), tenderMatches(deps, id, {})]);
      return render(c, <TenderPage ctx={ctx} data={{ tender: stored.tender, links, matches }} />);
    } catch (error) {
      if (isNotFound(error)) return notFound(c, ctx, ctx.t.notFound.tender, "tenders");
      throw error;
    }
  })
  .get("/enterprises", async (c) => {
    const ctx = pageContext(c);
    const result = await loadEnterpriseSearch(c.var.deps, enterpriseSearchParams(ctx.query));
    return render(c, <EnterpriseSearchPage ctx={ctx} result={result} />);
  })
  .get("/enterprises/:id", async (c) => {
    const ctx = pageContext(c);
    const id = c.req.param("id");
    const deps = c.var.deps;
    try {
      const enterprise = publicEnterprise(await getEnterprise(deps, id));
      const { opportunities } = await enterpriseOpportunities(deps, id);
      const tenders = await deps.store.tenders.getMany(opportunities.map((o) => o.tender.id));
      const lotTitles = new Map(tenders.map((t) => [t.id, new Map(t.lots.map((l) => [l.id, l.title]))]));
      return render(c, <EnterprisePage ctx={ctx} data={{ enterprise, opportunities, lotTitles }} />);
    } catch (error) {
      if (isNotFound(error)) return notFound(c, ctx, ctx.t.notFound.enterprise, "enterprises");
      throw error;
    }
  });
