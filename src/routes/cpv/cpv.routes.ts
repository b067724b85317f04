import { createRoute, z } from "@hono/zod-openapi";
import { CPV_LANGUAGES } from "../../domain/cpv-catalogue.js";
import { errors, json } from "../openapi.js";

export const CpvItem = z
  .object({
    code: z.string().openapi({ example: "90911200" }),
    label: z
      .string()
      .openapi({ description: "Label in the language asked for (English where we have none)" }),
    labels: z
      .record(z.string(), z.string())
      .openapi({ description: "Every label we have: en, nb, and da/sv for Annex XIV codes" }),
    level: z.number().int().openapi({ description: "1 division, 2 group, 3 class, 4 category, 5+ finer" }),
    parent: z.string().nullable(),
    annexXIV: z
      .boolean()
      .openapi({ description: "A social or other specific service (Annex XIV, light regime)" }),
    art77: z.boolean().openapi({ description: "A contract for it may be reserved under Art. 77" }),
  })
  .openapi("CpvCode");

const Lang = z.enum(CPV_LANGUAGES).default("en");
const tags = ["CPV"];

export const search = createRoute({
  method: "get",
  path: "/api/cpv",
  tags,
  summary: "Look CPV codes up by code or label (any of en, nb, da, sv)",
  request: {
    query: z.object({
      q: z.string().trim().min(1).max(100).openapi({ example: "rengøring" }),
      lang: Lang,
      limit: z.coerce.number().int().min(1).max(100).default(20),
    }),
  },
  responses: {
    200: json(z.object({ items: z.array(CpvItem) }).openapi("CpvList"), "Matching codes, best first"),
    ...errors(400, 401),
  },
});

export const get = createRoute({
  method: "get",
  path: "/api/cpv/{code}",
  tags,
  summary: "A CPV code with its ancestors and children",
  request: {
    params: z.object({
      code: z.string().openapi({ param: { name: "code", in: "path" }, example: "90910000-9" }),
    }),
    query: z.object({ lang: Lang }),
  },
  responses: {
    200: json(
      CpvItem.extend({ ancestors: z.array(CpvItem), children: z.array(CpvItem) }).openapi("CpvCodeDetail"),
      "The code",
    ),
    ...errors(400, 401, 404),
  },
});
