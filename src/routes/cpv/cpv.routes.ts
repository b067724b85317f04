import { createRoute, z } from "@hono/zod-openapi";
import { CLASSIFY_LANGUAGES } from "../../classify/classifier.port.js";
import { CPV_LANGUAGES } from "../../domain/cpv-catalogue.js";
import { errors, json, jsonBody } from "../openapi.js";

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

export const CpvSuggestInput = z
  .object({
    text: z.string().trim().min(1).max(5_000).openapi({
      description: "What the enterprise does, or a purchase title (1–5 000 characters)",
      example: "Vi tilbyder rengøring, vinduespolering og havehjælp",
    }),
    lang: z.enum(CLASSIFY_LANGUAGES).optional().openapi({
      description: "The text's language; detected when absent",
    }),
    limit: z.number().int().min(1).max(20).default(5).openapi({ description: "How many codes (1–20)" }),
  })
  .openapi("CpvSuggestInput");

export const CpvSuggestion = z
  .object({
    code: z.string().openapi({ example: "90910000", description: "8 digits, no check digit" }),
    label: z.string().openapi({ description: "In the text's language where we have one, else English" }),
    score: z.number().min(0).max(1).openapi({ description: "0–1, comparable across texts" }),
  })
  .openapi("CpvSuggestion");

export const suggest = createRoute({
  method: "post",
  path: "/api/cpv/suggest",
  tags,
  summary: "Suggest CPV codes for a text (da, sv, nb, en)",
  description:
    "Open to anyone, without a token: the enterprise registration page calls it before the " +
    "enterprise has an account. Counts against the per-address write limit. Nothing is stored.",
  request: { body: jsonBody(CpvSuggestInput) },
  responses: {
    200: json(
      z
        .object({
          language: z.enum(CLASSIFY_LANGUAGES).openapi({ description: "The language given or detected" }),
          model: z.string().openapi({ description: "The classifier's version" }),
          suggestions: z.array(CpvSuggestion).openapi({ description: "Best first" }),
        })
        .openapi("CpvSuggestions"),
      "Suggested codes, best first",
    ),
    ...errors(400, 401, 413, 415, 429),
  },
});
