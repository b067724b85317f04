import type { RouteHandler } from "@hono/zod-openapi";
import { matchTenderOf } from "../../domain/match-input.js";
import {
  buyerInsight as insightOf,
  enterpriseOpportunities,
  tenderMatches as matchesOf,
  whatIf,
} from "../../services/matching.service.js";
import type { AppEnv } from "../app-env.js";
import type * as routes from "./matching.routes.js";

export const tenderMatches: RouteHandler<typeof routes.tenderMatches, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const q = c.req.valid("query");
  return c.json(
    await matchesOf(c.var.deps, id, {
      maxSize: q.maxSize,
      limit: q.limit,
      ...(q.lots?.length ? { lots: q.lots } : {}),
      ...(q.groupRule ? { groupRule: q.groupRule } : {}),
    }),
    200,
  );
};

export const opportunities: RouteHandler<typeof routes.opportunities, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const q = c.req.valid("query");
  return c.json(
    await enterpriseOpportunities(c.var.deps, id, {
      maxSize: q.maxSize,
      ...(q.stage?.length ? { stages: q.stage } : {}),
      ...(q.groupRule ? { groupRule: q.groupRule } : {}),
    }),
    200,
  );
};

export const buyerInsight: RouteHandler<typeof routes.buyerInsight, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const q = c.req.valid("query");
  return c.json(
    await insightOf(c.var.deps, id, {
      maxSize: q.maxSize,
      ...(q.groupRule ? { groupRule: q.groupRule } : {}),
    }),
    200,
  );
};

export const match: RouteHandler<typeof routes.match, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  return c.json(
    await whatIf(c.var.deps, {
      ...(body.tender ? { tender: matchTenderOf(body.tender) } : {}),
      ...(body.tenderId ? { tenderId: body.tenderId } : {}),
      ...(body.enterpriseIds ? { enterpriseIds: body.enterpriseIds } : {}),
      ...(body.lots ? { lots: body.lots } : {}),
      ...(body.maxSize !== undefined ? { maxSize: body.maxSize } : {}),
      ...(body.limit !== undefined ? { limit: body.limit } : {}),
      ...(body.groupRule ? { groupRule: body.groupRule } : {}),
    }),
    200,
  );
};
