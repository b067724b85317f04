import type { RouteHandler } from "@hono/zod-openapi";
import type { Actor } from "../../domain/account.js";
import { type Enterprise, publicEnterprise } from "../../domain/enterprise.js";
import { ENTERPRISE_FACETS, type EnterpriseQuery } from "../../search/search.port.js";
import {
  getEnterprise,
  patchEnterprise,
  registerEnterprise,
  searchEnterprises,
} from "../../services/enterprises.service.js";
import type { AppEnv } from "../app-env.js";
import type * as routes from "./enterprises.routes.js";

/** Contact details are personal data: only signed-in users see them. */
function visible(actor: Actor, e: Enterprise) {
  return actor.kind === "account" ? e : publicEnterprise(e);
}

export const list: RouteHandler<typeof routes.list, AppEnv> = async (c) => {
  const p = c.req.valid("query");
  const query: EnterpriseQuery = {
    ...(p.q?.trim() ? { q: p.q.trim() } : {}),
    ...(p.lang ? { lang: p.lang } : {}),
    ...(p.cpv?.length ? { cpv: p.cpv } : {}),
    ...(p.near ? { near: { ...p.near, radiusKm: p.radiusKm } } : {}),
    ...(p.certification?.length ? { certification: p.certification } : {}),
    ...(p.eligibility?.length ? { eligibleFor: p.eligibility } : {}),
    ...(p.country?.length ? { country: p.country } : {}),
    ...(p.municipality?.length ? { municipality: p.municipality } : {}),
    ...(p.openToConsortia !== undefined ? { openToConsortia: p.openToConsortia } : {}),
    ...(p.openToSubcontracting !== undefined ? { openToSubcontracting: p.openToSubcontracting } : {}),
    sort: p.sort === "distance" && !p.near ? "relevance" : p.sort,
    offset: (p.page - 1) * p.limit,
    limit: p.limit,
    facets: p.facets?.length ? p.facets : ENTERPRISE_FACETS,
  };
  const { items, hits } = await searchEnterprises(c.var.deps, query);
  const actor = c.var.actor;
  return c.json(
    {
      items: items.map((e) => visible(actor, e)),
      total: hits.total,
      page: p.page,
      limit: p.limit,
      facets: hits.facets,
    },
    200,
  );
};

export const get: RouteHandler<typeof routes.get, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  return c.json(visible(c.var.actor, await getEnterprise(c.var.deps, id)), 200);
};

export const create: RouteHandler<typeof routes.create, AppEnv> = async (c) => {
  const enterprise = await registerEnterprise(c.var.deps, c.var.actor, c.req.valid("json"));
  c.header("Location", `/api/enterprises/${encodeURIComponent(enterprise.id)}`);
  return c.json(enterprise, 201);
};

export const patch: RouteHandler<typeof routes.patch, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  return c.json(await patchEnterprise(c.var.deps, c.var.actor, id, c.req.valid("json")), 200);
};
