import { createRoute, z } from "@hono/zod-openapi";
import { errors, json } from "../openapi.js";

export const Health = z
  .object({
    status: z
      .enum(["ok", "degraded"])
      .openapi({ description: "degraded: the store works but search does not" }),
    version: z.string(),
    store: z.object({
      ok: z.boolean(),
      tenders: z.number().int().optional(),
      enterprises: z.number().int().optional(),
    }),
    search: z.object({
      ok: z.boolean(),
      engine: z.enum(["embedded", "meilisearch"]),
      documents: z.object({ tenders: z.number().int(), enterprises: z.number().int() }).optional(),
      failedIndexWrites: z
        .number()
        .int()
        .openapi({ description: "Index writes that failed since the last rebuild" }),
      error: z.string().optional(),
    }),
  })
  .openapi("Health");

export const health = createRoute({
  method: "get",
  path: "/health",
  tags: ["Service"],
  summary: "Store and search status",
  responses: { 200: json(Health, "The service works (search may be degraded)"), ...errors(503) },
});
