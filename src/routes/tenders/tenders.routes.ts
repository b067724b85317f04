import { createRoute, z } from "@hono/zod-openapi";
import { CountryCode, CurrencyCode, IsoDate, NutsCode, Slug } from "../../domain/common.js";
import { knownCurrencies } from "../../domain/money.js";
import { Reservation, Tender, TenderInput, TenderPatch, TenderStage } from "../../domain/tender.js";
import { TENDER_FACETS, TENDER_SORTS } from "../../search/search.port.js";
import { requireSignedIn } from "../middleware/auth.js";
import { bearerAuth, errors, json, jsonBody, listParam } from "../openapi.js";
import { CpvPrefixParam, LimitParam, MunicipalityCodeParam, PageParam, searchPageOf } from "../params.js";

const Currency = CurrencyCode.refine((c) => knownCurrencies().includes(c), {
  message: `one of ${knownCurrencies().join(", ")}`,
});

export const TenderListQuery = z.object({
  q: z
    .string()
    .max(200)
    .optional()
    .openapi({ description: "Words to find in title, description, buyer, CPV labels", example: "rengøring" }),
  lang: z
    .enum(["da", "sv", "nb", "en"])
    .optional()
    .openapi({ description: "Language of q (for stemming); all four are tried without it" }),
  stage: listParam(TenderStage, "planned, open, awarded, cancelled, withdrawn"),
  reserved: listParam(
    Reservation,
    "Reservation of the tender or of any lot: none, res-ws, res-pub-ser, unknown",
  ),
  buyer: listParam(Slug, "Buyer ids (dk-0751)"),
  country: listParam(CountryCode, "Buyer countries (DK, SE)"),
  nuts: listParam(NutsCode, "NUTS prefixes of the place (DK04, DK042)"),
  municipality: listParam(MunicipalityCodeParam, "Municipality codes of the place (0751)"),
  cpv: listParam(CpvPrefixParam, "CPV codes or prefixes (909 = group 90900000 and below)"),
  minValue: z.coerce
    .number()
    .nonnegative()
    .optional()
    .openapi({ description: "Estimated value at least, in `currency`" }),
  maxValue: z.coerce
    .number()
    .nonnegative()
    .optional()
    .openapi({ description: "Estimated value at most, in `currency`" }),
  currency: Currency.default("EUR").openapi({
    description: "Currency of minValue/maxValue (converted at fixed approximate rates)",
  }),
  expectedFrom: IsoDate.optional().openapi({ description: "Expected publication on or after (YYYY-MM-DD)" }),
  expectedTo: IsoDate.optional().openapi({ description: "Expected publication on or before" }),
  deadlineFrom: IsoDate.optional().openapi({ description: "Deadline on or after" }),
  deadlineTo: IsoDate.optional().openapi({ description: "Deadline on or before (the whole day)" }),
  sort: z.enum(TENDER_SORTS).default("relevance").openapi({
    description: "relevance (newest without q), newest, expected, deadline, value-desc, value-asc",
  }),
  page: PageParam,
  limit: LimitParam,
  facets: listParam(z.enum(TENDER_FACETS), `Facets to count (default all): ${TENDER_FACETS.join(", ")}`),
});

const TenderSchema = Tender.openapi("Tender");

const HistoryEntry = z
  .object({
    version: z.number().int(),
    changedAt: z.string(),
    source: z.string(),
    changes: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })),
  })
  .openapi("TenderHistoryEntry");

const LinkView = z
  .object({
    tenderId: z.string(),
    title: z.string().optional(),
    stage: z.string().optional(),
    score: z.number().int().min(0).max(100).openapi({ description: "How alike the two are, 0–100" }),
    reason: z
      .string()
      .openapi({ example: "title overlap 0.80; same CPV group; published 2026-05-04, expected Q2 2026" }),
    linkedAt: z.string(),
  })
  .openapi("TenderLink");

const TenderWithHistory = Tender.extend({
  version: z.number().int(),
  history: z.array(HistoryEntry),
  links: z
    .object({
      publishedAs: z.array(LinkView).openapi({ description: "Notices that published this planned item" }),
      plannedAs: z.array(LinkView).openapi({ description: "Planned items this notice published" }),
    })
    .openapi({ description: "The timeline from plan to notice" }),
}).openapi("TenderWithHistory");

export const TenderList = searchPageOf(TenderSchema, "TenderList");

const IdParam = z.object({
  id: z
    .string()
    .min(3)
    .max(300)
    .openapi({ param: { name: "id", in: "path" }, example: "demo:aarhus-rengoering-2027" }),
});

const tags = ["Tenders"];

export const list = createRoute({
  method: "get",
  path: "/api/tenders",
  tags,
  summary: "Search tenders and planned purchases",
  request: { query: TenderListQuery },
  responses: { 200: json(TenderList, "A page of tenders with facet counts"), ...errors(400, 401, 503) },
});

export const get = createRoute({
  method: "get",
  path: "/api/tenders/{id}",
  tags,
  summary: "A tender with its history of changes",
  request: { params: IdParam },
  responses: { 200: json(TenderWithHistory, "The tender"), ...errors(401, 404) },
});

export const create = createRoute({
  method: "post",
  path: "/api/tenders",
  tags,
  summary: "Publish a tender (a planned item of the buyer's tender plan)",
  description: "Buyer accounts publish for their own buyer; admins for any (buyerId required).",
  security: bearerAuth,
  middleware: [requireSignedIn] as const,
  request: { body: jsonBody(TenderInput.openapi("TenderInput")) },
  responses: { 201: json(TenderSchema, "Created"), ...errors(400, 401, 403, 409, 413, 415, 429) },
});

export const patch = createRoute({
  method: "patch",
  path: "/api/tenders/{id}",
  tags,
  summary: "Change a tender (its buyer or an admin); null clears a field",
  security: bearerAuth,
  middleware: [requireSignedIn] as const,
  request: { params: IdParam, body: jsonBody(TenderPatch.openapi("TenderPatch")) },
  responses: { 200: json(TenderSchema, "Changed"), ...errors(400, 401, 403, 404, 409, 413, 415, 429) },
});

export const remove = createRoute({
  method: "delete",
  path: "/api/tenders/{id}",
  tags,
  summary: "Withdraw a tender (soft delete: stage becomes withdrawn, history kept)",
  security: bearerAuth,
  middleware: [requireSignedIn] as const,
  request: { params: IdParam },
  responses: { 200: json(TenderSchema, "Withdrawn"), ...errors(401, 403, 404, 409, 429) },
});
