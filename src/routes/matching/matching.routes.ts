import { createRoute, z } from "@hono/zod-openapi";
import { Slug } from "../../domain/common.js";
import { GROUP_RULES } from "../../domain/matching/index.js";
import { TenderStage } from "../../domain/tender.js";
import { errors, json, jsonBody, listParam } from "../openapi.js";
import { BuyerInsight, MatchBody, MatchQuery, Opportunities, TenderMatches } from "./matching.schemas.js";

const tags = ["Matching"];

export const tenderMatches = createRoute({
  method: "get",
  path: "/api/tenders/{id}/matches",
  tags,
  summary: "Who can bid for a tender: singles, consortia (smallest first), subcontracting leads",
  description:
    "Candidates are the enterprises holding a code that covers one of the tender's codes; the domain judges place, eligibility and capacity. When nothing is feasible, `infeasible` says why and who comes closest.",
  request: {
    params: z.object({
      id: z
        .string()
        .min(3)
        .max(300)
        .openapi({ param: { name: "id", in: "path" }, example: "api:dk-0751.demo" }),
    }),
    query: MatchQuery,
  },
  responses: { 200: json(TenderMatches, "The matches"), ...errors(400, 401, 404, 503) },
});

export const opportunities = createRoute({
  method: "get",
  path: "/api/enterprises/{id}/opportunities",
  tags,
  summary: "Tenders an enterprise can bid for alone, or in a suggested consortium",
  request: {
    params: z.object({ id: Slug.openapi({ param: { name: "id", in: "path" }, example: "flexvirk" }) }),
    query: z.object({
      stage: listParam(TenderStage, "Stages to look at (default planned, open)"),
      maxSize: MatchQuery.shape.maxSize,
      groupRule: z.enum(GROUP_RULES).optional(),
    }),
  },
  responses: { 200: json(Opportunities, "The opportunities, alone first"), ...errors(400, 401, 404, 503) },
});

export const buyerInsight = createRoute({
  method: "get",
  path: "/api/buyers/{id}/insight",
  tags,
  summary: "For each planned tender of a buyer: who could bid, and whether to reserve it",
  request: {
    params: z.object({ id: Slug.openapi({ param: { name: "id", in: "path" }, example: "dk-0751" }) }),
    query: z.object({ maxSize: MatchQuery.shape.maxSize, groupRule: z.enum(GROUP_RULES).optional() }),
  },
  responses: { 200: json(BuyerInsight, "One insight per planned tender"), ...errors(400, 401, 404, 503) },
});

export const match = createRoute({
  method: "post",
  path: "/api/match",
  tags,
  summary: "What-if matching: a stored or posted tender, over the index's candidates or named enterprises",
  description:
    "With `enterpriseIds`, only those enterprises are considered and `group` says whether exactly they could bid together, and if not why. Open to anyone; counts against the per-address write limit; nothing is stored.",
  request: { body: jsonBody(MatchBody) },
  responses: { 200: json(TenderMatches, "The matches"), ...errors(400, 401, 404, 413, 415, 429, 503) },
});
