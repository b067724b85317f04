import { createRoute, z } from "@hono/zod-openapi";
import { SOURCE_KINDS, SOURCE_SCHEDULES } from "../../../crawlers/source.js";
import { RUN_STATUSES } from "../../store/sources.js";
import { errors, json } from "../openapi.js";

const tags = ["Sources"];

const Counts = z
  .object({
    new: z.number().int(),
    changed: z.number().int(),
    unchanged: z.number().int(),
    withdrawn: z.number().int(),
    skipped: z.number().int().openapi({ description: "Rows or notices that could not be read" }),
  })
  .openapi("SourceRunCounts");

const RunError = z
  .object({
    kind: z.string().openapi({
      description: "http, parse, network, timeout, robots, too-large, redirect, internal",
      example: "timeout",
    }),
    message: z.string(),
    url: z.string().optional(),
    where: z.string().optional(),
  })
  .openapi("SourceRunError");

export const SourceRunSchema = z
  .object({
    id: z.number().int(),
    sourceId: z.string(),
    startedAt: z.string(),
    finishedAt: z.string().optional(),
    status: z.enum(RUN_STATUSES),
    counts: Counts,
    errors: z.array(RunError),
  })
  .openapi("SourceRun");

export const SourceSummary = z
  .object({
    id: z.string().openapi({ example: "dk-aarhus-plan" }),
    name: z.string(),
    declared: z.boolean().openapi({
      description: "Declared in crawlers/sources/ (false: a source that only ran, such as the demo notices)",
    }),
    kind: z.enum(SOURCE_KINDS).optional(),
    url: z.string().optional(),
    country: z.string().optional(),
    buyer: z.string().optional(),
    schedule: z.enum(Object.keys(SOURCE_SCHEDULES) as [string, ...string[]]).optional(),
    enabled: z.boolean(),
    items: z.number().int().openapi({ description: "Tenders this source has given" }),
    withdrawn: z
      .number()
      .int()
      .openapi({ description: "Of those, withdrawn because the source stopped listing them" }),
    lastRun: SourceRunSchema.optional(),
  })
  .openapi("Source");

const SourceIdParam = z.object({
  id: z
    .string()
    .regex(/^[a-z][a-z0-9-]*$/)
    .openapi({ param: { name: "id", in: "path" }, example: "dk-aarhus-plan" }),
});

export const list = createRoute({
  method: "get",
  path: "/api/sources",
  tags,
  summary: "The sources crawled, with their last run (admin)",
  description:
    "Declared sources (crawlers/sources/) and sources that have run (the demo notices), each with the counts and errors of its latest run.",
  security: [{ bearerAuth: [] }],
  responses: {
    200: json(z.object({ items: z.array(SourceSummary) }).openapi("SourceList"), "Every source"),
    ...errors(401, 403),
  },
});

export const runs = createRoute({
  method: "get",
  path: "/api/sources/{id}/runs",
  tags,
  summary: "The runs of one source, newest first (admin)",
  security: [{ bearerAuth: [] }],
  request: {
    params: SourceIdParam,
    query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
  },
  responses: {
    200: json(z.object({ items: z.array(SourceRunSchema) }).openapi("SourceRunList"), "Runs, newest first"),
    ...errors(400, 401, 403, 404),
  },
});
