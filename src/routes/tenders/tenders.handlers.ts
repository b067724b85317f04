import type { RouteHandler } from "@hono/zod-openapi";
import { toEur } from "../../domain/money.js";
import { TENDER_FACETS, type TenderQuery } from "../../search/search.port.js";
import {
  createTender,
  getTender,
  tenderLinks,
  patchTender,
  searchTenders,
  tenderHistory,
  withdrawTender,
} from "../../services/tenders.service.js";
import type { AppEnv } from "../app-env.js";
import type * as routes from "./tenders.routes.js";

export const list: RouteHandler<typeof routes.list, AppEnv> = async (c) => {
  const p = c.req.valid("query");
  const eur = (amount: number | undefined) => (amount === undefined ? undefined : toEur(amount, p.currency));
  const query: TenderQuery = {
    ...(p.q?.trim() ? { q: p.q.trim() } : {}),
    ...(p.lang ? { lang: p.lang } : {}),
    ...(p.stage?.length ? { stage: p.stage } : {}),
    ...(p.reserved?.length ? { reserved: p.reserved } : {}),
    ...(p.buyer?.length ? { buyerId: p.buyer } : {}),
    ...(p.country?.length ? { country: p.country } : {}),
    ...(p.nuts?.length ? { nuts: p.nuts } : {}),
    ...(p.municipality?.length ? { municipality: p.municipality } : {}),
    ...(p.cpv?.length ? { cpv: p.cpv } : {}),
    ...(p.minValue !== undefined ? { minValueEur: eur(p.minValue) } : {}),
    ...(p.maxValue !== undefined ? { maxValueEur: eur(p.maxValue) } : {}),
    ...(p.expectedFrom ? { expectedFrom: p.expectedFrom } : {}),
    ...(p.expectedTo ? { expectedTo: p.expectedTo } : {}),
    ...(p.deadlineFrom ? { deadlineFrom: p.deadlineFrom } : {}),
    ...(p.deadlineTo ? { deadlineTo: p.deadlineTo } : {}),
    sort: p.sort,
    offset: (p.page - 1) * p.limit,
    limit: p.limit,
    facets: p.facets?.length ? p.facets : TENDER_FACETS,
  };
  const { items, hits } = await searchTenders(c.var.deps, query);
  return c.json({ items, total: hits.total, page: p.page, limit: p.limit, facets: hits.facets }, 200);
};

export const get: RouteHandler<typeof routes.get, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const stored = await getTender(c.var.deps, id);
  const history = await tenderHistory(c.var.deps, id);
  const links = await tenderLinks(c.var.deps, id);
  return c.json(
    {
      ...stored.tender,
      version: stored.version,
      history: history.map(({ previous: _p, ...entry }) => entry),
      links,
    },
    200,
  );
};

export const create: RouteHandler<typeof routes.create, AppEnv> = async (c) => {
  const tender = await createTender(c.var.deps, c.var.actor, c.req.valid("json"));
  c.header("Location", `/api/tenders/${encodeURIComponent(tender.id)}`);
  return c.json(tender, 201);
};

export const patch: RouteHandler<typeof routes.patch, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  return c.json(await patchTender(c.var.deps, c.var.actor, id, c.req.valid("json")), 200);
};

export const remove: RouteHandler<typeof routes.remove, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  return c.json(await withdrawTender(c.var.deps, c.var.actor, id), 200);
};
