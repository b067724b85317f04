import { createRoute, z } from "@hono/zod-openapi";
import { CountryCode, Slug } from "../../domain/common.js";
import { Buyer } from "../../domain/buyer.js";
import { errors, json } from "../openapi.js";
import { LimitParam, PageParam, pageOf } from "../params.js";

const BuyerSchema = Buyer.openapi("Buyer");

export const BuyerListQuery = z.object({
  country: CountryCode.optional().openapi({ example: "DK" }),
  q: z.string().max(100).optional().openapi({ description: "Part of the name", example: "aarhus" }),
  page: PageParam,
  limit: LimitParam,
});

const tags = ["Buyers"];

export const list = createRoute({
  method: "get",
  path: "/api/buyers",
  tags,
  summary: "Buyers: municipalities and other contracting authorities",
  request: { query: BuyerListQuery },
  responses: {
    200: json(pageOf(BuyerSchema, "BuyerList"), "A page of buyers"),
    ...errors(400, 401),
  },
});

export const get = createRoute({
  method: "get",
  path: "/api/buyers/{id}",
  tags,
  summary: "A buyer",
  request: {
    params: z.object({ id: Slug.openapi({ param: { name: "id", in: "path" }, example: "dk-0751" }) }),
  },
  responses: { 200: json(BuyerSchema, "The buyer"), ...errors(401, 404) },
});
