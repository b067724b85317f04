import { createRoute, z } from "@hono/zod-openapi";
import { CountryCode, Slug } from "../../domain/common.js";
import { CERTIFICATIONS, Enterprise, EnterpriseInput, EnterprisePatch } from "../../domain/enterprise.js";
import { parseLatLon } from "../../domain/geo.js";
import { ELIGIBILITIES, ENTERPRISE_FACETS, ENTERPRISE_SORTS } from "../../search/search.port.js";
import { requireSignedIn } from "../middleware/auth.js";
import { bearerAuth, errors, json, jsonBody, listParam } from "../openapi.js";
import {
  BooleanParam,
  CpvPrefixParam,
  LimitParam,
  MunicipalityCodeParam,
  PageParam,
  searchPageOf,
} from "../params.js";

export const EnterpriseListQuery = z.object({
  q: z.string().max(200).optional().openapi({
    description: "Words in name, keywords, description, CPV labels, municipality",
    example: "rengøring",
  }),
  lang: z.enum(["da", "sv", "nb", "en"]).optional(),
  cpv: listParam(
    CpvPrefixParam,
    "CPV codes or prefixes the enterprise delivers (909 = group 90900000 and below)",
  ),
  near: z
    .string()
    .refine((s) => parseLatLon(s) !== undefined, "lat,lon such as 56.15,10.21")
    .transform((s) => parseLatLon(s) ?? { lat: 0, lon: 0 })
    .optional()
    .openapi({
      description: "A point (lat,lon); with radiusKm, only enterprises located within it",
      example: "56.1567,10.2108",
    }),
  radiusKm: z.coerce
    .number()
    .positive()
    .max(5000)
    .default(50)
    .openapi({ description: "Radius around `near`, km" }),
  certification: listParam(z.enum(CERTIFICATIONS), CERTIFICATIONS.join(", ")),
  eligibility: listParam(
    z.enum(ELIGIBILITIES),
    "Eligible on its own for res-ws (Art. 20, ≥ 30 % disadvantaged) or res-pub-ser (Art. 77)",
  ),
  country: listParam(CountryCode, "Countries (DK, SE)"),
  municipality: listParam(MunicipalityCodeParam, "Municipality codes (0751)"),
  openToConsortia: BooleanParam,
  openToSubcontracting: BooleanParam,
  sort: z
    .enum(ENTERPRISE_SORTS)
    .default("relevance")
    .openapi({ description: "relevance (name without q), name, distance (needs near)" }),
  page: PageParam,
  limit: LimitParam,
  facets: listParam(
    z.enum(ENTERPRISE_FACETS),
    `Facets to count (default all): ${ENTERPRISE_FACETS.join(", ")}`,
  ),
});

const EnterpriseSchema = Enterprise.openapi("Enterprise", {
  description: "`contact` is personal data and is shown only to signed-in users.",
});

export const EnterpriseList = searchPageOf(EnterpriseSchema, "EnterpriseList");

const IdParam = z.object({ id: Slug.openapi({ param: { name: "id", in: "path" }, example: "flexvirk" }) });

const tags = ["Enterprises"];

export const list = createRoute({
  method: "get",
  path: "/api/enterprises",
  tags,
  summary: "Search registered enterprises",
  request: { query: EnterpriseListQuery },
  responses: {
    200: json(EnterpriseList, "A page of enterprises with facet counts"),
    ...errors(400, 401, 503),
  },
});

export const get = createRoute({
  method: "get",
  path: "/api/enterprises/{id}",
  tags,
  summary: "An enterprise's profile",
  request: { params: IdParam },
  responses: { 200: json(EnterpriseSchema, "The enterprise"), ...errors(401, 404) },
});

export const create = createRoute({
  method: "post",
  path: "/api/enterprises",
  tags,
  summary: "Register the enterprise this account acts for (admins: any)",
  security: bearerAuth,
  middleware: [requireSignedIn] as const,
  request: { body: jsonBody(EnterpriseInput.openapi("EnterpriseInput")) },
  responses: { 201: json(EnterpriseSchema, "Registered"), ...errors(400, 401, 403, 409, 413, 415, 429) },
});

export const patch = createRoute({
  method: "patch",
  path: "/api/enterprises/{id}",
  tags,
  summary: "Change an enterprise profile (the enterprise itself or an admin); null clears a field",
  security: bearerAuth,
  middleware: [requireSignedIn] as const,
  request: { params: IdParam, body: jsonBody(EnterprisePatch.openapi("EnterprisePatch")) },
  responses: { 200: json(EnterpriseSchema, "Changed"), ...errors(400, 401, 403, 404, 409, 413, 415, 429) },
});
